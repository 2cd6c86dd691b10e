"""A scheduled poll changed or cancelled by whoever may launch it: its title, text, times and
questions until it opens (409 once open); cancelled with a public reason shown on the poll."""

from __future__ import annotations

import uuid
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service.affected import check_new_opening
from services.polls.service.launch import open_poll, refuse_late_opening, times
from services.polls.service.questions import check_questions
from services.polls.service.rights import require_launch
from services.polls.service.views import view
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql
from services.polls.store import proposals as proposals_sql

NOT_SCHEDULED = {
    "open": "This poll is open: it can no longer be edited or cancelled (extend or close it).",
    "closed": "This poll is closed.",
    "cancelled": "This poll was cancelled.",
}


def _scheduled_poll(cur: Any, identity: Identity, poll_id: Any, action: str) -> dict:
    """The poll, locked, once the caller may `action` it and it has not opened (409 else)."""
    poll = polls_sql.get_poll(cur, poll_id, lock="update")
    if poll is None:
        raise ApiError(404, "No such poll.", "not_found")
    require_launch(cur, identity, poll["scope_type"], poll["scope_id"], action)
    if poll["status"] != "scheduled":
        raise ApiError(409, NOT_SCHEDULED[poll["status"]], "not_scheduled")
    if delegates_sql.poll_purpose(cur, poll_id) is not None:
        raise ApiError(
            409,
            "Delegate elections, delegate polls and recall votes follow their own rules: "
            "they are not edited or cancelled by hand.",
            "purpose_poll",
        )
    return poll


def _members_text_kept(poll: dict, data: dict) -> None:
    """A poll putting members' proposal to the vote keeps their title, text and questions:
    whoever may launch it may move its dates, not rewrite what the members proposed."""
    rewritten = sorted(k for k in ("title", "text", "questions") if k in data)
    if poll.get("proposal_id") is not None and rewritten:
        message = "This poll puts members' proposal to the vote as they wrote it."
        raise ApiError(422, message, "validation_failed", {k: [message] for k in rewritten})


def edit_poll(ctx: PollsContext, identity: Identity, poll_id: Any, data: dict) -> dict:
    """Change what is given of title, text, opens_at, closes_at and questions (replaced as a
    whole). An opening time now or past opens the poll at once, as at launch."""
    now = ctx.clock()
    questions = check_questions(data["questions"]) if "questions" in data else None
    with ctx.db.transaction() as cur:
        poll = _scheduled_poll(cur, identity, poll_id, "edit")
        _members_text_kept(poll, data)
        opens_at, closes_at = times(
            {
                "opens_at": data["opens_at"] if "opens_at" in data else poll["opens_at"],
                "closes_at": data.get("closes_at") or poll["closes_at"],
            },
            now,
        )
        check_new_opening(ctx, cur, poll, opens_at, now)
        refuse_late_opening(opens_at, poll.get("opens_by"))
        polls_sql.update_scheduled_poll(
            cur,
            poll_id,
            title=data.get("title", poll["title"]),
            text=(data["text"] or "") if "text" in data else poll["text"],
            opens_at=opens_at,
            closes_at=closes_at,
        )
        if questions is not None:
            polls_sql.delete_questions(cur, poll_id)
            for position, question in enumerate(questions):
                polls_sql.insert_question(
                    cur, {"id": uuid.uuid4(), "poll_id": poll_id, "position": position, **question}
                )
        if opens_at <= now:
            open_poll(ctx, cur, poll_id)
        return view(ctx, cur, poll_id)


def cancel_poll(ctx: PollsContext, identity: Identity, poll_id: Any, reason: str) -> dict:
    """Cancel a poll before it opens; the reason is shown with it. Its key is destroyed. A
    poll opened from a proposal gives the proposal back as a draft, which keeps the link to
    the cancelled poll and can be opened again, its supporters kept (docs/governance.md)."""
    with ctx.db.transaction() as cur:
        poll = _scheduled_poll(cur, identity, poll_id, "cancel")
        polls_sql.mark_cancelled(cur, poll_id, identity.member_id, reason)
        polls_sql.destroy_key(cur, poll_id)
        if poll["proposal_id"] is not None:
            proposals_sql.reopen_after_cancelled_poll(cur, poll["proposal_id"], poll_id)
        return view(ctx, cur, poll_id)
