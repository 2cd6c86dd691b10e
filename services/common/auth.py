"""Access tokens: signed by members with a private key, verified anywhere with the public key."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import g, request

from services.common.errors import ApiError

ALGORITHM = "EdDSA"
ISSUER = "councils"
ACCESS_TTL = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Identity:
    member_id: str
    status: str
    admin: bool = False

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
    return jwt.encode(claims, private_key, algorithm=ALGORITHM)


@functools.lru_cache(maxsize=8)
def _loaded_public_key(pem: str):
    """The parsed key of a PEM, once per process (PyJWT would parse the PEM on every call)."""
    return serialization.load_pem_public_key(pem.encode())


def verify_access_token(public_key: str, token: str) -> Identity:
    try:
        key = _loaded_public_key(public_key)
    except ValueError:
        raise ApiError(503, "Token verification is misconfigured (JWT_PUBLIC_KEY).") from None
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(401, "The access token has expired.", "token_expired") from None
    except jwt.InvalidTokenError:
        raise ApiError(401, "The access token is not valid.", "invalid_token") from None
    if claims.get("typ") != "access":
        raise ApiError(401, "The access token is not valid.", "invalid_token")
    return Identity(
        member_id=str(claims["sub"]),
        status=str(claims.get("status", "pending")),
        admin=bool(claims.get("admin", False)),
    )


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_identity(public_key: str | None) -> Identity:
    """The caller's identity, or a 401 in the error shape."""
    if "identity" in g:
        return g.identity
    token = bearer_token()
    if token is None:
        raise ApiError(401, "Authentication required: send Authorization: Bearer <token>.")
    if not public_key:
        raise ApiError(503, "Token verification is not configured (JWT_PUBLIC_KEY).")
    g.identity = verify_access_token(public_key, token)
    return g.identity


def login_required(view):
    """Route decorator: the caller must present a valid access token."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from flask import current_app

        current_identity(current_app.config.get("JWT_PUBLIC_KEY"))
        return view(*args, **kwargs)

    return wrapper
