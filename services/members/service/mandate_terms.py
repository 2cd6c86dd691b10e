"""Admins set or move the end of an admin or coordinator mandate ("ends on …"), in the open: a
public audit entry and `members.mandate.term_changed`. The worker announces the end when it
passes (`mandates.end_due_mandates`). An interim (appointed) mandate's end cannot be cleared
nor moved past its cap (INTERIM_MANDATE_DAYS); an elected one's term is the members' and is not
changed at all (409 `elected_term` naming `ends_at`): it ends early only by recall or by its
holder's resignation."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.events import mandate_data
from services.members.service import access, mandates
from services.members.service.mandates import mandate_view
from services.members.store import audit as audit_store
from services.members.store import mandates as mandates_store
from services.members.store.rows import existing


def _check_interim(ctx: MembersContext, mandate: dict, ends_at) -> None:
    """An interim (appointed) mandate always ends, never later than its cap
    (INTERIM_MANDATE_DAYS after it started or was granted) unless it ended later already (the
    bootstrapped admin's, or one made interim by migration): it can be moved earlier, not
    stretched."""
    if not mandate["interim"]:
        return
    if ends_at is None:
        raise ApiError(
            422,
            "An interim mandate always ends: its end cannot be cleared.",
            "validation_failed",
            fields={"ends_at": ["Required for an interim mandate."]},
        )
    cap = mandates.interim_cap(ctx, mandate["starts_at"], mandate["granted_at"])
    if mandate["ends_at"] is not None:
        cap = max(cap, mandate["ends_at"])
    if ends_at > cap:
        raise ApiError(
            422,
            "An interim mandate cannot be extended past its longest term "
            f"({ctx.settings.interim_mandate_days} days): the members elect for longer.",
            "validation_failed",
            fields={"ends_at": [f"At most {cap.isoformat()}."]},
        )


def _check_term(cur, mandate: dict, ends_at) -> None:
    """409 when the mandate cannot take a new end, 422 (naming `ends_at`) when the date is
    not one it can end on."""
    if mandate["role"] not in ("admin", "coordinator"):
        raise ApiError(409, "A delegate's term is set by the delegate election.", "not_adjustable")
    if mandate["revoked_at"] is not None:
        raise ApiError(409, "This mandate was revoked already.", "already_revoked")
    if mandate["elected"]:
        raise ApiError(
            409,
            "The members set this mandate's term by election: nobody moves or clears it. It "
            "ends early only by a recall (POST /api/v1/recalls) or its holder's resignation.",
            "elected_term",
            fields={"ends_at": ["Set by the members' election."]},
        )
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
    """Set, move or clear (`ends_at` null) when an appointed mandate ends (admins only, never
    their own: an interim admin does not lengthen their own term; an elected mandate's term is
    the members')."""
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
        _check_interim(ctx, mandate, ends_at)
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
