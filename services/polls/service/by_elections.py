"""By-elections for empty delegate seats (issue 18): which seat is empty, who may stand.

A seat is the delegate mandate that was elected to it. It is empty when that mandate was
revoked, recalled, resigned or has ended, and no by-election for it is under way or has filled
it (a by-election is one per seat; `poll_purposes.details.by_election_for`). A by-election runs
among the candidates of the seat's original election who are not delegates of the chapter now,
are still its active members and did not hold the seat; the next-candidate rule seats the
first of them in the order of the original STV count.
"""

from __future__ import annotations

from typing import Any

from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.store import delegates as delegates_sql
from services.polls.store import replica as replica_sql

SEAT_FIELD = "by_election_for"


def _refuse(message: str) -> ApiError:
    return ApiError(422, message, "validation_failed", {SEAT_FIELD: [message]})


def empty_seat(ctx: PollsContext, cur: Any, chapter_id: str, mandate_id: str) -> dict:
    """The delegate mandate whose seat is empty, or 422 naming `by_election_for`."""
    seat = delegates_sql.delegate_mandate(cur, mandate_id)
    if seat is None or seat["chapter_id"] != chapter_id:
        raise _refuse("No delegate seat of this chapter has this id.")
    ended = seat["ends_at"] is not None and seat["ends_at"] <= ctx.clock()
    if not seat["revoked"] and not ended:
        raise _refuse("This seat is filled: its delegate's mandate is running.")
    held = delegates_sql.by_election_for(cur, mandate_id)
    if held is not None:
        raise _refuse("A by-election for this seat is under way or has filled it.")
    return seat


def original_election(cur: Any, seat: dict) -> tuple[str | None, dict]:
    """The first election of the seat (following by-elections back) and its details."""
    poll_id = seat.get("poll_id")
    purpose = delegates_sql.poll_purpose(cur, poll_id) if poll_id else None
    details = (purpose or {}).get("details") or {}
    original = details.get("original_poll_id")
    if original:
        return original, (delegates_sql.poll_purpose(cur, original) or {}).get("details") or {}
    return poll_id, details


def details_for_seat(ctx: PollsContext, cur: Any, chapter_id: str, data: dict) -> dict:
    """The details of a by-election asked for through the API (one seat, the seat's term)."""
    if (data.get("seats") or 1) != 1:
        raise ApiError(
            422,
            "A by-election fills one seat.",
            "validation_failed",
            {"seats": ["Must be 1 for a by-election."]},
        )
    mandate_id = str(data[SEAT_FIELD])
    delegates_sql.lock_seat_key(cur, mandate_id)
    seat = empty_seat(ctx, cur, chapter_id, mandate_id)
    return seat_details(cur, seat, "by_election")


def seat_details(cur: Any, seat: dict, rule: str) -> dict:
    original, _details = original_election(cur, seat)
    return {
        "seats": 1,
        SEAT_FIELD: seat["mandate_id"],
        "seat_ends_at": seat["ends_at"].isoformat() if seat["ends_at"] else None,
        "original_poll_id": original,
        "rule": rule,
    }


def eligible(ctx: PollsContext, cur: Any, seat: dict, candidates: dict) -> dict[str, str]:
    """The candidates (name: member id) not delegates of the chapter now, still its members, and
    not the member who left the seat (recalled, resigned: they do not stand for it again)."""
    chapter_id = seat["chapter_id"]
    sitting = {
        d["member_id"] for d in delegates_sql.live_delegates_of(cur, chapter_id, ctx.clock())
    }
    return {
        name: member_id
        for name, member_id in candidates.items()
        if member_id not in sitting
        and member_id != seat["member_id"]
        and replica_sql.active_member_of(cur, member_id, chapter_id)
    }


def count_order(result: dict | None, names: list[str]) -> list[str]:
    """The candidates in the order of the STV count: the elected, then those still standing at
    its end (highest last total first), then the excluded (last excluded first)."""
    question = ((result or {}).get("questions") or [{}])[0]
    rounds = question.get("rounds") or []
    elected = list(question.get("winners") or [])
    excluded = [name for r in rounds for name in r.get("eliminated") or []]
    totals = rounds[-1].get("totals", {}) if rounds else {}
    standing = [n for n in names if n not in elected and n not in excluded]
    standing.sort(key=lambda n: -float(totals.get(n, 0)))
    ordered = elected + standing + list(reversed(excluded))
    return ordered + [n for n in names if n not in ordered]
