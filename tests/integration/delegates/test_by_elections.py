"""Issue 18: an empty delegate seat is filled again (by-election, or the next candidate of the
original count) and its weight returns, and a recall needs a quorum (20 % of the chapter's
members by default); a by-election for a filled seat and a zero quorum without a chapter's
decision are refused naming the field. Each in a federation four levels deep and in one of five
built from FEDERATION_LEVELS, at the bottom level and the level above it (with a sub-chapter)."""

from __future__ import annotations

import datetime as dt

from services.members.service import mandates
from tests.integration.delegates.conftest import (
    by_chapter,
    delegate_poll,
    in_an_hour,
    open_petition,
    roll_call,
    sign,
)


def mandate_of(world, member_id, active=True) -> dict:
    code, record = world.api.call("GET", f"/api/v1/members/{member_id}/record")
    assert code == 200, record
    found = [m for m in record["mandates"] if m["role"] == "delegate" and m["active"] == active]
    return found[0]


def election(world, chapter_id, candidates: list[dict], ballots: list[tuple], seats=2) -> str:
    """A delegate election with candidates named by their tag; `ballots`: (voter, ranking)."""
    names = {c["id"]: c["name"] for c in candidates}
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/delegate-elections",
        {
            "chapter_id": chapter_id,
            "title": "Delegate election",
            "seats": seats,
            "candidates": [{"member_id": c["id"], "name": names[c["id"]]} for c in candidates],
            "closes_at": in_an_hour(),
        },
        admin=True,
    )
    assert code == 201, poll
    for voter, ranking in ballots:
        world.vote(poll["id"], voter["id"], {"ranking": [names[c["id"]] for c in ranking]})
    if poll["status"] == "open":
        world.close(poll["id"])
    world.pump()
    return poll["id"]


def by_election_of(world, mandate_id) -> dict | None:
    rows = world.sql(
        "polls",
        "SELECT pp.poll_id::text AS poll_id, pp.details, p.status FROM poll_purposes pp"
        " JOIN polls p ON p.id = pp.poll_id WHERE pp.details->>'by_election_for' = %s",
        (mandate_id,),
    )
    return rows[0] if rows else None


def shares_above(place, chapter_id) -> tuple[dict, list]:
    """In a delegate poll of the chapter above: {delegate: weight} of `chapter_id`'s seats
    and its unrepresented [(weight, reason)], which together carry its 6 members."""
    world = place.world
    roll = roll_call(world, delegate_poll(world, place.parent)["id"])
    entry = by_chapter(roll)[chapter_id]
    shares = {
        e["member_id"]: e["weight"] for e in roll["electors"] if e["chapter_id"] == chapter_id
    }
    assert sum(shares.values()) == entry["weight"]
    assert entry["weight"] + entry["unrepresented_weight"] == entry["members"] == 6
    return shares, [(u["weight"], u["reason"]) for u in entry["unrepresented"]]


def named(world, people, names):
    """The first people take these names (the ballot shows each member's own name)."""
    for person, name in zip(people, names, strict=False):
        world.rename(person, name)
    world.pump()
    return people


def recall(world, people, mandate_id, votes: dict) -> dict:
    """Petition signed by the first three of `people`, then the vote: {person: choice}."""
    code, petition = open_petition(world, people[0], mandate_id)
    assert code == 201, petition
    for person in people[1:3]:
        sign(world, person, petition["id"])
    world.pump()
    [row] = world.sql(
        "polls",
        "SELECT poll_id::text AS poll_id FROM poll_purposes WHERE petition_id = %s",
        (petition["id"],),
    )
    for person, choice in votes.items():
        world.vote(row["poll_id"], person, {"choice": choice})
    world.close(row["poll_id"])
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{petition['id']}")
    assert code == 200
    return petition


