"""Issue 18, representation without holes, at any depth: in a federation four levels deep
(international → national → regional → local) and in one of five levels named by
FEDERATION_LEVELS, with direct members at every level, a delegate poll at each level counts every
member of its scope exactly once: the weights on the roll-call plus the unrepresented weights
add up to the scope's members, before and after a delegate resigns; the empty seat's weight is
unrepresented (never handed to the other delegate), and only the electors are invited."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.delegates.conftest import (
    bottom,
    by_chapter,
    delegate_poll,
    in_an_hour,
    join,
    roll_call,
)


@pytest.fixture(scope="module")
def tree(federation) -> dict:
    return build(federation)


def build(federation) -> dict:
    """On the federation's spine (one chapter per level above the bottom), one direct member
    per spine chapter, a bottom-level chapter of 3 members beside the next spine chapter, and
    at the deepest spine chapter also a bottom chapter of 2 that never elects. Delegates: every
    chapter below the top elects one, except the first bottom chapter (two seats) and the one
    that never elects."""
    world, levels = federation.world, federation.levels
    tree: dict = {"spine": federation.spine, "members": {}, "bottoms": {}, "direct": {}}
    for depth, chapter_id in enumerate(federation.spine):
        direct = world.member(f"d{depth}")
        join(world, direct, chapter_id)
        tree["direct"][chapter_id] = direct
        tree["bottoms"][chapter_id] = bottom(world, levels, chapter_id, 3, f"b{depth}")
    silent, _people = bottom(world, levels, federation.spine[-1], 2, "silent")
    tree["silent"] = silent
    world.pump()
    spine = tree["spine"]
    for depth, chapter_id in enumerate(spine):
        local, people = tree["bottoms"][chapter_id]
        world.elect(local, people, people, seats=2 if depth == 0 else 1)
        if depth:  # a spine chapter's direct member stands alone: elected without a vote
            uncontested(world, chapter_id, tree["direct"][chapter_id])
    world.pump()
    return tree


def uncontested(world, chapter_id, person) -> None:
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/delegate-elections",
        {
            "chapter_id": chapter_id,
            "title": "Delegate election",
            "candidates": [{"member_id": person["id"]}],
            "closes_at": in_an_hour(),
        },
        admin=True,
    )
    assert code == 201 and poll["status"] == "closed", poll
    world.pump()


def subtree_size(world, chapter_id) -> int:
    [row] = world.sql(
        "members",
        "WITH RECURSIVE t(id) AS (SELECT %s::uuid UNION ALL"
        " SELECT c.id FROM chapters c JOIN t ON c.parent_id = t.id)"
        " SELECT count(DISTINCT s.member_id)::int AS n FROM memberships s"
        " JOIN members m ON m.id = s.member_id AND m.status = 'active'"
        " WHERE s.chapter_id IN (SELECT id FROM t)",
        (chapter_id,),
    )
    return row["n"]


def assert_whole(world, roll, chapter_id) -> None:
    """Every member of the scope once: weights + unrepresented = the scope's members."""
    members = subtree_size(world, chapter_id)
    weights = sum(e["weight"] for e in roll["electors"])
    direct = [c for c in roll["chapters"] if c["kind"] == "direct"]
    assert len(direct) == 1 and direct[0]["weight"] == direct[0]["members"] == 1
    assert weights + direct[0]["weight"] + roll["unrepresented_weight"] == members
    assert roll["scope_members"] == members
    assert roll["represented_weight"] + roll["unrepresented_weight"] == members
    for entry in roll["chapters"]:
        assert entry["weight"] + entry["unrepresented_weight"] == entry["members"], entry


def test_every_member_of_every_scope_counts_once(federation, tree):
    world = federation.world
    for chapter_id in tree["spine"]:
        poll = delegate_poll(world, chapter_id)
        roll = roll_call(world, poll["id"])
        assert_whole(world, roll, chapter_id)
        local = by_chapter(roll)[tree["bottoms"][chapter_id][0]]
        assert (local["members"], local["filled"], local["unrepresented"]) == (
            3,
            local["seats"],
            [],
        )
    # The deepest spine chapter: the bottom chapter that never elected is unrepresented.
    roll = roll_call(world, delegate_poll(world, tree["spine"][-1])["id"])
    [silent] = by_chapter(roll)[tree["silent"]]["unrepresented"]
    assert (silent["weight"], silent["reason"], silent["since"]) == (2, "never_elected", None)


