"""A delegate seat that empties (issue 18): announced so that it is filled again.

A delegate keeps the share they were elected for: when their mandate is recalled, revoked,
resigned or its term ends, members announces `members.delegate.seat_vacated` {mandate_id,
member_id, delegate_name, chapter_id, chapter_name, reason ("recalled" | "revoked" | "resigned"
| "term"), ends_at (the seat's term), election_poll_id, vacancy_rule ("by_election" |
"next_candidate", the chapter's rule)}. Polls opens the by-election (or seats the next
candidate of the original count) and tells the chapter (service/vacancies.py there). A mandate
superseded by a new election leaves no empty seat, so nothing is announced for it.
"""

from __future__ import annotations

import datetime as dt

from services.common.bus import emit
from services.members.store import chapters as chapters_store
from services.members.store import delegates as delegates_store
from services.members.store import recall as recall_store


def _iso(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def seat_vacated(cur, mandate: dict, reason: str) -> None:
    """Announce the empty seat of a delegate mandate (no-op for other roles); in the caller's
    transaction, once per end of a mandate (the callers' guards make it once)."""
    if mandate["role"] != "delegate" or mandate.get("chapter_id") is None:
        return
    chapter_id = mandate["chapter_id"]
    term = delegates_store.delegate_term(cur, mandate["id"]) or {}
    chapter = chapters_store.chapter_by_id(cur, chapter_id) or {}
    settings = recall_store.recall_settings(cur, chapter_id) or {}
    emit(
        cur,
        "members.delegate.seat_vacated",
        {
            "mandate_id": str(mandate["id"]),
            "member_id": str(mandate["member_id"]),
            "delegate_name": mandate.get("member_name"),
            "chapter_id": str(chapter_id),
            "chapter_name": chapter.get("name"),
            "reason": reason,
            "ends_at": _iso(mandate.get("ends_at")),
            "election_poll_id": term.get("poll_id"),
            "vacancy_rule": settings.get("vacancy_rule") or "by_election",
        },
    )
