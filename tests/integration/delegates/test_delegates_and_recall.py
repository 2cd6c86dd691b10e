"""Issue 7 end to end: delegate elections → mandates, recall petitions → recall votes →
revocation (or not), notifications, delegate polls with weighted roll-call ballots."""

from __future__ import annotations

import copy
import uuid

from services.polls.service.representation import split_weights
from tests.integration.delegates.conftest import (
    delegate_mandate,
    in_an_hour,
    open_petition,
    recall_poll_of,
    sign,
)


def test_election_mandate_petition_recall_revoked_and_notified(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 5)
    ada, bo, cy, di, ed = people
    outsider = world.member("out")
    world.pump()

    # Election → mandate with the members represented at that moment and a term.
    poll_id = world.elect(local, [ada, bo], people)
    mandate = delegate_mandate(world, ada["id"])
    assert mandate["chapter_id"] == local and mandate["active"]
    assert mandate["members_represented"] == 5 and mandate["elected_by_poll"] == poll_id
    assert mandate["ends_at"] > mandate["starts_at"]
    [granted] = world.outbox("members", "members.mandate.granted", mandate_id=mandate["id"])
    assert granted["data"]["role"] == "delegate" and granted["data"]["members_represented"] == 5

    # Petition (its opener signs it): threshold max(20% of 5, minimum 3) = 3.
    code, petition = open_petition(world, bo, mandate["id"])
    assert code == 201, petition
    assert petition["threshold"] == 3 and petition["signatures"] == 1
    assert petition["status"] == "open"
    pid = petition["id"]
    code, petition = sign(world, cy, pid)
    assert code == 201 and petition["signatures"] == 2

    # Bad input: a non-member 403, signing twice 409, withdraw-and-resign works; nothing written.
    code, reply = sign(world, outsider, pid)
    assert code == 403 and reply["error"]["code"] == "not_a_member"
    code, reply = sign(world, cy, pid)
    assert code == 409 and reply["error"]["code"] == "already_signed"
    code, reply = open_petition(world, outsider, mandate["id"])
    assert code == 403
    code, reply = open_petition(world, di, mandate["id"])
    assert code == 409 and reply["error"]["code"] == "petition_exists"
    code, reply = world.api.call("DELETE", f"/api/v1/recalls/{pid}/signature", token=cy["token"])
    assert code == 200 and reply["signatures"] == 1
    code, reply = sign(world, cy, pid)
    assert code == 201 and reply["signatures"] == 2
    assert (
        world.sql(
            "members", "SELECT count(*) AS n FROM recall_signatures WHERE petition_id = %s", (pid,)
        )[0]["n"]
        == 2
    )
    assert (
        world.sql(
            "members",
            "SELECT count(*) AS n FROM recall_petitions WHERE mandate_id = %s",
            (mandate["id"],),
        )[0]["n"]
        == 1
    )

    # Polls is down while the threshold is reached: the vote opens once it is back.
    world.paused.add("polls")
    code, petition = sign(world, di, pid)
    assert code == 201 and petition["status"] == "threshold_reached"
    [reached] = world.outbox("members", "members.recall.threshold_reached", petition_id=pid)
    assert reached["data"]["signatures"] == 3 and reached["data"]["threshold"] == 3
    world.pump()
    assert recall_poll_of(world, pid) == []
    world.paused.clear()
    world.seen["members"] = 0  # polls back: its queue still holds what it missed
    world.pump()
    [row] = recall_poll_of(world, pid)
    recall_poll = str(row["poll_id"])
    code, petition = world.api.call("GET", f"/api/v1/recalls/{pid}")
    assert petition["status"] == "voting" and petition["poll_id"] == recall_poll
    [opened] = world.outbox("polls", "polls.recall.opened", petition_id=pid)
    assert opened["data"]["poll_id"] == recall_poll

    # Ballots, close → the mandate is revoked, the outcome recorded.
    for person in (bo, cy, di):
        world.vote(recall_poll, person["id"], {"choice": "recall"})
    world.vote(recall_poll, ada["id"], {"choice": "keep"})
    world.close(recall_poll)
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{pid}")
    assert petition["status"] == "revoked"
    assert (petition["votes_for"], petition["votes_against"]) == (3, 1)
    mandate = delegate_mandate(world, ada["id"])
    assert not mandate["active"] and mandate["revoked_at"]
    assert "recalled" in mandate["revoke_reason"]
    assert mandate["recall_petitions"][0]["status"] == "revoked"

    # Members restarted between close and revoke: the close arrives again (same id, and as a
    # fresh copy) — still exactly one revocation.
    [closed] = world.outbox("polls", "polls.poll.closed", poll_id=recall_poll)
    world.deliver("members", closed)
    again = copy.deepcopy(closed)
    again["id"] = str(uuid.uuid4())
    world.deliver("members", again)
    assert len(world.outbox("members", "members.mandate.revoked", mandate_id=mandate["id"])) == 1
    assert len(world.outbox("members", "members.recall.decided", petition_id=pid)) == 1

    # A petition against an ended mandate: 409, nothing written.
    code, reply = open_petition(world, bo, mandate["id"])
    assert code == 409 and reply["error"]["code"] == "mandate_ended"
    assert (
        world.sql(
            "members",
            "SELECT count(*) AS n FROM recall_petitions WHERE mandate_id = %s",
            (mandate["id"],),
        )[0]["n"]
        == 1
    )

    # Notify: the chapter and the delegate heard of each step, in category `recall`.
    steps = world.sql(
        "notify",
        "SELECT n.context->>'step' AS step, n.context->>'outcome' AS o,"
        " array_agg(DISTINCT d.member_id) AS who FROM notifications n"
        " JOIN deliveries d ON d.notification_id = n.id"
        " WHERE n.kind = 'recall' AND n.context->>'petition_id' = %s"
        " GROUP BY 1, 2",
        (pid,),
    )
    by_step = {r["step"]: r for r in steps}
    assert set(by_step) == {"petition_opened", "threshold_reached", "vote_opened", "decided"}
    assert by_step["decided"]["o"] == "revoked"
    for row in steps:
        assert {p["id"] for p in people} <= set(row["who"])
        assert outsider["id"] not in row["who"]


