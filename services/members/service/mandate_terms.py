"""Admins set or move the end of an admin or coordinator mandate ("ends on …"), in the open: a
public audit entry and `members.mandate.term_changed`. The worker announces the end when it
passes (`mandates.end_due_mandates`)."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.events import mandate_data
from services.members.service import access
from services.members.service.mandates import mandate_view
from services.members.store import audit as audit_store
from services.members.store import mandates as mandates_store
from services.members.store.rows import existing


def _check_term(cur, mandate: dict, ends_at) -> None:
    """409 when the mandate cannot take a new end, 422 (naming `ends_at`) when the date is
    not one it can end on."""
    if mandate["role"] not in ("admin", "coordinator"):
        raise ApiError(409, "A delegate's term is set by the delegate election.", "not_adjustable")
    if mandate["revoked_at"] is not None:
        raise ApiError(409, "This mandate was revoked already.", "already_revoked")
    now = access.now()
    if mandate["ends_at"] is not None and mandate["ends_at"] <= now:
        raise ApiError(409, "This mandate has ended already.", "already_ended")
    if ends_at is not None and ends_at <= max(now, mandate["starts_at"]):
        raise ApiError(
            422,
            "A mandate's new end must be in the future and after its start.",
            "validation_failed",
            fields={"ends_at": ["Must be in the future and after the start."]},
        )
    if (
        mandate["role"] == "admin"
        and ends_at is not None
        and mandate["active"]
        and mandates_store.count_active_admins(cur) <= 1
    ):
        raise ApiError(409, "This is the last admin mandate; grant another first.", "last_admin")


def change_term(ctx: MembersContext, identity: Identity, mandate_id, data: dict) -> dict:
    """Set, move or clear (`ends_at` null) when a mandate ends (admins only, never their own:
    an interim or elected admin does not lengthen their own term)."""
    ends_at, reason = data["ends_at"], data.get("reason")
    with ctx.db.transaction() as cur:
        actor = access.require_admin(cur, identity)
        mandate = mandates_store.mandate_by_id(cur, mandate_id, for_update=True)
        if mandate is None:
            raise ApiError(404, "No such mandate.", "not_found")
        if mandate["member_id"] == actor["id"]:
            raise ApiError(
                403,
                "Nobody changes the term of their own mandate; another admin may.",
                "forbidden",
            )
        _check_term(cur, mandate, ends_at)
        mandates_store.set_mandate_end(cur, mandate_id, ends_at)
        audit_store.insert_audit(
            cur,
            action="mandate.term_changed",
            actor_id=actor["id"],
            member_id=mandate["member_id"],
            mandate_id=mandate["id"],
            role=mandate["role"],
            chapter_id=mandate["chapter_id"],
            detail={
                "ends_at": ends_at.isoformat() if ends_at else None,
                "previous_ends_at": (
                    mandate["ends_at"].isoformat() if mandate["ends_at"] else None
                ),
                "reason": reason,
            },
        )
        changed = existing(mandates_store.mandate_by_id(cur, mandate_id))
        emit(cur, "members.mandate.term_changed", mandate_data(changed))
    return mandate_view(changed)
