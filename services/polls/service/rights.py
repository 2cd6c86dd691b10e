"""Who may launch, close, extend and moderate polls of a scope (checked against polls' replica
of the mandates, never a token's claim alone)."""

from __future__ import annotations

from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.store import replica as replica_sql

NEEDED = {
    "organisation": "an admin mandate",
    "chapter": "a coordinator mandate for this chapter (or one above it)",
    "current": "an admin mandate",
}


def is_admin(cur: Any, identity: Identity) -> bool:
    """An admin mandate in polls' replica, not the token's `admin` claim: a revoked mandate
    stops counting as soon as its event arrives."""
    return bool(replica_sql.has_admin_mandate(cur, identity.member_id))


def require_admin(ctx: Any, identity: Identity) -> Identity:
    """The caller, if they hold an admin mandate now (its own transaction); 403 otherwise."""
    with ctx.db.transaction() as cur:
        if not is_admin(cur, identity):
            raise ApiError(403, "Only admins may do this.", "forbidden")
    return identity


def can_launch(cur: Any, identity: Identity | None, scope_type: str, scope_id: str | None) -> bool:
    if identity is None:
        return False
    if is_admin(cur, identity):
        return True
    if not identity.active:
        return False
    if scope_type == "chapter" and scope_id is not None:
        return bool(replica_sql.coordinates(cur, identity.member_id, scope_id))
    return False


def can_launch_own_election(cur: Any, identity: Identity, chapter_id: str) -> bool:
    """Any active member of a chapter that has no coordinator of its own — none, or only
    interim (appointed) ones — may launch its coordinator election (issue 18: the members need
    nobody's leave to elect one)."""
    return bool(
        identity.active
        and replica_sql.active_member_of(cur, identity.member_id, chapter_id)
        and not replica_sql.chapter_has_coordinator(cur, chapter_id)
    )


def require_launch(
    cur: Any, identity: Identity, scope_type: str, scope_id: str | None, action: str = "launch"
) -> None:
    if not can_launch(cur, identity, scope_type, scope_id):
        raise ApiError(
            403, f"To {action} a poll with this scope you need {NEEDED[scope_type]}.", "forbidden"
        )


def require_active(identity: Identity, action: str) -> None:
    if not identity.active:
        raise ApiError(403, f"Only active members may {action}.", "forbidden")
