"""Step 4, project rules: what schemas cannot see. Services, HPAs and PDBs point at something;
every pod of ours is hardened and has requests and limits; HTTP processes have /livez and /readyz
probes; environment names are the project's; a deny-all NetworkPolicy exists."""

from __future__ import annotations

from k8scheck.objects import WORKLOADS, all_containers, ident, is_ours, pod_spec
from k8scheck.report import Report

# Every environment name a Councils process may be given (ARCHITECTURE.md and the settings
# modules); anything else is a typo the application would silently ignore.
ALLOWED_ENV = {
    "WORKER_HEALTH_PORT",
    "DATABASE_URL",
    "AMQP_URL",
    "SMTP_URL",
    "MAIL_FROM",
    "PUBLIC_URL",
    "SMS_API_URL",
    "SMS_ACCOUNT_SID",
    "SMS_AUTH_TOKEN",
    "JWT_PRIVATE_KEY",
    "JWT_PUBLIC_KEY",
    "SECRET_KEY",
    "SECRET_KEY_PREVIOUS",
    "PORT",
    "MEMBERS_URL",
    "POLLS_URL",
    "NOTIFY_URL",
    "COUNCILS_ADMIN_EMAIL",
    "COUNCILS_ADMIN_PASSWORD",
    "BUS_EXCHANGE",
    "BUS_QUEUE_TYPE",
    "BUS_QUEUE_PREFIX",
    "DB_POOL_MAX",
    "MAX_BODY_BYTES",
    "RATE_LIMIT_IP",
    "RATE_LIMIT_MEMBER",
    "RATE_LIMIT_STORAGE_URI",
    "CORS_ORIGINS",
    "GATEWAY_CONNECT_TIMEOUT",
    "GATEWAY_READ_TIMEOUT",
    "GATEWAY_TRUSTED_PROXIES",
    "GATEWAY_TRUSTED_PROXY_HOPS",
    "GATEWAY_INTERNAL_URL",
    "TRUSTED_HOSTS",
    "WEB_SESSION_STORE",
    "TRUSTED_PROXY_HOPS",  # deprecated, no longer read (members takes the gateway's address)
    # accounts and mail (issue 13; README "Accounts: limits and mail")
    "NOTIFY_REQUIRE_VERIFIED",
    "VOUCH_LIMIT",
    "VOUCH_WINDOW_DAYS",
    "RATE_REGISTER_PER_HOUR",
    "LOGIN_FREE_FAILURES",
    "LOGIN_FREE_FAILURES_PER_ADDRESS",
    "LOGIN_DELAY_CAP_S",
    # issue 18: an appointed coordinator or admin mandate's longest term (docs/governance.md)
    "INTERIM_MANDATE_DAYS",
    # issue 18: how far ahead a poll opened from a members' proposal may open
    "POLLS_PROPOSAL_OPEN_MAX_DAYS",
    # parts from which AMQP_URL is composed ($(AMQP_USERNAME)...) out of the operator's Secret
    "AMQP_USERNAME",
    "AMQP_PASSWORD",
}


def _selects(selector: dict, labels: dict) -> bool:
    match = (selector or {}).get("matchLabels") or selector or {}
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def _denies_all(np: dict) -> bool:
    spec = np.get("spec") or {}
    return (
        not spec.get("podSelector")
        and not spec.get("ingress")
        and not spec.get("egress")
        and set(spec.get("policyTypes") or []) == {"Ingress", "Egress"}
    )


def _config_problems(by_kind: dict[str, list[dict]]) -> list[str]:
    problems = []
    if not any(_denies_all(np) for np in by_kind.get("NetworkPolicy", [])):
        problems.append("no deny-all NetworkPolicy (empty podSelector, Ingress and Egress)")
    config_keys = set()
    for cm in by_kind.get("ConfigMap", []):
        if cm["metadata"]["name"].startswith("councils-config"):
            config_keys |= set(cm.get("data") or {})
    for key in sorted(config_keys - ALLOWED_ENV):
        problems.append(f"ConfigMap councils-config: unknown environment name {key}")
    return problems