def test_failed_recall_keeps_the_delegate_and_cools_off(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 4)
    ada, bo, cy, di = people
    world.pump()
    world.elect(local, [ada, bo], people)
    mandate = delegate_mandate(world, ada["id"])

    code, petition = open_petition(world, bo, mandate["id"])
    pid = petition["id"]
    sign(world, cy, pid)
    # The threshold event is delivered twice (and once more under a fresh id): one recall poll.
    world.paused.add("polls")
    code, petition = sign(world, di, pid)
    assert petition["status"] == "threshold_reached"
    world.pump()
    world.paused.clear()
    [reached] = world.outbox("members", "members.recall.threshold_reached", petition_id=pid)
    world.deliver("polls", reached)
    world.deliver("polls", reached)
    twin = copy.deepcopy(reached)
    twin["id"] = str(uuid.uuid4())
    world.deliver("polls", twin)
    assert len(recall_poll_of(world, pid)) == 1
    assert len(world.outbox("polls", "polls.recall.opened", petition_id=pid)) == 1
    world.pump()
    recall_poll = str(recall_poll_of(world, pid)[0]["poll_id"])

    world.vote(recall_poll, bo["id"], {"choice": "recall"})
    for person in (ada, cy, di):
        world.vote(recall_poll, person["id"], {"choice": "keep"})
    world.close(recall_poll)
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{pid}")
    assert petition["status"] == "kept" and petition["cooling_off_until"]
    assert (petition["votes_for"], petition["votes_against"]) == (1, 3)
    assert delegate_mandate(world, ada["id"])["active"]
    assert world.outbox("members", "members.mandate.revoked", mandate_id=mandate["id"]) == []
    [decided] = world.outbox("members", "members.recall.decided", petition_id=pid)
    assert decided["data"]["outcome"] == "kept"

    # Cooling-off: no new petition against the same mandate for now.
    code, reply = open_petition(world, cy, mandate["id"])
    assert code == 409 and reply["error"]["code"] == "cooling_off"
    kinds = world.sql(
        "notify",
        "SELECT n.context->>'outcome' AS o FROM notifications n"
        " WHERE n.kind = 'recall' AND n.context->>'step' = 'decided'"
        " AND n.context->>'petition_id' = %s",
        (pid,),
    )
    assert [k["o"] for k in kinds] == ["kept"]


