"""Access tokens: signed by members with a private key, verified anywhere with the public keys.

JWT_PUBLIC_KEY may hold several PEM public keys, so that the signing key can be rotated without
a break: every verifier accepts the new key before members signs with it. Each token names its
key in a `kid` header (a fingerprint of the public key); tokens from before key ids are tried
against every configured key.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, ParamSpec, TypeVar

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import g, request

from services.common.config import ConfigError
from services.common.errors import ApiError

ALGORITHM = "EdDSA"
ISSUER = "councils"
ACCESS_TTL = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Identity:
    member_id: str
    status: str
    admin: bool = False  # a hint for user interfaces; rights are checked against local state
    session_id: str | None = None  # `sid`: the login session (members' refresh-token family)

    @property
    def active(self) -> bool:
        return self.status == "active"


def generate_keypair() -> tuple[str, str]:
    """(private PEM, public PEM) for development; production passes its own."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


PublicKey = Ed25519PublicKey | Ed448PublicKey


class SigningKey(NamedTuple):
    key: Ed25519PrivateKey | Ed448PrivateKey
    kid: str


@dataclass(frozen=True)
class PublicKeys:
    """The keys of JWT_PUBLIC_KEY, parsed once: by key id, and all of them in order."""

    by_kid: Mapping[str, PublicKey]
    keys: tuple[PublicKey, ...]


_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----", re.DOTALL)


def key_id(public_key: PublicKey) -> str:
    """A short fingerprint of a public key: SHA-256 of its DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


@functools.lru_cache(maxsize=4)
def signing_key(private_pem: str) -> SigningKey:
    """The parsed private key and its key id, once per process."""
    try:
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ConfigError("JWT_PRIVATE_KEY is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey | Ed448PrivateKey):
        raise ConfigError("JWT_PRIVATE_KEY must be an Ed25519 or Ed448 key (tokens use EdDSA)")
    return SigningKey(key, key_id(key.public_key()))


@functools.lru_cache(maxsize=8)
def public_keys(pem: str) -> PublicKeys:
    """The keys of one or more concatenated PEM blocks, parsed once per process (the hot path
    then costs a dict lookup); a bad block is a ConfigError naming JWT_PUBLIC_KEY."""
    blocks = [m.group(0) for m in _PEM_BLOCK.finditer(pem)]
    if not blocks:
        raise ConfigError("JWT_PUBLIC_KEY holds no PEM public key")
    if pem.count("-----BEGIN") != len(blocks):
        raise ConfigError("JWT_PUBLIC_KEY has a PEM block without its END line")
    by_kid = {}
    for n, block in enumerate(blocks, start=1):
        where = f"JWT_PUBLIC_KEY: PEM block {n} of {len(blocks)}"
        try:
            key = serialization.load_pem_public_key(block.encode())
        except (ValueError, TypeError):
            raise ConfigError(f"{where} is not a valid public key") from None
        if not isinstance(key, Ed25519PublicKey | Ed448PublicKey):
            raise ConfigError(f"{where} must be an Ed25519 or Ed448 key (tokens use EdDSA)")
        by_kid[key_id(key)] = key  # the same key twice counts once
    return PublicKeys(by_kid=by_kid, keys=tuple(by_kid.values()))


def issue_access_token(private_key: str, identity: Identity, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    claims = {
        "iss": ISSUER,
        "sub": identity.member_id,
        "status": identity.status,
        "admin": identity.admin,
        "typ": "access",
        "iat": now,
        "exp": now + ACCESS_TTL,
        "jti": uuid.uuid4().hex,
    }
    if identity.session_id:
        claims["sid"] = identity.session_id
    signing = signing_key(private_key)
    return jwt.encode(claims, signing.key, algorithm=ALGORITHM, headers={"kid": signing.kid})


def _invalid() -> ApiError:
    return ApiError(401, "The access token is not valid.", "invalid_token")


def verify_access_token(public_key: str, token: str) -> Identity:
    """The identity in a token signed by one of the keys in `public_key` (one or more PEMs)."""
    try:
        keys = public_keys(public_key)
    except ConfigError:
        raise ApiError(503, "Token verification is misconfigured (JWT_PUBLIC_KEY).") from None
    kid = _unverified_kid(token)
    if kid is None:
        candidates = keys.keys  # issued before key ids
    else:
        key = keys.by_kid.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise _invalid()
        candidates = (key,)
    claims = _decode(token, candidates)
    if claims.get("typ") != "access":
        raise _invalid()
    return Identity(
        member_id=str(claims["sub"]),
        status=str(claims.get("status", "pending")),
        admin=bool(claims.get("admin", False)),
        session_id=str(claims["sid"]) if claims.get("sid") else None,
    )


def _unverified_kid(token: str) -> object:
    """The `kid` header, read by hand: a quarter of jwt.get_unverified_header's cost, which
    decodes the whole token (jwt.decode checks everything next)."""
    header = token.partition(".")[0]
    try:
        fields = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except ValueError:  # bad base64, bytes or JSON
        raise _invalid() from None
    if not isinstance(fields, dict):
        raise _invalid()
    return fields.get("kid")


def _decode(token: str, candidates: tuple[PublicKey, ...]) -> dict[str, Any]:
    for key in candidates:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
        except jwt.InvalidSignatureError:
            continue  # another key may have signed it; claims are checked only after a match
        except jwt.ExpiredSignatureError:
            raise ApiError(401, "The access token has expired.", "token_expired") from None
        except jwt.InvalidTokenError:
            raise _invalid() from None
    raise _invalid()


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_identity(public_key: str | None) -> Identity:
    """The caller's identity, or a 401 in the error shape."""
    if "identity" in g:
        known: Identity = g.identity
        return known
    token = bearer_token()
    if token is None:
        raise ApiError(401, "Authentication required: send Authorization: Bearer <token>.")
    if not public_key:
        raise ApiError(503, "Token verification is not configured (JWT_PUBLIC_KEY).")
    identity = verify_access_token(public_key, token)
    from flask import current_app

    deny_list = current_app.extensions.get("deny_list")
    if deny_list is not None:  # ended sessions, suspended and deleted members (revocation.py)
        deny_list.check(identity)
    g.identity = identity
    return identity


P = ParamSpec("P")
R = TypeVar("R")


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Route decorator: the caller must present a valid access token."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from flask import current_app

        current_identity(current_app.config.get("JWT_PUBLIC_KEY"))
        return view(*args, **kwargs)

    return wrapper
