"""An empty delegate seat is filled again (issue 18; consumer `delegates`).

On `members.delegate.seat_vacated` polls, once per seat:
- the seat's term is over (reason `term`, or its end passed): nothing is left to fill; when no
  delegate of that election is left, the chapter is told a new election is due
  (`polls.by_election.needed`, reason `term_over`);
- rule `by_election` (default): a one-seat delegate election opens in the chapter among the
  candidates of the seat's original election who are not delegates now, are still active
  members and did not hold the seat (`BY_ELECTION_DAYS` long; a single candidate is elected
  at once, as in any uncontested election);
- rule `next_candidate`: the first of them in the order of the original STV count takes the
  seat (an uncontested by-election, closed at once);
- nobody to stand: the seat stays empty and the chapter is told to launch a by-election
  (`polls.by_election.needed`, reason `no_candidates`; `by_election_for` in the API).
A by-election announces `polls.by_election.opened` {poll_id, chapter_id, chapter_name,
mandate_id, delegate_name, rule, candidates, filled, closes_at}; notify tells the chapter.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from services.common.bus import emit
from services.polls.context import PollsContext
from services.polls.service import by_elections, delegates, elections
from services.polls.store import delegates as delegates_sql
from services.polls.store import replica as replica_sql

log = logging.getLogger("councils.polls.vacancies")

BY_ELECTION_DAYS = 14


def _when(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _needed(cur: Any, data: dict, reason: str) -> None:
    emit(
        cur,
        "polls.by_election.needed",
        {
            "chapter_id": str(data["chapter_id"]),
            "chapter_name": data.get("chapter_name"),
            "mandate_id": str(data["mandate_id"]),
            "delegate_name": data.get("delegate_name"),
            "reason": reason,
        },
    )


def _term_over(ctx: PollsContext, cur: Any, data: dict, seat: dict) -> None:
    """Tell the chapter once, when the last seat of the election has ended."""
    live = delegates_sql.live_delegates_of(cur, str(data["chapter_id"]), ctx.clock())
    if not any(d.get("poll_id") == seat.get("poll_id") for d in live):
        _needed(cur, data, "term_over")


def _candidates(ctx: PollsContext, cur: Any, seat: dict, rule: str) -> dict[str, str]:
    original, details = by_elections.original_election(cur, seat)
    candidates = by_elections.eligible(ctx, cur, seat, details.get("candidates") or {})
    if rule == "next_candidate" and candidates:
        order = by_elections.count_order(
            delegates_sql.poll_results(cur, original), list(details.get("candidates") or {})
        )
        first = next(name for name in order if name in candidates)
        candidates = {first: candidates[first]}
    # the ballot shows each member's own name now, whatever the original ballot said; a member
    # whose name polls does not know is left off rather than shown under another name
    known = replica_sql.member_names(cur, list(candidates.values()))
    member_ids = [m for m in candidates.values() if m in known]
    names = elections.ballot_names(cur, member_ids, [None] * len(member_ids))
    return dict(zip(names, member_ids, strict=True))


def seat_vacated(ctx: PollsContext, cur: Any, event: dict) -> None:
    data = event["data"]
    mandate_id = str(data["mandate_id"])
    delegates_sql.lock_seat_key(cur, mandate_id)
    seat = delegates_sql.delegate_mandate(cur, mandate_id)
    if seat is None or delegates_sql.by_election_for(cur, mandate_id) is not None:
        log.info("seat of mandate %s: unknown or by-election held already", mandate_id)
        return
    now = ctx.clock()
    ends_at = _when(data.get("ends_at")) or seat["ends_at"]
    if data["reason"] == "term" or (ends_at is not None and ends_at <= now):
        _term_over(ctx, cur, data, seat)
        return
    rule = "next_candidate" if data.get("vacancy_rule") == "next_candidate" else "by_election"
    candidates = _candidates(ctx, cur, seat, rule)
    if not candidates:
        _needed(cur, data, "no_candidates")
        return
    closes_at = min(
        now + dt.timedelta(days=BY_ELECTION_DAYS),
        ends_at or now + dt.timedelta(days=BY_ELECTION_DAYS),
    )
    name = data.get("delegate_name") or "a delegate"
    poll = elections.insert_election(
        ctx,
        cur,
        elections.chapter_ballot("delegate_election", seat["chapter_id"]),
        {
            "title": f"By-election: the seat of {name} ({data.get('chapter_name') or ''})",
            "text": f"The seat of {name} is empty ({data['reason']}); this election fills it "
            "until its term ends.",
            "question": "Elect the delegate for this seat",
            "opens_at": now,
            "closes_at": closes_at,
            "created_by": delegates.SYSTEM,
        },
        candidates,
        by_elections.seat_details(cur, seat, rule),
    )
    emit(
        cur,
        "polls.by_election.opened",
        {
            "poll_id": str(poll["id"]),
            "chapter_id": seat["chapter_id"],
            "chapter_name": data.get("chapter_name"),
            "mandate_id": mandate_id,
            "delegate_name": data.get("delegate_name"),
            "rule": rule,
            "candidates": len(candidates),
            "filled": bool(poll["uncontested"]),
            "closes_at": None if poll["uncontested"] else closes_at.isoformat(),
        },
    )
