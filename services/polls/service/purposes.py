"""What a poll's purpose (delegate, coordinator or admin election, delegate poll, recall vote;
issues 7 and 18) changes in the life of any poll: its electorate, its roll-call, what its close
announces. Each runs inside the caller's transaction and is a no-op for an ordinary poll."""

from __future__ import annotations

from typing import Any

from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql

DEFAULT_TERM_DAYS = 365
# Polls electing mandates (service/elections.py): their close names the elected.
ELECTIONS = ("delegate_election", "coordinator_election", "admin_election")


def split_weights(members: int, delegates: int) -> list[int]:
    """`members` split among `delegates` as equally as integers allow (largest remainder)."""
    if delegates <= 0:
        return []
    base, extra = divmod(members, delegates)
    return [base + (1 if i < extra else 0) for i in range(delegates)]


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
    chapter_id = purpose["chapter_id"] or poll["scope_id"]  # an admin election: the top chapter
    rows = delegates_sql.child_chapter_delegates(cur, chapter_id, now)
    by_chapter: dict[str, list[dict]] = {}
    for row in rows:
        by_chapter.setdefault(row["chapter_id"], []).append(row)
    electors = 0
    for chapter_id, delegates in by_chapter.items():
        members = delegates[0]["members"]
        for row, weight in zip(delegates, split_weights(members, len(delegates)), strict=True):
            if weight <= 0:
                continue  # a delegate of an empty chapter carries no say
            delegates_sql.add_weighted_elector(
                cur, poll["id"], row["member_id"], chapter_id, weight, members, len(delegates)
            )
            electors += 1
    return electors


def record_public_vote(cur: Any, poll_id: Any, member_id: str, answers: list, weight: int) -> None:
    """Roll-call: a delegate's vote in a delegate poll is public (no-op for other polls)."""
    if _by_delegates(delegates_sql.poll_purpose(cur, poll_id)):
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
            "electorate": details.get("electorate", "members"),
        },
    }