def test_recall_empties_the_seat_and_a_by_election_fills_it(place):
    world = place.world
    local, people = place.chapter(6)
    ada, bo, cy, di, ed, fay = named(world, people, ["Ada", "Bo", "Cy", "Di", "Ed", "Fay"])
    election(world, local, [ada, bo, cy, di], [(p, [ada, bo, cy, di]) for p in people])
    seat = mandate_of(world, ada["id"])
    kept = mandate_of(world, bo["id"])
    # In a delegate poll of the chapter above, the two seats carry its 6 members, 3 each.
    assert shares_above(place, local) == ({ada["id"]: 3, bo["id"]: 3}, [])

    petition = recall(
        world, [cy, di, ed], seat["id"], {p["id"]: "recall" for p in (cy, di, ed, fay)}
    )
    assert petition["status"] == "revoked" and petition["quorum_needed"] == 2
    assert shares_above(place, local) == ({bo["id"]: 3}, [(3, "recalled")])

    # The seat is empty: a one-seat by-election opened among the original candidates who are
    # not delegates now (Bo is; Ada left the seat), and the chapter was told.
    [vacated] = world.outbox("members", "members.delegate.seat_vacated", mandate_id=seat["id"])
    assert vacated["data"]["reason"] == "recalled"
    held = by_election_of(world, seat["id"])
    assert held is not None and held["status"] == "open"
    assert held["details"]["seats"] == 1
    assert set(held["details"]["candidates"].values()) == {cy["id"], di["id"]}
    [opened] = world.outbox("polls", "polls.by_election.opened", mandate_id=seat["id"])
    assert opened["data"]["rule"] == "by_election" and not opened["data"]["filled"]
    told = world.sql(
        "notify",
        "SELECT array_agg(DISTINCT d.member_id) AS who FROM notifications n"
        " JOIN deliveries d ON d.notification_id = n.id"
        " WHERE n.kind = 'by_election' AND n.context->>'step' = 'opened'",
    )
    assert {p["id"] for p in people} <= set(told[0]["who"])

    # Held: Di wins, and takes the seat until the seat's own term ends; Bo stays.
    for person in people:
        world.vote(held["poll_id"], person["id"], {"ranking": ["Di", "Cy"]})
    world.close(held["poll_id"])
    world.pump()
    filled = mandate_of(world, di["id"])
    assert filled["elected_by_poll"] == held["poll_id"]
    assert filled["ends_at"] == seat["ends_at"]
    assert mandate_of(world, bo["id"])["id"] == kept["id"]
    live = world.sql(
        "polls",
        "SELECT member_id FROM delegate_mandates WHERE chapter_id = %s AND NOT revoked",
        (local,),
    )
    assert {r["member_id"] for r in live} == {bo["id"], di["id"]}
    assert shares_above(place, local) == ({bo["id"]: 3, di["id"]: 3}, [])  # the weight is back


def test_next_candidate_of_the_original_count_takes_the_seat(place):
    world = place.world
    local, people = place.chapter(8)
    ada, bo, cy, di = named(world, people[:4], ["Ada", "Bo", "Cy", "Di"])
    admin = world.admin_token()
    code, rules = world.api.call(
        "PUT",
        f"/api/v1/chapters/{local}/recall-settings",
        {"vacancy_rule": "next_candidate"},
        token=admin,
    )
    assert code == 200 and rules["vacancy_rule"] == "next_candidate", rules
    # Quota 3 of 8: Ada 5 (surplus 2 to Cy), Bo 2, Di 1 → Di out, Bo 3. Cy ends next (2).
    ballots = [(p, [ada, cy, bo, di]) for p in people[:5]]
    ballots += [(p, [bo, di, ada, cy]) for p in people[5:7]] + [(people[7], [di, bo, ada, cy])]
    election(world, local, [ada, bo, cy, di], ballots)
    seat = mandate_of(world, ada["id"])
    assert mandate_of(world, bo["id"])

    code, resigned = world.api.call(
        "POST", f"/api/v1/mandates/{seat['id']}/resign", token=ada["token"]
    )
    assert code == 200 and resigned["active"] is False, resigned
    world.pump()
    held = by_election_of(world, seat["id"])
    assert held["status"] == "closed" and held["details"]["rule"] == "next_candidate"
    assert list(held["details"]["candidates"].values()) == [cy["id"]]
    assert mandate_of(world, cy["id"])["ends_at"] == seat["ends_at"]

    # Only the holder resigns a mandate.
    code, reply = world.api.call(
        "POST", f"/api/v1/mandates/{mandate_of(world, bo['id'])['id']}/resign", token=di["token"]
    )
    assert code == 403


