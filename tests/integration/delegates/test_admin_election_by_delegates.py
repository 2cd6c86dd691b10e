"""Issue 18 with `ADMIN_ELECTORATE=delegates`: the admins are elected by the delegates of the
level below the top chapter, each weighted by the members they represent; an admin election
held by another electorate than the configured one grants nothing."""

from __future__ import annotations

import copy
import uuid

import pytest

from tests.integration.delegates.conftest import in_an_hour, open_world


@pytest.fixture(scope="module")
def world(pg_admin_url):
    with open_world(pg_admin_url, ADMIN_ELECTORATE="delegates") as w:
        yield w


def test_the_delegates_elect_the_admins_with_their_weights(world):
    top = world.chapter("Top", "regional")
    north, northerners = world.local(top, 3)
    south, southerners = world.local(top, 2)
    world.rename(northerners[1], "Nell")
    world.rename(southerners[1], "Sam")
    world.pump()
    world.elect(north, northerners[:2], northerners)  # the first ranked first: elected
    world.elect(south, southerners[:2], southerners)
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/admin-elections",
        {
            "title": "Admins",
            "candidates": [
                {"member_id": northerners[1]["id"], "name": "Nell"},
                {"member_id": southerners[1]["id"], "name": "Sam"},
            ],
            "closes_at": in_an_hour(),
        },
        admin=True,
    )
    assert code == 201, poll
    assert poll["scope"]["id"] == top  # held among the delegates of the top chapter's children
    electors = world.sql(
        "polls",
        "SELECT member_id, weight FROM electorate WHERE poll_id = %s ORDER BY weight DESC",
        (poll["id"],),
    )
    assert [(e["member_id"], e["weight"]) for e in electors] == [
        (northerners[0]["id"], 3),
        (southerners[0]["id"], 2),
    ]
    world.vote(poll["id"], northerners[0]["id"], {"ranking": ["Nell", "Sam"]})
    world.vote(poll["id"], southerners[0]["id"], {"ranking": ["Sam", "Nell"]})
    world.close(poll["id"])
    world.pump()
    [granted] = world.sql(
        "members",
        "SELECT member_id::text AS member_id FROM mandates WHERE role = 'admin' AND note = %s",
        (f"elected by poll {poll['id']}",),
    )
    assert granted["member_id"] == northerners[1]["id"]  # weight 3 against 2

    # An admin election the members as a whole held does not bind an organisation whose
    # delegates elect its admins.
    [closed] = world.outbox("polls", "polls.poll.closed", poll_id=poll["id"])
    other = copy.deepcopy(closed)
    other["id"] = str(uuid.uuid4())
    other["data"]["poll_id"] = str(uuid.uuid4())
    other["data"]["election"]["electorate"] = "members"
    other["data"]["election"]["elected"] = [southerners[1]["id"]]
    world.deliver("members", other)
    rows = world.sql(
        "members",
        "SELECT 1 FROM mandates WHERE role = 'admin' AND member_id = %s",
        (southerners[1]["id"],),
    )
    assert rows == []