def test_a_resignation_leaves_the_seat_unrepresented_not_redistributed(federation, tree):
    world = federation.world
    top = tree["spine"][0]
    local, people = tree["bottoms"][top]
    before = roll_call(world, delegate_poll(world, top)["id"])
    seats = {e["member_id"]: e["weight"] for e in before["electors"] if e["chapter_id"] == local}
    assert sorted(seats.values()) == [1, 2]  # 3 members, 2 seats
    leaving = min(seats, key=lambda member_id: seats[member_id])
    staying = max(seats, key=lambda member_id: seats[member_id])
    person = next(p for p in people if p["id"] == leaving)
    code, mandates = world.api.call(
        "GET", f"/api/v1/mandates?member_id={leaving}&role=delegate", token=person["token"]
    )
    assert code == 200, mandates
    [mandate] = [m for m in mandates if m["active"]]
    code, reply = world.api.call(
        "POST", f"/api/v1/mandates/{mandate['id']}/revoke", {}, token=person["token"]
    )
    assert code == 200, reply
    world.pump()

    for chapter_id in tree["spine"]:
        assert_whole(world, roll_call(world, delegate_poll(world, chapter_id)["id"]), chapter_id)
    # The seat was not handed to the delegate who stays: a by-election for it opened at once
    # and, the original election's one other candidate standing alone, filled it without a
    # vote; the chapter's two seats carry its members between them again, split as before.
    [by_election] = world.sql(
        "polls",
        "SELECT poll_id FROM poll_purposes WHERE details->>'by_election_for' = %s",
        (str(mandate["id"]),),
    )
    assert by_election["poll_id"]
    poll = delegate_poll(world, top)
    after = roll_call(world, poll["id"])
    entry = by_chapter(after)[local]
    assert (entry["seats"], entry["filled"]) == (2, 2)
    shares = {e["member_id"]: e["weight"] for e in after["electors"] if e["chapter_id"] == local}
    assert staying in shares and leaving not in shares
    assert sorted(shares.values()) == sorted(seats.values())

    # Everyone who may vote votes: turnout by people is whole, by weight it is what was
    # represented; the results say the same.
    electors = world.sql(
        "polls", "SELECT member_id FROM electorate WHERE poll_id = %s", (poll["id"],)
    )
    for row in electors:
        world.vote(poll["id"], row["member_id"], {"choice": "yes"})
    roll = roll_call(world, poll["id"])
    assert roll["turnout_people"] == 1.0
    assert roll["voted_weight"] == roll["represented_weight"]
    assert roll["turnout_weight"] == round(roll["represented_weight"] / roll["scope_members"], 4)
    world.close(poll["id"])
    code, results = world.polls_call("GET", f"/api/v1/polls/{poll['id']}/results")
    assert code == 200, results
    assert results["turnout_people"] == 1.0
    assert results["turnout_weight"] == roll["turnout_weight"]
    assert results["turnout"] == results["turnout_weight"]
    assert results["representation"]["unrepresented_weight"] == after["unrepresented_weight"]

    # Only the electors were invited to the ballot.
    world.pump()
    invited = world.sql(
        "notify",
        "SELECT DISTINCT d.member_id FROM notifications n"
        " JOIN deliveries d ON d.notification_id = n.id"
        " WHERE n.kind = 'poll_opened' AND n.context->>'poll_id' = %s",
        (poll["id"],),
    )
    assert {r["member_id"] for r in invited} == {r["member_id"] for r in electors}


def test_levels_come_from_configuration(federation, tree):
    world, levels = federation.world, federation.levels
    token = world.admin_token()
    code, reply = world.api.call(
        "POST", "/api/v1/chapters", {"name": "Nowhere", "level": "galaxy"}, token=token
    )
    assert code == 422 and "level" in reply["error"]["fields"], reply
    code, reply = world.api.call("GET", "/api/v1/chapters?level=galaxy")
    assert code == 422 and "level" in reply["error"]["fields"], reply
    # A chapter sits under a higher level only.
    code, reply = world.api.call(
        "POST",
        "/api/v1/chapters",
        {"name": "Upside down", "level": levels[1], "parent_id": tree["silent"], "country": "DE"},
        token=token,
    )
    assert code == 422 and "parent_id" in reply["error"]["fields"], reply
    code, listed = world.api.call("GET", f"/api/v1/chapters?level={levels[-1]}")
    assert code == 200 and listed


def test_affected_weights_out_of_bounds_or_outside_the_scope_are_refused(federation, place):
    """(Last in this module: it adds chapters to the spine.) A poll of the chapter above the
    place may weight a chapter at the place's level, within bounds and with its reason; weights
    out of bounds and chapters outside the poll's scope are refused naming the field."""
    world = place.world
    inside, _people = place.chapter(2, tag="aff")
    above = federation.spine[place.depth - 2]  # the poll's scope's own parent
    elsewhere, _people = place.chapter(2, tag="far", parent_id=above)
    soon = dt.datetime.now(dt.UTC)

    def create(*affected) -> tuple[int, dict]:
        return world.polls_call(
            "POST",
            "/api/v1/polls",
            {
                "title": "Move the venue",
                "scope": {"type": "chapter", "id": place.parent},
                "opens_at": (soon + dt.timedelta(days=4)).isoformat(),
                "closes_at": (soon + dt.timedelta(days=10)).isoformat(),
                "questions": [{"text": "Move it?", "method": "majority", "options": ["y", "n"]}],
                "affected": list(affected),
            },
            admin=True,
        )

    reason = "Its members use the venue"
    for weight, field in ((1, "weight"), (6, "weight"), (4, "affected.0.weight")):
        code, reply = create({"chapter_id": inside, "weight": weight, "reason": reason})
        assert code == 422 and field in str(reply["error"]["fields"]), reply
    for outside in (elsewhere, above, place.parent):
        code, reply = create({"chapter_id": outside, "weight": 2, "reason": reason})
        assert code == 422 and "affected.0.chapter_id" in reply["error"]["fields"], reply
    code, poll = create({"chapter_id": inside, "weight": 3, "reason": reason})
    assert code == 201, poll
    [stated] = poll["affected"]
    assert (stated["chapter_id"], stated["weight"], stated["reason"]) == (inside, 3, reason)
