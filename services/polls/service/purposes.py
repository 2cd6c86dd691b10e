"""What a poll's purpose (delegate election, delegate poll, recall vote; issue 7) changes in
the life of any poll: its electorate, its roll-call, what its close announces. Each runs inside
the caller's transaction and is a no-op for an ordinary poll."""

from __future__ import annotations

from typing import Any

from services.polls.service import representation
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql
from services.polls.store import representation as rep_sql

DEFAULT_TERM_DAYS = 365


def fix_electorate(cur: Any, poll: dict, now: Any) -> int | None:
    """The weighted electorate of a delegate poll (None for any other poll)."""
    purpose = delegates_sql.poll_purpose(cur, poll["id"])
    if purpose is None or purpose["purpose"] != "delegate_poll":
        return None
    return representation.fix_delegate_electorate(cur, poll["id"], purpose["chapter_id"], now)


def record_public_vote(cur: Any, poll_id: Any, member_id: str, answers: list, weight: int) -> None:
    """Roll-call: a delegate's vote in a delegate poll is public (no-op for other polls)."""
    purpose = delegates_sql.poll_purpose(cur, poll_id)
    if purpose is None or purpose["purpose"] != "delegate_poll":
        return
    # A direct member votes for themselves only: their ballot stays secret.
    if rep_sql.is_delegate_elector(cur, poll_id, member_id):
        delegates_sql.record_public_vote(cur, poll_id, member_id, weight, answers)


def closed_extras(cur: Any, poll: dict, per_question: list[dict]) -> dict:
    """Extra fields of `polls.poll.closed` for delegate elections and recall votes."""
    purpose = delegates_sql.poll_purpose(cur, poll["id"])
    if purpose is None:
        return {}
    details = purpose["details"] or {}
    if purpose["purpose"] == "delegate_election":
        return _election_extras(purpose, details, per_question)
    if purpose["purpose"] == "recall":
        questions = polls_sql.get_questions(cur, poll["id"])
        totals = delegates_sql.weighted_choices(cur, poll["id"], str(questions[0]["id"]))
        votes_for, votes_against = totals.get("recall", 0), totals.get("keep", 0)
        return {
            "purpose": "recall",
            "recall": {
                "petition_id": purpose["petition_id"],
                "mandate_id": details.get("mandate_id"),
                "passed": votes_for > votes_against,
                "votes_for": votes_for,
                "votes_against": votes_against,
            },
        }
    return {"purpose": purpose["purpose"]}


def _election_extras(purpose: dict, details: dict, per_question: list[dict]) -> dict:
    candidates = details.get("candidates") or {}
    winners = per_question[0].get("winners", []) if per_question else []
    return {
        "purpose": "delegate_election",
        "election": {
            "chapter_id": purpose["chapter_id"],
            "seats": details.get("seats", 1),
            "term_days": details.get("term_days", DEFAULT_TERM_DAYS),
            "elected": list(candidates.values())
            if details.get("uncontested")
            else [candidates[w] for w in winners if w in candidates],
            "uncontested": bool(details.get("uncontested")),
            # a by-election (issue 18): the seat it fills, until that seat's term ends
            **{k: details[k] for k in ("by_election_for", "seat_ends_at") if details.get(k)},
        },
    }
