"""Launching polls: checks, creation (or a dry run of it), opening and the invitations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.secrecy import new_poll_key
from services.polls.service import affected, purposes
from services.polls.service.questions import check_questions
from services.polls.service.rights import require_launch
from services.polls.service.rows import present
from services.polls.service.views import iso, scope_of, view
from services.polls.store import polls as polls_sql
from services.polls.store import replica as replica_sql

INVITATION_PART = 1000
# Polls learns of chapters from members' events: a chapter founded a moment ago may not be here.
UNKNOWN_CHAPTER = (
    "Unknown chapter: it does not exist, or was founded a moment ago and has not reached polls"
    " yet (retry in a few seconds)."
)


class _DryRun(Exception):
    """Stops a dry-run launch inside its transaction, carrying the poll it would create."""

    def __init__(self, found: dict) -> None:
        super().__init__("dry run")
        self.view = found


def times(data: dict, now: Any) -> tuple[Any, Any]:
    """(opens_at, closes_at): closes_at in the future and after opens_at (default: now)."""
    opens_at = data.get("opens_at") or now
    closes_at = data["closes_at"]
    if closes_at <= now or closes_at <= opens_at:
        raise ApiError(
            422,
            "closes_at must be in the future and after opens_at.",
            "validation_failed",
            {"closes_at": ["Must be later."]},
        )
    return opens_at, closes_at


def proposal_opens_by(ctx: PollsContext) -> dt.datetime:
    """The latest a poll opened now from a members' proposal may open:
    `POLLS_PROPOSAL_OPEN_MAX_DAYS` ahead. Whoever opens the proposal schedules its poll, but
    cannot bury it a year ahead, nor move it past this later by editing it
    (docs/governance.md)."""
    return ctx.clock() + dt.timedelta(days=ctx.settings.proposal_open_max_days)


def refuse_late_opening(opens_at: Any, opens_by: Any) -> None:
    """422 naming `opens_at` when a proposal's poll would open after `opens_by`."""
    if opens_at is not None and opens_by is not None and opens_at > opens_by:
        message = (
            "A poll opened from a members' proposal opens within POLLS_PROPOSAL_OPEN_MAX_DAYS "
            f"of being opened from it: by {iso(opens_by)} at the latest."
        )
        raise ApiError(422, message, "validation_failed", {"opens_at": [message]})


def validate_poll(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    """Every check of create_poll, in the same transaction shape, then roll back: a poll
    that passes here is created by the same request without dry_run."""
    try:
        create_poll(ctx, identity, data, dry_run=True)
    except _DryRun as done:
        return done.view
    raise AssertionError("dry run did not stop")  # pragma: no cover


def create_poll(
    ctx: PollsContext,
    identity: Identity,
    data: dict,
    *,
    proposal_id: Any = None,
    dry_run: bool = False,
) -> dict:
    scope = data["scope"]
    scope_type, scope_id = scope["type"], scope.get("id")
    questions = check_questions(data["questions"])
    now = ctx.clock()
    opens_at, closes_at = times(data, now)
    with ctx.db.transaction() as cur:
        require_launch(cur, identity, scope_type, scope_id)
        if scope_type == "chapter" and not replica_sql.chapter_exists(cur, scope_id):
            raise ApiError(
                422,
                f"Unknown chapter {scope_id!r}.",
                "validation_failed",
                {"scope.id": [UNKNOWN_CHAPTER]},
            )
        affected.check_affected(ctx, cur, scope, data.get("affected") or [], opens_at, now)
        poll_id = insert_poll(
            ctx,
            cur,
            {
                "title": data["title"],
                "text": data.get("text") or "",
                "scope_type": scope_type,
                "scope_id": scope_id,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "created_by": identity.member_id,
                "live_results": bool(data.get("live_results")),
                "proposal_id": proposal_id,
                "live_batch": ctx.settings.live_results_batch,
            },
            questions,
        )
        affected.record_affected(cur, poll_id, data.get("affected") or [])
        if opens_at <= now:
            open_poll(ctx, cur, poll_id)
        if dry_run:
            raise _DryRun(view(ctx, cur, poll_id))  # rolls the transaction back
        return view(ctx, cur, poll_id)


def insert_poll(ctx: PollsContext, cur: Any, poll: dict, questions: list[dict]) -> uuid.UUID:
    """Insert a scheduled poll, its questions and its key, in the caller's transaction."""
    poll_id = uuid.uuid4()
    polls_sql.insert_poll(cur, {"id": poll_id, "status": "scheduled", **poll})
    for position, question in enumerate(questions):
        polls_sql.insert_question(
            cur, {"id": uuid.uuid4(), "poll_id": poll_id, "position": position, **question}
        )
    polls_sql.insert_key(cur, poll_id, *new_poll_key(ctx.secret_keys[0], poll_id))
    return poll_id


def open_poll(ctx: PollsContext, cur: Any, poll_id: Any) -> None:
    """Fix the electorate, open, announce and invite (inside the caller's transaction)."""
    poll = present(polls_sql.get_poll(cur, poll_id))
    electorate = purposes.fix_electorate(cur, poll, ctx.clock())  # issue 7
    if electorate is None:
        electorate = polls_sql.fix_electorate(cur, poll_id, poll["scope_type"], poll["scope_id"])
        affected.weigh_at_opening(ctx, cur, poll)  # issue 18: affected scopes
    polls_sql.mark_open(cur, poll_id, electorate)
    members = polls_sql.electorate_member_ids(cur, poll_id)
    parts = [members[i : i + INVITATION_PART] for i in range(0, len(members), INVITATION_PART)]
    emit(
        cur,
        "polls.poll.opened",
        {
            "poll_id": str(poll_id),
            "title": poll["title"],
            "scope": scope_of(poll),
            "opens_at": iso(poll["opens_at"]),
            "closes_at": iso(poll["closes_at"]),
            "electorate": electorate,
            "invitation_parts": len(parts),
        },
    )
    _invite(cur, poll_id, poll, parts)


def _invite(cur: Any, poll_id: Any, poll: dict, parts: list[list[str]]) -> None:
    """`polls.poll.invitations` for exactly the electorate just fixed (issue 17: notify must
    not invite from its own, differently lagging, replica), in parts of 1,000 members."""
    for number, member_ids in enumerate(parts, start=1):
        emit(
            cur,
            "polls.poll.invitations",
            {
                "poll_id": str(poll_id),
                "title": poll["title"],
                "scope": scope_of(poll),
                "closes_at": iso(poll["closes_at"]),
                "member_ids": member_ids,
                "part": number,
                "parts": len(parts),
            },
        )
