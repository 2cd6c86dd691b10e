"""Deadlines and the scheduler: extending a deadline, opening and closing what is due,
announcing polls closing soon, scrubbing the tables that held secrets."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls import slots
from services.polls.context import PollsContext
from services.polls.service import initiative, upward
from services.polls.service.closing import close_poll, forget_retry_tags
from services.polls.service.keys import key_of
from services.polls.service.launch import open_poll
from services.polls.service.rights import require_launch
from services.polls.service.views import iso, scope_of, view
from services.polls.store import ballots as ballots_sql
from services.polls.store import polls as polls_sql

log = logging.getLogger("councils.polls")

CLOSING_SOON_PAGE = 500


def extend(
    ctx: PollsContext, identity: Identity, poll_id: Any, closes_at: dt.datetime, reason: str
) -> dict:
    with ctx.db.transaction() as cur:
        poll = polls_sql.get_poll(cur, poll_id, lock="update")
        if poll is None:
            raise ApiError(404, "No such poll.")
        require_launch(cur, identity, poll["scope_type"], poll["scope_id"], "extend")
        if poll["status"] == "closed":
            raise ApiError(409, "This poll is closed.", "poll_closed")
        if closes_at <= poll["closes_at"]:
            raise ApiError(
                422,
                "A deadline can only be extended.",
                "validation_failed",
                {"closes_at": ["Must be later than the current deadline."]},
            )
        polls_sql.set_closes_at(cur, poll_id, closes_at)
        polls_sql.log_deadline_change(
            cur, poll_id, poll["closes_at"], closes_at, reason, identity.member_id
        )
        emit(
            cur,
            "polls.poll.deadline_extended",
            {
                "poll_id": str(poll_id),
                "title": poll["title"],
                "scope": scope_of(poll),
                "old_closes_at": iso(poll["closes_at"]),
                "closes_at": iso(closes_at),
                "reason": reason,
            },
        )
        return view(ctx, cur, poll_id)


def open_due(ctx: PollsContext) -> int:
    with ctx.db.transaction() as cur:
        due = polls_sql.due_to_open(cur, ctx.clock())
    # While the electorate replica may be behind (issue 17), a due poll waits, at most
    # POLLS_OPEN_MAX_WAIT seconds past its opening time, so that members approved before
    # it opens are in its electorate.
    latest = ctx.clock()
    if due and replica_behind(ctx):
        latest -= dt.timedelta(seconds=ctx.settings.open_max_wait)
        log.warning("the electorate replica may be behind: %d due poll(s) wait", len(due))
    opened = 0
    for poll_id in due:
        with ctx.db.transaction() as cur:
            poll = polls_sql.get_poll(cur, poll_id, lock="update")
            if poll and poll["status"] == "scheduled" and poll["opens_at"] <= latest:
                open_poll(ctx, cur, poll_id)
                opened += 1
    return opened


def replica_behind(ctx: PollsContext) -> bool:
    """Whether events from members may be waiting: the broker does not answer, or the
    electorate queue holds messages not yet handled."""
    transport = ctx.transport
    try:
        if not transport.ping():
            return True
        return bool(transport.depth(f"{transport.queue_prefix}polls.electorate") > 0)
    except Exception:  # noqa: BLE001 - unknown is behind
        return True


def close_due(ctx: PollsContext) -> int:
    with ctx.db.transaction() as cur:
        due = polls_sql.due_to_close(cur, ctx.clock())
    closed = 0
    for poll_id in due:
        with ctx.db.transaction() as cur:
            poll = polls_sql.get_poll(cur, poll_id, lock="update")
            if poll and poll["status"] == "open" and poll["closes_at"] <= ctx.clock():
                close_poll(ctx, cur, poll, None)
                closed += 1
            else:
                continue
        forget_retry_tags(ctx, poll_id)
    return closed


def announce_closing_soon(ctx: PollsContext, horizon: dt.timedelta) -> int:
    """`polls.poll.closing_soon` for polls closing within `horizon`, listing in pages the
    members who have not voted yet (never anything about what anyone voted)."""
    now = ctx.clock()
    sent = 0
    with ctx.db.transaction() as cur:
        for poll in polls_sql.closing_soon(cur, now, now + horizon):
            waiting = non_voters(ctx, cur, poll["id"])
            pages = max(1, -(-len(waiting) // CLOSING_SOON_PAGE))
            for page in range(pages):
                chunk = waiting[page * CLOSING_SOON_PAGE : (page + 1) * CLOSING_SOON_PAGE]
                emit(
                    cur,
                    "polls.poll.closing_soon",
                    {
                        "poll_id": str(poll["id"]),
                        "title": poll["title"],
                        "scope": scope_of(poll),
                        "closes_at": iso(poll["closes_at"]),
                        "member_ids": chunk,
                        "page": page + 1,
                        "pages": pages,
                    },
                )
            polls_sql.mark_closing_soon_sent(cur, poll["id"])
            sent += 1
    return sent


def non_voters(ctx: PollsContext, cur: Any, poll_id: Any) -> list[str]:
    """Electors who have not voted: the roll's complement, or (slots) worked out under the
    poll's key, since no roll row exists before close."""
    key = key_of(ctx, cur, poll_id)
    if key is None or polls_sql.roll_count(cur, poll_id):
        return list(polls_sql.non_voters(cur, poll_id))
    electors = ballots_sql.electors(cur, poll_id)
    voted = set(slots.voters_in_slots(key, electors, ballots_sql.slot_ids(cur, poll_id)))
    return [m for m in electors if m not in voted]


def scrub(ctx: PollsContext) -> None:
    """VACUUM the tables whose dead rows held keys, sealed ballots or retry tags."""
    polls_sql.vacuum(ctx.db)


def scheduler_turn(ctx: PollsContext, closing_soon: dt.timedelta | None = None) -> dict:
    """One turn: open what is due (member initiatives too), close what is due, announce what
    closes soon and the upward requests left unanswered past their deadline."""
    if closing_soon is None:
        closing_soon = dt.timedelta(hours=ctx.settings.closing_soon_hours)
    turn = {
        "initiatives": initiative.open_initiatives(ctx),
        "opened": open_due(ctx),
        "closed": close_due(ctx),
        "closing_soon": announce_closing_soon(ctx, closing_soon),
        "upward_overdue": upward.announce_overdue(ctx),
    }
    if any(turn.values()):
        log.info("scheduler: %s", turn)
    return turn