def _reference_problems(
    docs: list[dict], by_kind: dict[str, list[dict]], names: set, templates: list[dict]
) -> list[str]:
    """Services and disruption budgets select a pod template; autoscalers scale what exists."""
    problems = []
    for svc in by_kind.get("Service", []):
        selector = (svc.get("spec") or {}).get("selector") or {}
        if not any(_selects(selector, labels) for labels in templates):
            problems.append(f"{ident(svc)} selects no pod template")
    for pdb in by_kind.get("PodDisruptionBudget", []):
        if not any(
            _selects((pdb.get("spec") or {}).get("selector"), labels) for labels in templates
        ):
            problems.append(f"{ident(pdb)} selects no pod template")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        if (ref.get("kind"), ref.get("name")) not in names:
            problems.append(
                f"{ident(hpa)} scales {ref.get('kind')}/{ref.get('name')}, which is not rendered"
            )
        else:
            target = next(
                o
                for o in docs
                if (o.get("kind"), o["metadata"]["name"]) == (ref.get("kind"), ref.get("name"))
            )
            if "replicas" in (target.get("spec") or {}):
                problems.append(f"{ident(target)} sets replicas although {ident(hpa)} owns them")
    return problems


def _workload_problems(obj: dict, names: set) -> list[str]:
    problems = []
    spec = pod_spec(obj)
    sa = spec.get("serviceAccountName")
    if not sa or ("ServiceAccount", sa) not in names:
        problems.append(f"{ident(obj)}: ServiceAccount {sa!r} is not rendered")
    if spec.get("automountServiceAccountToken") is not False:
        problems.append(f"{ident(obj)}: automountServiceAccountToken must be false")
    pod_sc = spec.get("securityContext") or {}
    if (
        not pod_sc.get("runAsNonRoot")
        or (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault"
    ):
        problems.append(f"{ident(obj)}: pod must set runAsNonRoot and RuntimeDefault seccomp")
    for c in all_containers(obj):
        problems += _container_problems(f"{ident(obj)} container {c.get('name')}", c)
    return problems


def _container_problems(where: str, c: dict) -> list[str]:
    problems = []
    sc = c.get("securityContext") or {}
    if not (
        sc.get("readOnlyRootFilesystem") is True
        and sc.get("allowPrivilegeEscalation") is False
        and "ALL" in ((sc.get("capabilities") or {}).get("drop") or [])
    ):
        problems.append(
            f"{where}: needs readOnlyRootFilesystem, no privilege escalation, capabilities dropped"
        )
    res = c.get("resources") or {}
    for part in ("requests", "limits"):
        for what in ("cpu", "memory"):
            if what not in (res.get(part) or {}):
                problems.append(f"{where}: resources.{part}.{what} is not set")
    if not is_ours(c):
        return problems
    for env in c.get("env") or []:
        if env.get("name") not in ALLOWED_ENV:
            problems.append(f"{where}: unknown environment name {env.get('name')}")
    ports = {p.get("name") for p in c.get("ports") or []}
    if "http" in ports:
        for probe, path in (("livenessProbe", "/livez"), ("readinessProbe", "/readyz")):
            got = ((c.get(probe) or {}).get("httpGet") or {}).get("path")
            if got != path:
                problems.append(f"{where}: {probe} must GET {path}, has {got!r}")
    return problems


def project_rules(report: Report, source: str, docs: list[dict]) -> None:
    by_kind: dict[str, list[dict]] = {}
    for obj in docs:
        by_kind.setdefault(obj.get("kind"), []).append(obj)
    names = {(o.get("kind"), (o.get("metadata") or {}).get("name")) for o in docs}
    templates = [
        ((o.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") or {}
        for o in docs
        if o.get("kind") in WORKLOADS
    ]
    problems = _config_problems(by_kind)
    problems += _reference_problems(docs, by_kind, names, templates)
    for obj in docs:
        if obj.get("kind") in WORKLOADS:
            problems += _workload_problems(obj, names)
    for problem in problems:
        report.fail("project", f"{source}: {problem}")
    if not problems:
        report.ok("project", f"{source}: references, hardening, resources, probes, env names")
