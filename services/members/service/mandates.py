"""Mandates: granted, revoked, and ended when their term is over."""

from __future__ import annotations

import datetime as dt

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.events import mandate_data
from services.members.service import access, vacancies
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store
from services.members.store import memberships as memberships_store
from services.members.store.rows import existing


def mandate_view(m: dict) -> dict:
    return {
        k: m.get(k)
        for k in (
            "id",
            "member_id",
            "member_name",
            "role",
            "chapter_id",
            "chapter_name",
            "starts_at",
            "ends_at",
            "granted_by",
            "granted_at",
            "note",
            "revoked_at",
            "revoked_by",
            "revoke_reason",
            "active",
            "interim",
            "elected",
        )
    }


def grant(
    cur, *, member_id, role, chapter_id, starts_at, ends_at, actor_id, note, interim=False
) -> dict:
    mandate = mandates_store.insert_mandate(
        cur,
        member_id=member_id,
        role=role,
        chapter_id=chapter_id,
        starts_at=starts_at,
        ends_at=ends_at,
        granted_by=actor_id,
        note=note,
        interim=interim,
    )
    audit_store.insert_audit(
        cur,
        action="mandate.granted",
        actor_id=actor_id,
        member_id=member_id,
        mandate_id=mandate["id"],
        role=role,
        chapter_id=chapter_id,
        detail={
            "starts_at": mandate["starts_at"].isoformat(),
            "ends_at": mandate["ends_at"].isoformat() if mandate["ends_at"] else None,
            "note": note,
            **({"interim": True} if interim else {}),
        },
    )
    emit(cur, "members.mandate.granted", mandate_data(mandate))
    return mandate


def revoke(cur, mandate: dict, *, actor_id, reason, resigned: bool = False) -> None:
    mandates_store.revoke_mandate(cur, mandate["id"], actor_id, reason)
    audit_store.insert_audit(
        cur,
        action="mandate.revoked",
        actor_id=actor_id,
        member_id=mandate["member_id"],
        mandate_id=mandate["id"],
        role=mandate["role"],
        chapter_id=mandate["chapter_id"],
        detail={"reason": reason},
    )
    emit(cur, "members.mandate.revoked", {**mandate_data(mandate), "reason": reason})
    vacancies.seat_vacated(cur, mandate, "resigned" if resigned else "revoked")


def end_mandate(cur, mandate: dict, *, ends_at, reason: str, detail: dict | None = None) -> bool:
    """The mandate's term is over at `ends_at` ("term": it passed; "superseded": a new delegate
    election): recorded, audited and announced with `members.mandate.ended` exactly once."""
    ended = mandates_store.mark_mandate_ended(cur, mandate["id"], ends_at)
    if ended is None:
        return False
    audit_store.insert_audit(
        cur,
        action="mandate.ended",
        member_id=ended["member_id"],
        mandate_id=ended["id"],
        role=ended["role"],
        chapter_id=ended["chapter_id"],
        detail={"reason": reason, "ends_at": ended["ends_at"].isoformat(), **(detail or {})},
    )
    emit(cur, "members.mandate.ended", {**mandate_data(ended), "reason": reason})
    if reason == "term":  # superseded: the new election filled the seat
        vacancies.seat_vacated(cur, ended, "term")
    return True


def end_due_mandates(ctx: MembersContext, now: dt.datetime | None = None) -> int:
    """Announce every mandate whose `ends_at` has passed, once (the worker calls this
    periodically; concurrent workers skip each other's rows)."""
    now = now or dt.datetime.now(dt.UTC)
    ended = 0
    with ctx.db.transaction() as cur:
        for mandate in mandates_store.mandates_ending(cur, now):
            ended += end_mandate(cur, mandate, ends_at=mandate["ends_at"], reason="term")
    return ended


ELECTED = {
    "coordinator": (
        "Coordinators of this chapter are elected: launch an election "
        "(POST /api/v1/polls/coordinator-elections) instead of appointing one."
    ),
    "admin": (
        "Admins of the organisation are elected: launch an admin election "
        "(POST /api/v1/polls/admin-elections) instead of appointing one."
    ),
}


