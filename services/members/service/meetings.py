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


def record_meeting(ctx: MembersContext, identity: Identity, chapter_id, data: dict) -> dict:
    with ctx.db.transaction() as cur:
        actor = access.caller(cur, identity, active=True)
        access.chapter_or_404(cur, chapter_id)
        if not access.may_steward(cur, actor["id"], chapter_id, include_self=True):
            raise ApiError(
                403,
                "Only coordinators of this chapter (or above) and admins record its meetings.",
                "forbidden",
            )
        if data["held_on"] > access.now().date() + dt.timedelta(days=1):
            raise ApiError(
                422,
                "A meeting is recorded once it was held.",
                "validation_failed",
                fields={"held_on": ["Must not be in the future."]},
            )
        meeting = meetings_store.insert_meeting(
            cur, chapter_id, data["held_on"], data.get("note"), actor["id"]
        )
        audit_store.insert_audit(
            cur,
            action="meeting.recorded",
            actor_id=actor["id"],
            chapter_id=chapter_id,
            detail={"held_on": str(data["held_on"])},
        )
    return meeting


def meetings(ctx: MembersContext, identity: Identity, chapter_id, limit, offset) -> list:
    with ctx.db.transaction() as cur:
        access.caller(cur, identity, active=True)
        access.chapter_or_404(cur, chapter_id)
        return meetings_store.list_meetings(cur, chapter_id, limit, offset)