def test_delegate_poll_weights_follow_members_represented_and_votes_are_public(world):
    region = world.chapter("Region", "regional")
    sizes = {"a": 2, "b": 3, "c": 6}
    locals_, delegates = {}, {}
    for key, size in sizes.items():
        locals_[key], people = world.local(region, size)
        world.pump()
        world.elect(locals_[key], people[:2], people)
        delegates[key] = people[0]
    # A chapter elsewhere (not a child of this region) does not vote here.
    other_region = world.chapter("Elsewhere", "regional")
    other_local, other_people = world.local(other_region, 2)
    world.pump()
    world.elect(other_local, other_people, other_people)

    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/delegate-polls",
        {
            "chapter_id": region,
            "title": "Regional budget",
            "closes_at": in_an_hour(),
            "questions": [
                {"text": "Adopt the budget?", "method": "plurality", "options": ["yes", "no"]}
            ],
        },
        admin=True,
    )
    assert code == 201, poll
    assert poll["electorate"] == 3
    weights = {
        r["member_id"]: r["weight"]
        for r in world.sql(
            "polls", "SELECT member_id, weight FROM electorate WHERE poll_id = %s", (poll["id"],)
        )
    }
    assert weights == {delegates[k]["id"]: sizes[k] for k in sizes}

    # Two delegates (5 members) say yes, one (6 members) says no: no wins.
    world.vote(poll["id"], delegates["a"]["id"], {"choice": "yes"})
    world.vote(poll["id"], delegates["b"]["id"], {"choice": "yes"})
    world.vote(poll["id"], delegates["c"]["id"], {"choice": "no"})
    code, reply = world.polls_call(
        "POST",
        f"/api/v1/polls/{poll['id']}/ballots",
        {"answers": []},
        member_id=other_people[0]["id"],
    )
    assert code == 403  # a delegate of another region's chapter
    world.close(poll["id"])
    code, results = world.polls_call("GET", f"/api/v1/polls/{poll['id']}/results")
    assert code == 200, results
    assert results["questions"][0]["winners"] == ["no"]
    assert results["electorate"] == 11

    # Roll-call: who voted what, with what weight, is public.
    code, roll = world.polls_call("GET", f"/api/v1/polls/{poll['id']}/roll-call")
    assert code == 200, roll
    seen = {
        e["member_id"]: (e["weight"], e["members_represented"], e["answers"][0]["choice"])
        for e in roll["electors"]
    }
    assert seen == {
        delegates["a"]["id"]: (2, 2, "yes"),
        delegates["b"]["id"]: (3, 3, "yes"),
        delegates["c"]["id"]: (6, 6, "no"),
    }
    code, record = world.polls_call("GET", f"/api/v1/delegates/{delegates['c']['id']}/votes")
    assert code == 200
    assert [(v["poll_id"], v["weight"], v["answers"][0]["choice"]) for v in record["votes"]] == [
        (poll["id"], 6, "no")
    ]


def test_several_delegates_split_their_chapter_equally():
    assert split_weights(10, 3) == [4, 3, 3]
    assert split_weights(6, 2) == [3, 3]
    assert sum(split_weights(7, 4)) == 7
    assert split_weights(5, 0) == []