def _may_appoint(cur, actor: dict, role: str, chapter_id) -> None:
    """422 for a scope that does not fit the role, 403 for who may not appoint to it, 409
    `elected_role` while the members' elected holders of the role are live."""
    if role == "admin":
        if chapter_id is not None:
            raise ApiError(
                422,
                "An admin mandate is for the whole organisation.",
                "validation_failed",
                fields={"chapter_id": ["Must be empty for the admin role."]},
            )
        if not mandates_store.is_admin(cur, actor["id"]):
            raise ApiError(403, "Only admins may grant the admin mandate.", "forbidden")
    else:
        if chapter_id is None:
            raise ApiError(
                422,
                "A coordinator mandate is for a chapter.",
                "validation_failed",
                fields={"chapter_id": ["Required for the coordinator role."]},
            )
        if chapters_store.chapter_by_id(cur, chapter_id) is None:
            raise ApiError(
                422,
                "No such chapter.",
                "validation_failed",
                fields={"chapter_id": ["No such chapter."]},
            )
        if not access.may_steward(cur, actor["id"], chapter_id, include_self=False):
            raise ApiError(
                403,
                "Only admins and coordinators of a chapter above this one "
                "may grant its coordinator mandate.",
                "forbidden",
            )
    if mandates_store.has_elected_holders(cur, role, chapter_id):
        raise ApiError(409, ELECTED[role], "elected_role")


def interim_cap(ctx: MembersContext, starts_at: dt.datetime, granted_at: dt.datetime):
    """The latest end of an appointed (interim) mandate: INTERIM_MANDATE_DAYS after it starts,
    or after it was granted if it started before."""
    return max(starts_at, granted_at) + dt.timedelta(days=ctx.settings.interim_mandate_days)


def _interim_term(ctx: MembersContext, data: dict, now: dt.datetime) -> tuple:
    """(starts_at, ends_at) of an appointment granted at `now`: it ends on the date given, by
    default at the cap (422 naming `ends_at` past the cap or not after the start)."""
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    try:
        cap = interim_cap(ctx, starts_at or now, now)
    except OverflowError:
        raise ApiError(
            422,
            "A mandate cannot start that late.",
            "validation_failed",
            fields={"starts_at": ["Too far in the future."]},
        ) from None
    if ends_at is None:
        return starts_at, cap
    if ends_at <= (starts_at or now):
        raise ApiError(
            422,
            "A mandate must end after it starts.",
            "validation_failed",
            fields={"ends_at": ["Must be after the start."]},
        )
    if ends_at > cap:
        days = ctx.settings.interim_mandate_days
        raise ApiError(
            422,
            f"An appointed mandate is interim: it ends at most {days} days after it starts.",
            "validation_failed",
            fields={"ends_at": [f"At most {days} days after the start."]},
        )
    return starts_at, ends_at


def _grantee(cur, member_id) -> dict:
    """The member a mandate is granted to: 422 when there is none, 409 naming `member_id` when
    they cannot hold one now (suspended, or not yet or no longer an active member)."""
    grantee = members_store.member_by_id(cur, member_id)
    if grantee is None or grantee["status"] == "deleted":
        raise ApiError(
            422,
            "There is no such member.",
            "validation_failed",
            fields={"member_id": ["No such member."]},
        )
    if grantee["suspended_at"] is not None:
        message = "This member is suspended: lift the suspension before granting a mandate."
    elif grantee["status"] != "active":
        message = "Only active members hold mandates: this member is not active."
    else:
        return grantee
    raise ApiError(409, message, "member_not_active", fields={"member_id": [message]})


