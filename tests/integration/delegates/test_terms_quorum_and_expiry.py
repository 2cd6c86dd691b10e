"""Issue 7, the rest: a new election supersedes the previous delegates, uncontested elections,
recall petitions that expire (announced), no delegates by hand, the recall quorum, and mandates
whose term ends (announced once)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

from services.members.service import mandates as members_mandates
from services.members.service import recall as members_recall
from tests.integration.delegates.conftest import (
    delegate_mandate,
    in_an_hour,
    open_petition,
    recall_poll_of,
    sign,
)


def delegate_mandates(world, member_id) -> list[dict]:
    code, record = world.api.call("GET", f"/api/v1/members/{member_id}/record")
    assert code == 200, record
    return [m for m in record["mandates"] if m["role"] == "delegate"]


def replica_revoked(world, mandate_id) -> bool:
    [row] = world.sql(
        "polls", "SELECT revoked FROM delegate_mandates WHERE mandate_id = %s", (mandate_id,)
    )
    return row["revoked"]


def test_a_new_election_ends_the_previous_delegates_terms(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 4)
    ada, bo, cy, _ = people
    world.pump()
    world.elect(local, [ada, bo], people)
    old = delegate_mandate(world, ada["id"])
    assert old["active"] and not replica_revoked(world, old["id"])

    # The chapter elects again (Ada stands again and loses): her term ends when Bo's starts.
    second = world.elect(local, [bo, ada, cy], people, ranking=[bo, ada, cy])
    [new] = delegate_mandates(world, bo["id"])
    assert new["active"] and new["elected_by_poll"] == second
    [old] = delegate_mandates(world, ada["id"])
    assert not old["active"] and old["revoked_at"] is None
    assert dt.datetime.fromisoformat(old["ends_at"]) == dt.datetime.fromisoformat(new["starts_at"])
    [ended] = world.outbox("members", "members.mandate.ended", mandate_id=old["id"])
    assert ended["data"]["reason"] == "superseded"
    assert replica_revoked(world, old["id"])  # polls no longer counts her as a delegate
    assert (
        world.api.count(
            "SELECT count(*) FROM audit_log WHERE action = 'mandate.ended' AND mandate_id = %s",
            old["id"],
        )
        == 1
    )

    # The close delivered again, and as a fresh copy: nothing more is ended or granted.
    [closed] = world.outbox("polls", "polls.poll.closed", poll_id=second)
    world.deliver("members", closed)
    twin = copy.deepcopy(closed)
    twin["id"] = str(uuid.uuid4())
    world.deliver("members", twin)
    assert len(world.outbox("members", "members.mandate.ended", mandate_id=old["id"])) == 1
    assert len(world.outbox("members", "members.mandate.granted", mandate_id=new["id"])) == 1
    assert len(delegate_mandates(world, bo["id"])) == 1


def test_an_uncontested_election_elects_without_a_vote(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 3)
    ada, bo, _ = (world.rename(p, n) for p, n in zip(people, ["Ada", "Bo", "Cy"], strict=True))
    world.pump()
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/delegate-elections",
        {
            "chapter_id": local,
            "title": "Delegates",
            "seats": 2,
            "closes_at": in_an_hour(),
            "candidates": [
                {"member_id": ada["id"], "name": "Ada"},
                {"member_id": bo["id"], "name": "Bo"},
            ],
        },
        admin=True,
    )
    assert code == 201, poll
    assert poll["status"] == "closed"  # nothing to vote on
    assert poll["questions"][0]["text"] == "Elect 2 delegates of this chapter"  # not "(s)"
    world.pump()
    [closed] = world.outbox("polls", "polls.poll.closed", poll_id=poll["id"])
    election = closed["data"]["election"]
    assert election["uncontested"] is True
    assert sorted(election["elected"]) == sorted([ada["id"], bo["id"]])
    assert sorted(election["elected_names"]) == ["Ada", "Bo"]  # the results mail names them
    assert world.outbox("polls", "polls.poll.opened", poll_id=poll["id"]) == []
    for person in (ada, bo):
        [mandate] = delegate_mandates(world, person["id"])
        assert mandate["active"] and mandate["elected_by_poll"] == poll["id"]
    code, reply = world.polls_call(
        "POST", f"/api/v1/polls/{poll['id']}/ballots", {"answers": []}, member_id=ada["id"]
    )
    assert code in (403, 409), reply  # no ballots in an election that needed none

    # A sole candidate for one seat (the usual case) is elected the same way.
    sole, others = world.local(region, 2)
    world.pump()
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/delegate-elections",
        {
            "chapter_id": sole,
            "title": "Delegate",
            "closes_at": in_an_hour(),
            "candidates": [{"member_id": others[1]["id"]}],
        },
        admin=True,
    )
    assert code == 201 and poll["status"] == "closed", poll
    world.pump()
    [mandate] = delegate_mandates(world, others[1]["id"])
    assert mandate["active"] and mandate["elected_by_poll"] == poll["id"]


def test_an_expired_petition_is_announced_to_the_chapter_and_the_delegate(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 5)
    ada, bo = people[:2]
    world.pump()
    world.elect(local, [ada, bo], people)
    mandate = delegate_mandate(world, ada["id"])
    code, petition = open_petition(world, bo, mandate["id"])
    assert code == 201, petition
    world.sql(
        "members",
        "UPDATE recall_petitions SET expires_at = now() - interval '1 minute' WHERE id = %s",
        (petition["id"],),
    )
    assert members_recall.expire_due(world.members_ctx) >= 1
    assert members_recall.expire_due(world.members_ctx) == 0
    [expired] = world.outbox("members", "members.recall.expired", petition_id=petition["id"])
    assert expired["data"]["delegate_name"] == "Member l0"
    assert (expired["data"]["signatures"], expired["data"]["threshold"]) == (1, 3)
    world.pump()
    [row] = world.sql(
        "notify",
        "SELECT n.context AS context,"
        " array_agg(DISTINCT d.member_id) AS who FROM notifications n"
        " JOIN deliveries d ON d.notification_id = n.id WHERE n.kind = 'recall'"
        " AND n.context->>'step' = 'expired' AND n.context->>'petition_id' = %s"
        " GROUP BY 1",
        (petition["id"],),
    )
    assert {p["id"] for p in people} <= set(row["who"])
    assert row["context"]["signatures"] == 1 and row["context"]["threshold"] == 3


def test_a_delegate_mandate_is_not_granted_by_hand(world):
    person = world.member("d")
    code, reply = world.api.call(
        "POST",
        "/api/v1/mandates",
        {
            "member_id": person["id"],
            "role": "delegate",
            "chapter_id": world.chapter("Region", "regional"),
        },
        token=world.admin_token(),
    )
    assert code == 422, reply
    assert reply["error"]["code"] == "validation_failed"
    assert "election" in reply["error"]["fields"]["role"][0]
    assert world.api.count("SELECT count(*) FROM mandates WHERE member_id = %s", person["id"]) == 0


def test_a_recall_under_its_quorum_keeps_the_mandate_and_says_why(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 5)
    ada, bo, cy, di, _ = people
    world.pump()
    code, rules = world.api.call(
        "PUT",
        f"/api/v1/chapters/{local}/recall-settings",
        {"quorum_percent": 80},
        token=world.admin_token(),
    )
    assert code == 200 and rules["quorum_percent"] == 80, rules
    world.elect(local, [ada, bo], people)
    mandate = delegate_mandate(world, ada["id"])
    code, petition = open_petition(world, bo, mandate["id"])
    assert petition["quorum_percent"] == 80
    pid = petition["id"]
    sign(world, cy, pid)
    sign(world, di, pid)
    world.pump()
    recall_poll = str(recall_poll_of(world, pid)[0]["poll_id"])
    for person in (bo, cy, di):  # 3 of 5 vote, all to recall; 4 needed
        world.vote(recall_poll, person["id"], {"choice": "recall"})
    world.close(recall_poll)
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{pid}")
    assert petition["status"] == "kept", petition
    assert (petition["votes_for"], petition["voters"], petition["electorate"]) == (3, 3, 5)
    assert "Quorum not met" in petition["outcome_reason"]
    assert delegate_mandate(world, ada["id"])["active"]
    assert world.outbox("members", "members.mandate.revoked", mandate_id=mandate["id"]) == []
    [decided] = world.outbox("members", "members.recall.decided", petition_id=pid)
    assert decided["data"]["quorum_met"] is False and decided["data"]["quorum"] == 4


def test_a_mandate_whose_term_passed_is_announced_once(world):
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 2)
    world.pump()
    world.elect(local, people, people)
    mandate = delegate_mandate(world, people[0]["id"])
    code, coordinator = world.api.call(
        "POST",
        "/api/v1/mandates",
        {
            "member_id": people[1]["id"],
            "role": "coordinator",
            "chapter_id": local,
            "ends_at": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat(),
        },
        token=world.admin_token(),
    )
    assert code == 201, coordinator
    world.pump()
    assert members_mandates.end_due_mandates(world.members_ctx) == 0  # nothing is due yet
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)  # past both terms
    first = members_mandates.end_due_mandates(world.members_ctx, now=later)
    assert first >= 2
    assert members_mandates.end_due_mandates(world.members_ctx, now=later) == 0
    for mandate_id in (mandate["id"], coordinator["id"]):
        [ended] = world.outbox("members", "members.mandate.ended", mandate_id=mandate_id)
        assert ended["data"]["reason"] == "term"
    world.pump()
    assert replica_revoked(world, mandate["id"])
    [row] = world.sql(
        "polls", "SELECT revoked FROM replica_mandates WHERE mandate_id = %s", (coordinator["id"],)
    )
    assert row["revoked"]
