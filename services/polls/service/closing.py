"""Closing a poll: open the sealed ballots, publish them shuffled, destroy the key, count,
announce; and what is published after close (ballots, commitments, the export)."""

from __future__ import annotations

import logging
from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls import slots
from services.polls.context import PollsContext
from services.polls.counting import count_poll
from services.polls.secrecy import shuffled
from services.polls.service import purposes
from services.polls.service.keys import key_of, latest_sealed
from services.polls.service.rights import require_launch
from services.polls.service.views import get_poll, poll_view, scope_of
from services.polls.slots import SEALED_BY_ROLL
from services.polls.store import ballots as ballots_sql
from services.polls.store import polls as polls_sql

log = logging.getLogger("councils.polls")


def voting_count() -> Any:
    from services.polls.voting import count  # the voting core; imported when first needed

    return count


def close(ctx: PollsContext, identity: Identity, poll_id: Any) -> dict:
    with ctx.db.transaction() as cur:
        poll = polls_sql.get_poll(cur, poll_id, lock="update")
        if poll is None:
            raise ApiError(404, "No such poll.")
        require_launch(cur, identity, poll["scope_type"], poll["scope_id"], "close")
        if poll["status"] != "open":
            raise ApiError(409, f"This poll is {poll['status']}, not open.", "not_open")
        close_poll(ctx, cur, poll, identity.member_id)
    forget_retry_tags(ctx, poll_id)
    return get_poll(ctx, poll_id)


def forget_retry_tags(ctx: PollsContext, poll_id: Any) -> None:
    """After close (in a transaction of its own, so that no roll row is rewritten by the
    transaction that wrote the ballots): the retry tags are useless without the destroyed
    key, and are cleared all the same."""
    with ctx.db.transaction() as cur:
        polls_sql.clear_retry_tags(cur, poll_id)


def close_poll(ctx: PollsContext, cur: Any, poll: dict, closed_by: str | None) -> dict:
    """Open the sealed ballots, publish them shuffled, destroy the key, count, announce
    (inside the caller's transaction, the poll locked for update)."""
    poll_id = poll["id"]
    ballots_sql.lock_ballots_exclusive(cur, poll_id)  # waits for casts and changes in flight
    ctx.definitions.forget(poll_id)
    key = key_of(ctx, cur, poll_id)
    if key is not None and poll["sealing"] != SEALED_BY_ROLL:  # the roll, from the slots
        filled = ballots_sql.slot_ids(cur, poll_id)
        ballots_sql.add_roll(
            cur, poll_id, slots.voters_in_slots(key, ballots_sql.electors(cur, poll_id), filled)
        )
    latest = shuffled(latest_sealed(ctx, cur, poll_id, ballots_sql.take_sealed))
    rows = slots.counting_rows(latest)
    if rows:
        ballots_sql.insert_ballots(cur, poll_id, [(r["weight"], r["answers"]) for r in rows])
    ballots_sql.insert_commitments(cur, poll_id, [b["r"] for b in latest])
    polls_sql.destroy_key(cur, poll_id)
    voters = polls_sql.roll_count(cur, poll_id)
    electorate = polls_sql.electorate_weight(cur, poll_id)
    questions = polls_sql.get_questions(cur, poll_id)
    per_question = count_poll(questions, rows, electorate, voting_count())
    closed_at = ctx.clock()
    results = {
        "poll_id": str(poll_id),
        "title": poll["title"],
        "voters": voters,
        "electorate": electorate,
        "ballots": len(rows),
        "turnout": round(voters / electorate, 4) if electorate else None,
        "closed_at": closed_at.isoformat(),
        "questions": per_question,
    }
    ballots_sql.mark_closed(cur, poll_id, closed_by, voters, results)
    _announce(cur, poll, results)
    log.info("poll %s closed: %s voters of %s", poll_id, voters, electorate)
    return results


def _announce(cur: Any, poll: dict, results: dict) -> None:
    per_question = results["questions"]
    emit(
        cur,
        "polls.poll.closed",
        {
            "poll_id": results["poll_id"],
            "title": poll["title"],
            "scope": scope_of(poll),
            "closed_at": results["closed_at"],
            "voters": results["voters"],
            "electorate": results["electorate"],
            "results": [
                {
                    "question_id": q["question_id"],
                    "text": q["text"],
                    "method": q.get("method"),
                    "winners": q.get("winners", []),
                    "answered": q["answered"],
                }
                for q in per_question
            ],
            # delegate elections and recall votes say what they decided (issue 7)
            **purposes.closed_extras(cur, poll, per_question),
        },
    )


def closed_poll(cur: Any, poll_id: Any) -> dict:
    poll = polls_sql.get_poll(cur, poll_id)
    if poll is None:
        raise ApiError(404, "No such poll.")
    if poll["status"] != "closed":
        raise ApiError(409, "Ballots are published once the poll has closed.", "not_closed")
    return poll


def published_ballots(
    ctx: PollsContext, poll_id: Any, limit: int = 1000, after: str | None = None
) -> dict:
    """The counted ballots' contents, without receipts (their commitments are published
    apart, sorted: `commitments`)."""
    with ctx.db.transaction() as cur:
        closed_poll(cur, poll_id)
        rows = ballots_sql.published_ballots(cur, poll_id, limit, after)
        return {
            "ballots": [dict(r) for r in rows],
            "next": rows[-1]["id"] if len(rows) == limit else None,
        }


def commitments(
    ctx: PollsContext, poll_id: Any, limit: int = 1000, after: str | None = None
) -> dict:
    with ctx.db.transaction() as cur:
        closed_poll(cur, poll_id)
        found = ballots_sql.commitments(cur, poll_id, limit, after)
        return {"commitments": found, "next": found[-1] if len(found) == limit else None}


def export(ctx: PollsContext, poll_id: Any) -> tuple[dict, list[dict]]:
    with ctx.db.transaction() as cur:
        poll = closed_poll(cur, poll_id)
        results = ballots_sql.poll_results(cur, poll_id)
        ballots = [dict(r) for r in ballots_sql.all_ballots(cur, poll_id)]
        counted = ballots_sql.commitments(cur, poll_id, 10_000_000, None)
        found = poll_view(poll, polls_sql.get_questions(cur, poll_id))
        return {"poll": found, "results": results, "commitments": counted}, ballots
