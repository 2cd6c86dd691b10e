"""Chapter meetings and the working status they feed."""

from __future__ import annotations

import datetime as dt

from services.common.auth import Identity
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.rules import (
    working_status,
)
from services.members.service import access, views
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import figures as figures_store
from services.members.store import meetings as meetings_store


def working_statuses(ctx: MembersContext, cur, chapter_ids=None) -> dict:
    policy = ctx.policy
    today = access.now().date()
    return {
        row["chapter_id"]: working_status(row, policy, today)
        for row in figures_store.chapter_figures(cur, chapter_ids)
    }


def chapter_status(ctx: MembersContext, chapter_id) -> dict:
    with ctx.db.transaction() as cur:
        chapter = access.chapter_or_404(cur, chapter_id)
        status = working_statuses(ctx, cur, [chapter_id])[chapter_id]
    return {"chapter_id": chapter_id, "name": chapter["name"], **status}


def working_chapters(ctx: MembersContext, limit: int, offset: int) -> tuple[list[dict], int]:
    """A page of the working chapters, founded last first, and how many there are."""
    with ctx.db.transaction() as cur:
        statuses = working_statuses(ctx, cur)
        working = {cid: status for cid, status in statuses.items() if status["working"]}
        chapters = chapters_store.newest_among(cur, list(working), limit=limit, offset=offset)
    page = [
        {**views.chapter_view(c, working[c["id"]]), "status": working[c["id"]]} for c in chapters
    ]
    return page, len(working)


def _steward_or_403(cur, identity: Identity, chapter_id) -> dict:
    actor = access.caller(cur, identity, active=True)
    access.chapter_or_404(cur, chapter_id)
    if not access.may_steward(cur, actor["id"], chapter_id, include_self=True):
        raise ApiError(
            403,
            "Only coordinators of this chapter (or above) and admins record its meetings.",
            "forbidden",
        )
    return actor


def _refuse(field: str, message: str, detail: str) -> ApiError:
    return ApiError(422, message, "validation_failed", fields={field: [detail]})


def _checked(cur, chapter_id, fields: dict) -> dict:
    """The meeting's fields once checked: held (not in the future), its attendees members of
    the chapter, the number present at least the members named (it defaults to them)."""
    if "held_on" in fields and fields["held_on"] > access.now().date() + dt.timedelta(days=1):
        raise _refuse(
            "held_on", "A meeting is recorded once it was held.", "Must not be in the future."
        )
    attendees = fields.get("attendees")
    if attendees:
        outside = meetings_store.members_outside(cur, chapter_id, attendees)
        if outside:
            raise _refuse(
                "attendees",
                "Those present are named among the chapter's members.",
                f"Not members of this chapter: {', '.join(str(m) for m in outside)}.",
            )
        if fields.get("attendance") is None:
            fields = {**fields, "attendance": len(set(attendees))}
        elif fields["attendance"] < len(set(attendees)):
            raise _refuse(
                "attendance",
                "The number present is at least the members named present.",
                f"Must be at least {len(set(attendees))}.",
            )
    return fields


def _with_attendees(cur, meetings: list[dict]) -> list[dict]:
    present = meetings_store.attendees_of(cur, [m["id"] for m in meetings])
    return [{**m, "attendees": present.get(m["id"], [])} for m in meetings]


def record_meeting(ctx: MembersContext, identity: Identity, chapter_id, data: dict) -> dict:
    """Record a meeting held (coordinators of the chapter or above, admins)."""
    with ctx.db.transaction() as cur:
        actor = _steward_or_403(cur, identity, chapter_id)
        data = _checked(cur, chapter_id, data)
        meeting = meetings_store.insert_meeting(cur, chapter_id, data, actor["id"])
        if data.get("attendees"):
            meetings_store.set_attendees(cur, meeting["id"], data["attendees"])
        audit_store.insert_audit(
            cur,
            action="meeting.recorded",
            actor_id=actor["id"],
            chapter_id=chapter_id,
            detail={"held_on": str(data["held_on"])},
        )
        return _with_attendees(cur, [meeting])[0]


def edit_meeting(
    ctx: MembersContext, identity: Identity, chapter_id, meeting_id, changes: dict
) -> dict:
    """Correct or complete a recorded meeting; `attendees` given replaces the list."""
    with ctx.db.transaction() as cur:
        actor = _steward_or_403(cur, identity, chapter_id)
        meeting = meetings_store.meeting_by_id(cur, chapter_id, meeting_id, for_update=True)
        if meeting is None:
            raise ApiError(404, "No such meeting in this chapter.", "not_found")
        if "attendees" not in changes and changes.get("attendance") is not None:
            named = meetings_store.attendees_of(cur, [meeting_id]).get(meeting_id, [])
            changes = {**changes, "attendees": [m["id"] for m in named]}
        elif changes.get("attendees") and "attendance" not in changes:
            changes = {**changes, "attendance": meeting["attendance"]}
        changes = _checked(cur, chapter_id, changes)
        meeting = meetings_store.update_meeting(cur, meeting_id, changes)
        if "attendees" in changes:
            meetings_store.set_attendees(cur, meeting_id, changes["attendees"] or [])
        audit_store.insert_audit(
            cur,
            action="meeting.changed",
            actor_id=actor["id"],
            chapter_id=chapter_id,
            detail={"held_on": str(meeting["held_on"]), "changed": sorted(changes)},
        )
        return _with_attendees(cur, [meeting])[0]


def delete_meeting(ctx: MembersContext, identity: Identity, chapter_id, meeting_id) -> None:
    """Remove a meeting recorded by mistake (it no longer counts for the working status)."""
    with ctx.db.transaction() as cur:
        actor = _steward_or_403(cur, identity, chapter_id)
        meeting = meetings_store.meeting_by_id(cur, chapter_id, meeting_id, for_update=True)
        if meeting is None:
            raise ApiError(404, "No such meeting in this chapter.", "not_found")
        meetings_store.delete_meeting(cur, meeting_id)
        audit_store.insert_audit(
            cur,
            action="meeting.deleted",
            actor_id=actor["id"],
            chapter_id=chapter_id,
            detail={"held_on": str(meeting["held_on"])},
        )


def meeting(ctx: MembersContext, identity: Identity, chapter_id, meeting_id) -> dict:
    with ctx.db.transaction() as cur:
        access.caller(cur, identity, active=True)
        found = meetings_store.meeting_by_id(cur, chapter_id, meeting_id)
        if found is None:
            raise ApiError(404, "No such meeting in this chapter.", "not_found")
        return _with_attendees(cur, [found])[0]


def meetings(ctx: MembersContext, identity: Identity, chapter_id, limit, offset) -> list:
    with ctx.db.transaction() as cur:
        access.caller(cur, identity, active=True)
        access.chapter_or_404(cur, chapter_id)
        return _with_attendees(cur, meetings_store.list_meetings(cur, chapter_id, limit, offset))