def grant_mandate(ctx: MembersContext, identity: Identity, data: dict) -> dict:
    """Appoint a coordinator or admin: an interim mandate that always ends (docs/governance.md
    "Rights the members give and take back"), refused while the members' elected holders of
    the role are live."""
    with ctx.db.transaction() as cur:
        actor = access.caller(cur, identity, active=True)
        role, chapter_id = data["role"], data.get("chapter_id")
        _may_appoint(cur, actor, role, chapter_id)
        grantee = _grantee(cur, data["member_id"])
        if role == "coordinator" and not memberships_store.is_effective_member(
            cur, grantee["id"], chapter_id
        ):
            raise ApiError(
                422,
                "A coordinator must be a member of the chapter.",
                "validation_failed",
                fields={"member_id": ["Not a member of this chapter."]},
            )
        starts_at, ends_at = _interim_term(ctx, data, mandates_store.transaction_now(cur))
        existing = mandates_store.list_mandates(
            cur, member_id=grantee["id"], role=role, chapter_id=chapter_id
        )
        if any(m["chapter_id"] == chapter_id for m in existing):
            raise ApiError(409, "This member already holds this mandate.", "conflict")
        mandate = grant(
            cur,
            member_id=grantee["id"],
            role=role,
            chapter_id=chapter_id,
            starts_at=starts_at,
            ends_at=ends_at,
            actor_id=actor["id"],
            note=data.get("note"),
            interim=True,
        )
        mandate["member_name"] = grantee["display_name"]
    return mandate_view(mandate)


ELECTED_MANDATE = (
    "The members gave this mandate by election: only they take it back, by a recall petition "
    "and vote (POST /api/v1/recalls {mandate_id}); its holder may resign."
)


def revoke_mandate(ctx: MembersContext, identity: Identity, mandate_id, reason) -> dict:
    """Revoke a mandate: its holder (resigning), or whoever may appoint to it — an appointed
    (interim) one only; an elected one is taken back by the members' recall (409
    `elected_mandate`)."""
    with ctx.db.transaction() as cur:
        actor = access.caller(cur, identity)
        mandate = mandates_store.mandate_by_id(cur, mandate_id, for_update=True)
        if mandate is None:
            raise ApiError(404, "No such mandate.", "not_found")
        own = mandate["member_id"] == actor["id"]
        if not own:
            if actor["status"] != "active":
                raise ApiError(403, "Only active members may do this.", "not_active")
            if mandate["role"] == "admin":
                allowed = mandates_store.is_admin(cur, actor["id"])
            else:
                allowed = access.may_steward(
                    cur, actor["id"], mandate["chapter_id"], include_self=False
                )
            if not allowed:
                raise ApiError(403, "You may not revoke this mandate.", "forbidden")
        if mandate["revoked_at"] is not None:
            raise ApiError(409, "This mandate was revoked already.", "already_revoked")
        if mandate["ends_at"] is not None and mandate["ends_at"] <= access.now():
            raise ApiError(409, "This mandate has ended already.", "already_ended")
        if mandate["elected"] and not own:
            raise ApiError(409, ELECTED_MANDATE, "elected_mandate")
        if (
            mandate["role"] == "admin"
            and mandate["active"]
            and mandates_store.count_active_admins(cur) <= 1
        ):
            raise ApiError(
                409, "This is the last admin mandate; grant another first.", "last_admin"
            )
        revoke(
            cur,
            mandate,
            actor_id=actor["id"],
            reason=reason or ("resigned" if own else None),
            resigned=own,
        )
        return mandate_view(existing(mandates_store.mandate_by_id(cur, mandate_id)))


def resign_mandate(ctx: MembersContext, identity: Identity, mandate_id, reason) -> dict:
    """The holder gives their mandate back (`POST /api/v1/mandates/{id}/resign`); a delegate's
    seat empties and is filled again (service/vacancies.py)."""
    with ctx.db.transaction() as cur:
        caller = access.caller(cur, identity)
        mandate = mandates_store.mandate_by_id(cur, mandate_id, for_update=True)
        if mandate is None:
            raise ApiError(404, "No such mandate.", "not_found")
        if mandate["member_id"] != caller["id"]:
            raise ApiError(403, "Only its holder may resign a mandate.", "forbidden")
    return revoke_mandate(ctx, identity, mandate_id, reason or "resigned")


def list_mandates(
    ctx: MembersContext,
    *,
    member_id=None,
    chapter_id=None,
    role=None,
    active_only=True,
    elected=None,
    limit=100,
    offset=0,
) -> list:
    with ctx.db.transaction() as cur:
        rows = mandates_store.list_mandates(
            cur,
            member_id=member_id,
            chapter_id=chapter_id,
            role=role,
            active_only=active_only,
            elected=elected,
            limit=limit,
            offset=offset,
        )
    return [mandate_view(m) for m in rows]
