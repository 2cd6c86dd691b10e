"""Representation without holes (issue 18; docs/governance.md, "Delegate polls"): the electorate
of a delegate poll at chapter C counts every active member of C's subtree exactly once.

- A **direct member** of C (in no child chapter of C) votes for themselves, weight 1.
- A **child chapter** keeps the seats its latest delegate election set (a by-election fills one
  of them, it does not set them): its members are split among those seats by largest remainder,
  and each live delegate carries one seat's weight. A chapter that never elected anyone has no
  seat; its members are unrepresented.
- An **empty seat** (recall, resignation, term end, no candidate) is never redistributed: its
  weight is reported as unrepresented, with the reason and since when.

The weights of the electors plus the unrepresented weights add up to the members of the scope;
the roll-call and the results say it per chapter, with turnout by people and by weight.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from services.polls.service.views import iso
from services.polls.store import delegates as delegates_sql
from services.polls.store import representation as rep_sql

NEVER_ELECTED = "never_elected"


def split_weights(members: int, seats: int) -> list[int]:
    """`members` split among `seats` as equally as integers allow (largest remainder)."""
    if seats <= 0:
        return []
    base, extra = divmod(members, seats)
    return [base + (1 if i < extra else 0) for i in range(seats)]


def fix_delegate_electorate(cur: Any, poll_id: Any, chapter_id: str, now: Any) -> int:
    """Write the weighted electorate and the representation of a delegate poll at
    `chapter_id` (in the caller's transaction); the number of electors."""
    placed = rep_sql.placed_members(cur, chapter_id)
    direct = [p["member_id"] for p in placed if p["child"] is None]
    members_of = Counter(p["child"] for p in placed if p["child"] is not None)
    for member_id in direct:
        rep_sql.add_elector(cur, poll_id, member_id, 1)
    rep_sql.add_representation(cur, poll_id, chapter_id, "direct", len(direct), 0, 0, [])
    electors = set(direct)
    children = rep_sql.child_chapters(cur, chapter_id)
    elections = rep_sql.latest_elections(cur, children)
    live: dict[str, list[dict]] = {}
    for row in rep_sql.live_delegates(cur, children, now):
        live.setdefault(row["chapter_id"], []).append(row)
    for child in children:
        electors |= _seat_child(
            cur, poll_id, child, members_of[child], live.get(child, []), elections.get(child), now
        )
    return len(electors)


def _seat_child(
    cur: Any, poll_id: Any, child: str, members: int, delegates: list, election: Any, now: Any
) -> set[str]:
    """The seats of one child chapter: its delegates as electors, its empty seats recorded."""
    seats = max(election["seats"] if election else 0, len(delegates))
    weights = split_weights(members, seats)
    electors = set()
    for row, weight in zip(delegates, weights, strict=False):
        if weight <= 0:
            continue  # a delegate of an empty chapter carries no say
        delegates_sql.add_weighted_elector(
            cur, poll_id, row["member_id"], child, weight, members, len(delegates)
        )
        electors.add(row["member_id"])
    empty = _empty_seats(cur, child, weights[len(delegates) :], election, now)
    if not seats and members:
        empty = [{"weight": members, "reason": NEVER_ELECTED, "since": None}]
    rep_sql.add_representation(
        cur, poll_id, child, "chapter", members, seats, len(delegates), empty
    )
    return electors


def _empty_seats(cur: Any, child: str, weights: list[int], election: Any, now: Any) -> list[dict]:
    """Each empty seat's weight with why and since when it is empty (latest emptied first)."""
    if not weights:
        return []
    emptied = rep_sql.emptied_seats(cur, child, election["closed_at"], now) if election else []
    seats = []
    for index, weight in enumerate(weights):
        if index < len(emptied):
            reason, since = emptied[index]["reason"], emptied[index]["since"]
        else:  # the election filled fewer seats than it set
            reason, since = NEVER_ELECTED, election["closed_at"] if election else None
        seats.append({"weight": weight, "reason": reason, "since": iso(since)})
    return seats


def summary(cur: Any, poll_id: Any, electors: list[dict]) -> dict:
    """Per chapter: weight, electors, who voted (people and weight), unrepresented; and the
    totals with turnout by people and by weight. `electors`: the roll-call's delegates."""
    chapters = []
    for row in rep_sql.representation(cur, poll_id):
        unrepresented = row["unrepresented"] or []
        entry = {
            "chapter_id": row["chapter_id"],
            "chapter_name": row["chapter_name"],
            "kind": row["kind"],
            "members": row["members"],
            "seats": row["seats"],
            "filled": row["filled"],
            "unrepresented": unrepresented,
            "unrepresented_weight": sum(u["weight"] for u in unrepresented),
        }
        if row["kind"] == "direct":
            # Who voted stays sealed until close; how many did is not: all voters less the
            # delegates, whose votes are public.
            voted = max(0, rep_sql.voters(cur, poll_id) - sum(1 for e in electors if e["voted"]))
            entry.update(
                weight=row["members"],
                electors=rep_sql.direct_electors(cur, poll_id),
                voted=voted,
                voted_weight=voted,
            )
        else:
            mine = [e for e in electors if e["chapter_id"] == row["chapter_id"]]
            entry.update(
                weight=sum(e["weight"] for e in mine),
                electors=len(mine),
                voted=sum(1 for e in mine if e["voted"]),
                voted_weight=sum(e["weight"] for e in mine if e["voted"]),
            )
        chapters.append(entry)
    return {"chapters": chapters, **_totals(chapters)}


def summary_of(cur: Any, poll_id: Any) -> dict:
    """`summary` for the results page: the delegates and whether they voted, read here."""
    voted = {v["member_id"] for v in delegates_sql.public_votes_of_poll(cur, poll_id)}
    electors = [
        {"chapter_id": e["chapter_id"], "weight": e["weight"], "voted": e["member_id"] in voted}
        for e in delegates_sql.delegate_electors(cur, poll_id)
    ]
    return summary(cur, poll_id, electors)


def _totals(chapters: list[dict]) -> dict:
    members = sum(c["members"] for c in chapters)
    electors = sum(c["electors"] for c in chapters)
    voters = sum(c["voted"] for c in chapters)
    voted_weight = sum(c["voted_weight"] for c in chapters)
    return {
        "scope_members": members,
        "represented_weight": sum(c["weight"] for c in chapters),
        "unrepresented_weight": sum(c["unrepresented_weight"] for c in chapters),
        "elector_count": electors,
        "voters": voters,
        "voted_weight": voted_weight,
        "turnout_people": round(voters / electors, 4) if electors else None,
        "turnout_weight": round(voted_weight / members, 4) if members else None,
    }
