"""Access and refresh tokens, one-time secrets, and the end of sessions."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from services.common import revocation
from services.common.auth import Identity, issue_access_token
from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.service import access
from services.members.store import mandates as mandates_store
from services.members.store import tokens as tokens_store

ACCESS_TTL_SECONDS = 15 * 60


def new_secret() -> tuple[str, str]:
    """(token to hand out, its SHA-256 to store)."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def end_sessions(cur, member_id, except_family=None) -> None:
    """End the member's sessions (their refresh tokens die; their access tokens are denied
    here at once and, through `members.session.revoked`, in polls and notify)."""
    families = tokens_store.recent_families(cur, member_id, except_family)
    tokens_store.revoke_member_refresh_tokens(cur, member_id, except_family=except_family)
    announce_ended(cur, member_id, families)


def announce_ended(cur, member_id, families) -> None:
    if families:
        revocation.revoke_sessions(cur, member_id, families)
        emit(
            cur,
            "members.session.revoked",
            {"member_id": member_id, "session_ids": sorted(str(f) for f in families)},
        )


def issue_tokens(ctx: MembersContext, cur, member: dict, family_id=None) -> dict:
    policy = ctx.policy
    private_key = ctx.settings.common.jwt_private_key
    if not private_key:
        raise ApiError(503, "Token signing is not configured (JWT_PRIVATE_KEY).")
    admin = mandates_store.is_admin(cur, member["id"])
    family_id = family_id or uuid.uuid4()
    identity = Identity(
        member_id=str(member["id"]), status=member["status"], admin=admin, session_id=str(family_id)
    )
    refresh, refresh_hash = new_secret()
    token_id = uuid.uuid4()
    tokens_store.insert_refresh_token(
        cur,
        token_id=token_id,
        family_id=family_id,
        member_id=member["id"],
        token_hash=refresh_hash,
        expires_at=access.now() + policy.refresh_ttl,
    )
    return {
        "access_token": issue_access_token(private_key, identity),
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_SECONDS,
        "member_id": member["id"],
        "status": member["status"],
        "admin": admin,
        "_refresh_id": token_id,
        "_family_id": family_id,
    }


def public_tokens(tokens: dict) -> dict:
    return {k: v for k, v in tokens.items() if not k.startswith("_")}
