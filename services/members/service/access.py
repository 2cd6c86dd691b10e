"""Who may act: the caller as they are now, admins, chapter stewards."""

from __future__ import annotations

import datetime as dt
import uuid

from services.common.auth import Identity
from services.common.errors import ApiError
from services.members.store import chapters as chapters_store
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def chapter_or_404(cur, chapter_id, for_update: bool = False) -> dict:
    chapter = chapters_store.chapter_by_id(cur, chapter_id, for_update=for_update)
    if chapter is None:
        raise ApiError(404, "No such chapter.", "not_found")
    return chapter


def caller(cur, identity: Identity, *, active: bool = False) -> dict:
    """The member behind a valid access token, as they are now."""
    member_id = _uuid_or_none(identity.member_id)
    member = members_store.member_by_id(cur, member_id) if member_id else None
    if member is None or member["status"] == "deleted":
        raise ApiError(401, "This account no longer exists.", "invalid_token")
    if member.get("suspended_at") is not None:
        raise ApiError(401, "This account is suspended.", "token_revoked")
    if active and member["status"] != "active":
        raise ApiError(
            403, "Only active members may do this; yours is still pending.", "not_active"
        )
    return member


def require_admin(cur, identity: Identity) -> dict:
    member = caller(cur, identity)
    if not mandates_store.is_admin(cur, member["id"]):
        raise ApiError(403, "Only admins may do this.", "forbidden")
    return member


def require_admin_now(ctx, identity: Identity) -> Identity:
    """The caller, if they hold an admin mandate now (its own transaction); 403 otherwise."""
    with ctx.db.transaction() as cur:
        require_admin(cur, identity)
    return identity


def may_steward(cur, member_id, chapter_id, *, include_self: bool) -> bool:
    """Admins, and coordinators of the chapter's ancestors (and of the chapter itself when
    `include_self`), steward a chapter."""
    if mandates_store.is_admin(cur, member_id):
        return True
    scope = [a["id"] for a in chapters_store.ancestors_of(cur, chapter_id)]
    if include_self:
        scope.append(chapter_id)
    return mandates_store.coordinates(cur, member_id, scope)
