"""Results: the final count of a closed poll, or live results of an open one."""

from __future__ import annotations

from typing import Any

from services.common.errors import ApiError
from services.polls import slots
from services.polls.context import PollsContext
from services.polls.counting import count_poll
from services.polls.secrecy import shuffled
from services.polls.service import affected, representation
from services.polls.service.closing import voting_count
from services.polls.service.keys import latest_sealed
from services.polls.service.rows import present
from services.polls.store import ballots as ballots_sql
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql


def results(ctx: PollsContext, poll_id: Any) -> dict:
    with ctx.db.transaction() as cur:
        poll = polls_sql.get_poll(cur, poll_id)
        if poll is None:
            raise ApiError(404, "No such poll.")
        if poll["status"] == "open" and poll["live_results"]:
            return live_results(ctx, cur, poll)
        if poll["status"] != "closed" or not poll["counted"]:
            raise ApiError(
                409,
                "Results are published once the poll has closed and been counted.",
                "not_counted",
            )
        found = {**present(ballots_sql.poll_results(cur, poll_id)), "final": True}
        found = affected.with_weighted_turnout(cur, poll_id, found)
        return _with_representation(cur, poll_id, found)


def _with_representation(cur: Any, poll_id: Any, found: dict) -> dict:
    """A delegate poll's results say how its scope was represented, with turnout by people and
    by weight (issue 18); other polls' are unchanged."""
    purpose = delegates_sql.poll_purpose(cur, poll_id)
    if purpose is None or purpose["purpose"] != "delegate_poll":
        return found
    summary = representation.summary_of(cur, poll_id)
    return {
        **found,
        "representation": summary,
        # `turnout` here is by weight: voters (people) over the electorate's weight meant 0.4
        # when every delegate had voted.
        "turnout": summary["turnout_weight"],
        "turnout_people": summary["turnout_people"],
        "turnout_weight": summary["turnout_weight"],
    }


def live_results(ctx: PollsContext, cur: Any, poll: dict) -> dict:
    """Partial counts of an open poll that chose live results (`"final": false`), published
    in batches: the stored snapshot, refreshed only once at least `live_batch` new voters
    have voted since it was taken (so two readings never differ by fewer votes). No receipt
    hash leaves here: consensus responses are keyed by throwaway tokens."""
    poll_id, batch = poll["id"], poll["live_batch"]
    snapshot = ballots_sql.live_snapshot(cur, poll_id)
    if snapshot is None:  # the first reading: nothing counted yet
        ballots_sql.save_live_snapshot(cur, poll_id, 0, count_open(ctx, cur, poll, []), batch)
        snapshot = present(ballots_sql.live_snapshot(cur, poll_id))
    if ballots_sql.open_voters(cur, poll_id) >= snapshot["voters"] + batch:
        fresh = count_open(ctx, cur, poll)
        if fresh["voters"] >= snapshot["voters"] + batch:
            ballots_sql.save_live_snapshot(cur, poll_id, fresh["voters"], fresh, batch)
            snapshot = present(ballots_sql.live_snapshot(cur, poll_id))  # whoever won
    found = {**snapshot["results"], "live_results_rule": slots.live_rule(batch)}
    return _with_representation(cur, poll_id, found)


def count_open(ctx: PollsContext, cur: Any, poll: dict, ballots: list | None = None) -> dict:
    poll_id = poll["id"]
    if ballots is None:
        ballots = shuffled(latest_sealed(ctx, cur, poll_id))
    rows = slots.counting_rows(ballots)
    electorate = polls_sql.electorate_weight(cur, poll_id)
    voted_weight = sum(r["weight"] for r in rows)
    return {
        "poll_id": str(poll_id),
        "title": poll["title"],
        "voters": len(rows),
        "electorate": electorate,
        "ballots": len(rows),
        "turnout": round(len(rows) / electorate, 4) if electorate else None,
        "closed_at": None,
        "final": False,
        "questions": count_poll(
            polls_sql.get_questions(cur, poll_id), rows, electorate, voting_count()
        ),
        **affected.weighted_turnout(cur, poll_id, len(rows), voted_weight),
    }
