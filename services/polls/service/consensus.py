"""Consensus processes: the next round with an amended text, or the fallback vote."""

from __future__ import annotations

from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service.launch import create_poll
from services.polls.service.rights import require_launch
from services.polls.service.rows import present
from services.polls.service.views import scope_of
from services.polls.store import ballots as ballots_sql
from services.polls.store import polls as polls_sql


def next_round(
    ctx: PollsContext, identity: Identity, poll_id: Any, question_id: Any, data: dict
) -> dict:
    """After a consensus round without consensus: the next round with the amended text
    (while rounds remain), else the fallback vote the rules name. A new poll, same scope."""
    poll, entry = _finished_round(ctx, identity, poll_id, question_id)
    question, stage, number, title = _next_question(poll, entry, data)
    question.update({"process": entry["process"], "previous_poll_id": str(poll_id)})
    scope = scope_of(poll)
    created = create_poll(
        ctx,
        identity,
        {
            "title": title,
            "text": poll["text"],
            "scope": scope,
            "questions": [question],
            "closes_at": data["closes_at"],
            "opens_at": data.get("opens_at"),
        },
    )
    with ctx.db.transaction() as cur:
        emit(
            cur,
            "polls.consensus.round_started",
            {
                "poll_id": created["id"],
                "question_id": created["questions"][0]["id"],
                "previous_poll_id": str(poll_id),
                "title": title,
                "scope": scope,
                "stage": stage,
                "round": number,
                "text": question["text"],
                "closes_at": created["closes_at"],
            },
        )
    return created


def _finished_round(
    ctx: PollsContext, identity: Identity, poll_id: Any, question_id: Any
) -> tuple[dict, dict]:
    """The counted poll and its consensus question's result (404/403/409 otherwise)."""
    with ctx.db.transaction() as cur:
        poll = polls_sql.get_poll(cur, poll_id)
        if poll is None:
            raise ApiError(404, "No such poll.")
        require_launch(cur, identity, poll["scope_type"], poll["scope_id"], "continue")
        if poll["status"] != "closed" or not poll["counted"]:
            raise ApiError(409, "The round is still open.", "not_counted")
        results = present(ballots_sql.poll_results(cur, poll_id))
    entry = next((q for q in results["questions"] if q["question_id"] == str(question_id)), None)
    if entry is None or entry.get("method") != "consensus" or "process" not in entry:
        raise ApiError(404, "No consensus question with this id in this poll.")
    return poll, entry


def _next_question(poll: dict, entry: dict, data: dict) -> tuple[dict, str, int, str]:
    """(question, stage, round number, title) of what follows the round."""
    process, status = entry["process"], entry["status"]
    rules = {k: v for k, v in process["rules"].items() if v is not None}
    if rules.get("fallback") == "no_decision":
        rules.pop("fallback")
    if status == "needs_amendment":
        text = (data.get("text") or "").strip()
        if not text:
            raise ApiError(
                422,
                "The next round needs the amended text.",
                "validation_failed",
                {"text": ["Required for a new round."]},
            )
        number = len(process["rounds"]) + 1
        return (
            {"text": text, "method": "consensus", **rules},
            "round",
            number,
            f"{poll['title']} (round {number})",
        )
    if status == "fallback_vote":
        return (
            {"text": process["rounds"][-1]["text"], "method": "consensus_vote", **rules},
            "fallback_vote",
            len(process["rounds"]),
            f"{poll['title']} (fallback vote)",
        )
    raise ApiError(
        409, f"This consensus process is {status}: no further round.", "process_finished"
    )
