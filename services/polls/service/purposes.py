"""What a poll's purpose (delegate, coordinator or admin election, delegate poll, recall vote;
issues 7 and 18) changes in the life of any poll: its electorate, its roll-call, what its close
announces. Each runs inside the caller's transaction and is a no-op for an ordinary poll."""

from __future__ import annotations

from typing import Any

from services.polls.service import representation
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql
from services.polls.store import representation as rep_sql

DEFAULT_TERM_DAYS = 365
# Polls electing mandates (service/elections.py): their close names the elected.
ELECTIONS = ("delegate_election", "coordinator_election", "admin_election")


def _by_delegates(purpose: dict | None) -> bool:
    """A delegate poll, or an admin election held by the delegates (ADMIN_ELECTORATE=delegates,
    issue 18): its electorate is weighted delegates and their votes are public."""
    if purpose is None:
        return False
    if purpose["purpose"] == "admin_election":
        return (purpose["details"] or {}).get("electorate") == "delegates"
    return purpose["purpose"] == "delegate_poll"


def fix_electorate(cur: Any, poll: dict, now: Any) -> int | None:
    """The weighted electorate of a delegate poll (None for any other poll)."""
    purpose = delegates_sql.poll_purpose(cur, poll["id"])
    if purpose is None or not _by_delegates(purpose):
        return None
    # A delegate poll at its chapter; an admin election held by the delegates at the top chapter.
    chapter_id = purpose["chapter_id"] or poll["scope_id"]
    return representation.fix_delegate_electorate(cur, poll["id"], chapter_id, now)


def record_public_vote(cur: Any, poll_id: Any, member_id: str, answers: list, weight: int) -> None:
    """Roll-call: a delegate's vote in a delegate poll is public (no-op for other polls)."""
    purpose = delegates_sql.poll_purpose(cur, poll_id)
    if not _by_delegates(purpose):
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
    if purpose["purpose"] in ELECTIONS:
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
        "purpose": purpose["purpose"],
        "election": {
            "chapter_id": purpose["chapter_id"],
            "seats": details.get("seats", 1),
            "term_days": details.get("term_days", DEFAULT_TERM_DAYS),
            "elected": list(candidates.values())
            if details.get("uncontested")
            else [candidates[w] for w in winners if w in candidates],
            "uncontested": bool(details.get("uncontested")),
            # the names elected unopposed, for the results mail to say so plainly
            **({"elected_names": list(candidates)} if details.get("uncontested") else {}),
            # a by-election (issue 18): the seat it fills, until that seat's term ends
            **{k: details[k] for k in ("by_election_for", "seat_ends_at") if details.get(k)},
            "electorate": details.get("electorate", "members"),
        },
    }