def test_by_election_through_the_api_and_refused_for_a_filled_seat(place):
    world = place.world
    local, people = place.chapter(4)
    ada, bo, cy, di = named(world, people, ["Ada", "Bo", "Cy", "Di"])
    election(world, local, [ada], [], seats=1)  # uncontested
    seat = mandate_of(world, ada["id"])

    def ask(mandate_id, **extra):
        return world.polls_call(
            "POST",
            "/api/v1/polls/delegate-elections",
            {
                "chapter_id": local,
                "title": "By-election",
                "candidates": [
                    {"member_id": bo["id"], "name": "Bo"},
                    {"member_id": cy["id"], "name": "Cy"},
                ],
                "closes_at": in_an_hour(),
                "by_election_for": mandate_id,
                **extra,
            },
            admin=True,
        )

    code, reply = ask(seat["id"])
    assert code == 422 and "by_election_for" in reply["error"]["fields"], reply
    code, reply = ask("no-such-seat")
    assert code == 422 and "by_election_for" in reply["error"]["fields"]

    # Ada resigns; nobody else stood in the original election: the seat stays empty, the
    # chapter is told to launch a by-election.
    code, _ = world.api.call("POST", f"/api/v1/mandates/{seat['id']}/resign", token=ada["token"])
    assert code == 200
    world.pump()
    assert by_election_of(world, seat["id"]) is None
    [needed] = world.outbox("polls", "polls.by_election.needed", mandate_id=seat["id"])
    assert needed["data"]["reason"] == "no_candidates"

    code, reply = ask(seat["id"], seats=2)
    assert code == 422 and "seats" in reply["error"]["fields"]
    code, poll = ask(seat["id"])
    assert code == 201, poll
    code, reply = ask(seat["id"])  # under way
    assert code == 422 and "by_election_for" in reply["error"]["fields"]
    for person in people:
        world.vote(poll["id"], person["id"], {"ranking": ["Cy", "Bo"]})
    world.close(poll["id"])
    world.pump()
    assert mandate_of(world, cy["id"])["ends_at"] == seat["ends_at"]
    code, reply = ask(seat["id"])  # filled again
    assert code == 422 and "by_election_for" in reply["error"]["fields"]


def test_recall_quorum_is_a_fifth_by_default_and_zero_needs_a_decision(place):
    world = place.world
    local, people = place.chapter(10)
    ada, bo, cy, di = named(world, people[:4], ["Ada", "Bo", "Cy", "Di"])
    poll_id = election(world, local, [ada], [], seats=1)
    seat = mandate_of(world, ada["id"])
    admin = world.admin_token()
    code, rules = world.api.call("GET", f"/api/v1/chapters/{local}/recall-settings")
    assert code == 200 and rules["quorum_percent"] == 20

    # One vote of ten members: under the quorum (2), the mandate is kept.
    petition = recall(world, [bo, cy, di], seat["id"], {bo["id"]: "recall"})
    assert petition["status"] == "kept" and petition["quorum_needed"] == 2
    assert "Quorum not met" in petition["outcome_reason"]
    assert mandate_of(world, ada["id"])["active"]

    path = f"/api/v1/chapters/{local}/recall-settings"
    code, reply = world.api.call("PUT", path, {"quorum_percent": 0}, token=admin)
    assert code == 422 and "decided_by_poll_id" in reply["error"]["fields"], reply
    code, reply = world.api.call(
        "PUT", path, {"quorum_percent": 0, "decided_by_poll_id": "not-a-poll"}, token=admin
    )
    assert code == 422 and "decided_by_poll_id" in reply["error"]["fields"]
    code, rules = world.api.call(
        "PUT", path, {"quorum_percent": 0, "decided_by_poll_id": poll_id}, token=admin
    )
    assert code == 200, rules
    assert rules["quorum_percent"] == 0 and rules["quorum_decided_by_poll_id"] == poll_id
    code, rules = world.api.call("PUT", path, {"quorum_percent": 25}, token=admin)
    assert code == 200 and rules["quorum_decided_by_poll_id"] is None


def test_at_the_end_of_the_term_the_chapter_is_told_once_that_an_election_is_due(federation):
    """(Last in this module: it ends the terms of every mandate given before it, the interim
    admin's too.) At the bottom level and the level above it at once."""
    world = federation.world
    seats = []
    for where in ("deepest", "middle"):
        local, people = federation.at(where).chapter(4)
        ada, bo, cy, di = named(world, people, ["Ada", "Bo", "Cy", "Di"])
        election(world, local, [ada, bo], [], seats=2)  # uncontested
        seats += [mandate_of(world, ada["id"]), mandate_of(world, bo["id"])]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    assert mandates.end_due_mandates(world.members_ctx, now=later) >= 4
    world.pump()
    for seat in seats:
        assert by_election_of(world, seat["id"]) is None  # nothing left of the term to fill
        [vacated] = world.outbox("members", "members.delegate.seat_vacated", mandate_id=seat["id"])
        assert vacated["data"]["reason"] == "term"
    for pair in (seats[:2], seats[2:]):
        needed = [
            e
            for seat in pair
            for e in world.outbox("polls", "polls.by_election.needed", mandate_id=seat["id"])
        ]
        assert [e["data"]["reason"] for e in needed] == ["term_over"]
