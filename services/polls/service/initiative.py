"""Member initiative (issue 18; docs/governance.md): members support a proposal, and once its
supporters reach the threshold of the scope's active members the scheduler opens it as a poll
at the end of its discussion period, without waiting for a coordinator."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service.launch import insert_poll, open_poll
from services.polls.service.questions import check_questions
from services.polls.service.rights import can_launch, require_active
from services.polls.service.thresholds import threshold
from services.polls.service.views import iso
from services.polls.store import initiative as initiative_sql
from services.polls.store import polls as polls_sql
from services.polls.store import proposals as proposals_sql

log = logging.getLogger("councils.polls")


def discussion_end(ctx: PollsContext) -> dt.datetime:
    return ctx.clock() + dt.timedelta(days=ctx.settings.initiative_discussion_days)


def initiative_view(
    ctx: PollsContext, cur: Any, row: dict, identity: Identity | None = None
) -> dict:
    """Supporters (by name) and the threshold, public on the proposal."""
    found = initiative_sql.supporters(cur, row["id"], row["scope_type"], row["scope_id"])
    needed = threshold(ctx, cur, row["scope_type"], row["scope_id"])
    me = identity.member_id if identity else None
    return {
        "supporters": [
            {"member_id": s["member_id"], "name": s["display_name"], "at": iso(s["supported_at"])}
            for s in found
        ],
        "supporters_count": len(found),
        "threshold": needed,
        "threshold_reached": len(found) >= needed["needed"],
        "supported": any(s["member_id"] == me for s in found),
        "may_support": bool(
            me is not None
            and row["status"] == "draft"
            and initiative_sql.member_in_scope(cur, me, row["scope_type"], row["scope_id"])
        ),
    }


def _draft(cur: Any, proposal_id: Any) -> dict:
    row = proposals_sql.get_proposal(cur, proposal_id, lock=True)
    if row is None:
        raise ApiError(404, "No such proposal.")
    if row["status"] != "draft":
        raise ApiError(409, f"This proposal is {row['status']}.", "not_draft")
    return row


def support(ctx: PollsContext, identity: Identity, proposal_id: Any) -> dict:
    """Add the caller's support (idempotent); only active members of the scope may."""
    require_active(identity, "support proposals")
    with ctx.db.transaction() as cur:
        row = _draft(cur, proposal_id)
        if not initiative_sql.member_in_scope(
            cur, identity.member_id, row["scope_type"], row["scope_id"]
        ):
            raise ApiError(
                403, "Only active members of the proposal's scope may support it.", "forbidden"
            )
        initiative_sql.add_supporter(cur, proposal_id, identity.member_id, ctx.clock())
        return initiative_view(ctx, cur, row, identity)


def withdraw_support(ctx: PollsContext, identity: Identity, proposal_id: Any) -> dict:
    with ctx.db.transaction() as cur:
        row = _draft(cur, proposal_id)
        initiative_sql.remove_supporter(cur, proposal_id, identity.member_id)
        return initiative_view(ctx, cur, row, identity)


def open_initiatives(ctx: PollsContext) -> int:
    """Open as polls the drafts past their discussion period whose supporters reach the
    threshold (one transaction each; the scheduler calls this every turn)."""
    now = ctx.clock()
    with ctx.db.transaction() as cur:
        due = initiative_sql.due_initiatives(cur, now)
    opened = 0
    for proposal_id in due:
        with ctx.db.transaction() as cur:
            row = proposals_sql.get_proposal(cur, proposal_id, lock=True)
            if row is None or row["status"] != "draft" or row["discussion_ends_at"] > now:
                continue
            if not initiative_view(ctx, cur, row)["threshold_reached"]:
                continue
            _open_as_poll(ctx, cur, row, now)
            opened += 1
    return opened


def _open_as_poll(ctx: PollsContext, cur: Any, row: dict, now: dt.datetime) -> None:
    poll_id = insert_poll(
        ctx,
        cur,
        {
            "title": row["title"],
            "text": row["text"],
            "scope_type": row["scope_type"],
            "scope_id": row["scope_id"],
            "opens_at": now,
            "closes_at": now + dt.timedelta(days=ctx.settings.initiative_poll_days),
            "created_by": row["author_id"],
            "live_results": False,
            "proposal_id": row["id"],
            "live_batch": ctx.settings.live_results_batch,
        },
        check_questions(row["questions"]),
    )
    open_poll(ctx, cur, poll_id)
    proposals_sql.update_proposal(
        cur, row["id"], {"status": "opened", "poll_id": poll_id, "initiative_opened_at": now}
    )
    log.info("member initiative: proposal %s opened as poll %s", row["id"], poll_id)


def set_chapter_threshold(
    ctx: PollsContext, identity: Identity, chapter_id: str, data: dict
) -> dict:
    """A chapter's own threshold, applied by a coordinator (or admin) from a closed poll of
    that chapter: the members decide their threshold, a mandate only records it."""
    with ctx.db.transaction() as cur:
        if not can_launch(cur, identity, "chapter", chapter_id):
            raise ApiError(
                403,
                "Recording a chapter's threshold needs a coordinator mandate for it (or an admin).",
                "forbidden",
            )
        poll = polls_sql.get_poll(cur, data["decided_by_poll_id"])
        if (
            poll is None
            or poll["status"] != "closed"
            or poll["scope_type"] != "chapter"
            or poll["scope_id"] != chapter_id
        ):
            raise ApiError(
                422,
                "The decision must be a closed poll of this chapter.",
                "validation_failed",
                {"decided_by_poll_id": ["Not a closed poll of this chapter."]},
            )
        initiative_sql.set_chapter_threshold(
            cur,
            {
                "chapter_id": chapter_id,
                "share": data["share"],
                "minimum": data["minimum"],
                "decided_by_poll_id": data["decided_by_poll_id"],
                "set_by": identity.member_id,
            },
        )
        return threshold(ctx, cur, "chapter", chapter_id)


def chapter_threshold(ctx: PollsContext, chapter_id: str) -> dict:
    with ctx.db.transaction() as cur:
        return threshold(ctx, cur, "chapter", chapter_id)
