#!/bin/sh
# Create (or keep) the dev overlay's Secrets in namespace councils-dev with fresh random values:
# nothing secret is committed. Needs kubectl (pointing at the laptop cluster) and openssl.
#   k8s/overlays/dev/make-secrets.sh            # creates what is missing
#   ADMIN_EMAIL=me@example.org k8s/overlays/dev/make-secrets.sh
set -eu
NS=${NAMESPACE:-councils-dev}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@localtest.me}
kubectl get namespace "$NS" >/dev/null 2>&1 || kubectl create namespace "$NS"
rand() { openssl rand -hex "${1:-24}"; }
exists() { kubectl -n "$NS" get secret "$1" >/dev/null 2>&1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

if ! exists councils-secrets; then
  admin_password=$(rand 12)
  kubectl -n "$NS" create secret generic councils-secrets \
    --from-literal=SECRET_KEY="$(rand 32)" \
    --from-literal=COUNCILS_ADMIN_EMAIL="$ADMIN_EMAIL" \
    --from-literal=COUNCILS_ADMIN_PASSWORD="$admin_password"
  echo "admin: $ADMIN_EMAIL / $admin_password"
fi
if ! exists councils-jwt; then
  openssl genpkey -algorithm ed25519 -out "$tmp/private.pem"
  openssl pkey -in "$tmp/private.pem" -pubout -out "$tmp/public.pem"
  kubectl -n "$NS" create secret generic councils-jwt \
    --from-file=private.pem="$tmp/private.pem" --from-file=public.pem="$tmp/public.pem"
fi
if ! exists councils-db-app; then
  pw=$(rand 16)
  kubectl -n "$NS" create secret generic councils-db-app --type=kubernetes.io/basic-auth \
    --from-literal=username=councils --from-literal=password="$pw" \
    --from-literal=dbname=councils --from-literal=host=councils-db-rw --from-literal=port=5432 \
    --from-literal=uri="postgresql://councils:$pw@councils-db-rw:5432/councils"
fi
if ! exists councils-rabbitmq-default-user; then
  kubectl -n "$NS" create secret generic councils-rabbitmq-default-user \
    --from-literal=username=councils --from-literal=password="$(rand 16)"
fi
exists councils-messaging || kubectl -n "$NS" create secret generic councils-messaging
echo "secrets ready in namespace $NS"
