"""Affected scopes (issue 18): a poll weights the members of its most affected chapters, within
bounds and with a reason stated on the ballot; members may challenge the weights while it is
scheduled, and a challenge reaching its threshold sets them aside."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.polls.app import create_app
from services.polls.context import build_context
from services.polls.service.schedule import scheduler_turn
from tests.integration.polls.conftest import Clock, auth, feed, new_member, sql

ADMIN = str(uuid.uuid4())
START = dt.datetime(2032, 5, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def clock():
    return Clock(START)


@pytest.fixture(scope="module")
def timed(runtime, clock):
    return build_context(runtime, clock=clock)


@pytest.fixture()
def client(runtime, timed, clock):
    clock.now = START
    return create_app(runtime, timed).test_client()


def _found(runtime, name: str, parent: str | None, level: str) -> str:
    chapter = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": chapter, "parent_id": parent, "name": name, "level": level},
    )
    return chapter


@pytest.fixture()
def region(runtime):
    """A region with two cities: the venue's city (2 members) and another (5 members)."""
    top = _found(runtime, "Brittany", None, "regional")
    venue = _found(runtime, "Rennes", top, "city")
    other = _found(runtime, "Brest", top, "city")
    return {
        "id": top,
        "venue": venue,
        "other": other,
        "venue_members": [new_member(runtime, chapters=[(venue, [top])]) for _ in range(2)],
        "other_members": [new_member(runtime, chapters=[(other, [top])]) for _ in range(5)],
    }


def _poll(region: dict, **changes) -> dict:
    body = {
        "title": "Move the regional venue",
        "scope": {"type": "chapter", "id": region["id"]},
        "opens_at": (START + dt.timedelta(days=4)).isoformat(),
        "closes_at": (START + dt.timedelta(days=10)).isoformat(),
        "questions": [
            {"text": "Close the Rennes venue?", "method": "majority", "options": ["yes", "no"]}
        ],
        "affected": [
            {"chapter_id": region["venue"], "weight": 3, "reason": "Its members use the venue"}
        ],
    }
    return {**body, **changes}


def _vote(client, poll: dict, member: str, choice: str) -> None:
    qid = poll["questions"][0]["id"]
    cast = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(member),
        json={"answers": [{"question_id": qid, "choice": choice}]},
    )
    assert cast.status_code == 201, cast.json


def _open_vote_close(client, timed, clock, poll: dict, region: dict) -> dict:
    clock.now = START + dt.timedelta(days=4, hours=1)
    scheduler_turn(timed)
    assert client.get(f"/api/v1/polls/{poll['id']}").json["status"] == "open"
    for member in region["venue_members"]:
        _vote(client, poll, member, "no")
    for member in region["other_members"]:
        _vote(client, poll, member, "yes")
    closed = client.post(f"/api/v1/polls/{poll['id']}/close", headers=auth(ADMIN))
    assert closed.status_code == 200, closed.json
    return client.get(f"/api/v1/polls/{poll['id']}/results").json["questions"][0]


def test_the_affected_chapter_weighs_more_and_the_ballot_says_why(client, timed, clock, region):
    created = client.post("/api/v1/polls", json=_poll(region), headers=auth(ADMIN))
    assert created.status_code == 201, created.json
    poll = created.json
    assert poll["affected"] == [
        {
            "chapter_id": region["venue"],
            "chapter_name": "Rennes",
            "weight": 3,
            "reason": "Its members use the venue",
            "set_aside": False,
        }
    ]
    url = f"/api/v1/polls/{poll['id']}/challenges"
    filed = client.post(
        url, json={"reason": "Brest uses it too"}, headers=auth(region["other_members"][0])
    )
    assert filed.status_code == 201 and filed.json["count"] == 1
    assert filed.json["threshold"]["needed"] == 3 and filed.json["challenged"]
    assert client.get(url).json["challenges"][0]["reason"] == "Brest uses it too"

    question = _open_vote_close(client, timed, clock, poll, region)
    assert question["totals"] == {"no": 6, "yes": 5} and question["winners"] == ["no"]
    late = client.post(url, json={"reason": "Too late"}, headers=auth(region["other_members"][1]))
    assert late.status_code == 409


def _events(runtime, type_: str, poll_id: str) -> list[dict]:
    return [
        row["envelope"]["data"]
        for row in sql(
            runtime,
            "SELECT envelope FROM outbox WHERE routing_key = %s"
            " AND envelope->'data'->>'poll_id' = %s ORDER BY seq",
            (type_, poll_id),
        )
    ]


def test_a_challenge_reaching_its_threshold_sets_the_weights_aside(
    runtime, client, timed, clock, region
):
    poll = client.post("/api/v1/polls", json=_poll(region), headers=auth(ADMIN)).json
    url = f"/api/v1/polls/{poll['id']}/challenges"
    challengers = region["other_members"][:3]
    for member in challengers:
        assert client.post(url, json={"reason": "Unfair"}, headers=auth(member)).status_code == 201
    # Each challenge is announced to the poll's creator and the admins (here one person).
    filed = _events(runtime, "polls.challenge.filed", poll["id"])
    assert [(e["count"], e["needed"], e["member_ids"]) for e in filed] == [
        (1, 3, [ADMIN]),
        (2, 3, [ADMIN]),
        (3, 3, [ADMIN]),
    ]
    question = _open_vote_close(client, timed, clock, poll, region)
    assert question["totals"] == {"no": 2, "yes": 5}
    assert client.get(f"/api/v1/polls/{poll['id']}").json["affected"][0]["set_aside"]
    [decided] = _events(runtime, "polls.challenge.decided", poll["id"])
    assert decided["outcome"] == "set_aside" and decided["count"] == 3
    assert decided["member_ids"] == sorted([ADMIN, *challengers])


def test_weighted_turnout_is_given_by_people_and_by_weight(client, timed, clock, region):
    """Both Rennes members (3 each) and 2 of the 5 in Brest vote: 4 of 7 people, 8 of 11 by
    weight; `voters` stay people and `electorate` the electorate's weight."""
    poll = client.post("/api/v1/polls", json=_poll(region), headers=auth(ADMIN)).json
    clock.now = START + dt.timedelta(days=4, hours=1)
    scheduler_turn(timed)
    for member in region["venue_members"]:
        _vote(client, poll, member, "no")
    for member in region["other_members"][:2]:
        _vote(client, poll, member, "yes")
    assert client.post(f"/api/v1/polls/{poll['id']}/close", headers=auth(ADMIN)).status_code == 200
    found = client.get(f"/api/v1/polls/{poll['id']}/results").json
    assert (found["voters"], found["electors"], found["electorate"]) == (4, 7, 11)
    assert found["turnout_people"] == round(4 / 7, 4)
    assert found["turnout_weight"] == found["turnout"] == round(8 / 11, 4)


def test_weights_set_aside_leave_a_single_turnout(client, timed, clock, region):
    poll = client.post("/api/v1/polls", json=_poll(region), headers=auth(ADMIN)).json
    url = f"/api/v1/polls/{poll['id']}/challenges"
    for member in region["other_members"][:3]:
        assert client.post(url, json={"reason": "Unfair"}, headers=auth(member)).status_code == 201
    _open_vote_close(client, timed, clock, poll, region)
    found = client.get(f"/api/v1/polls/{poll['id']}/results").json
    assert (found["voters"], found["electorate"], found["turnout"]) == (7, 7, 1.0)
    assert "turnout_people" not in found and "electors" not in found


def test_bad_weights_and_scopes_are_refused_naming_the_field(runtime, client, region):
    elsewhere = _found(runtime, "Alsace", None, "regional")
    venue = region["venue"]

    def refused(body: dict, field: str) -> None:
        answer = client.post("/api/v1/polls", json=body, headers=auth(ADMIN))
        assert answer.status_code == 422, answer.json
        assert field in str(answer.json["error"].get("fields")), answer.json

    reason = "Its members use the venue"
    refused(
        _poll(region, affected=[{"chapter_id": venue, "weight": 1, "reason": reason}]), "weight"
    )
    refused(
        _poll(region, affected=[{"chapter_id": venue, "weight": 6, "reason": reason}]), "weight"
    )
    refused(
        _poll(region, affected=[{"chapter_id": venue, "weight": 4, "reason": reason}]),
        "affected.0.weight",
    )
    refused(_poll(region, affected=[{"chapter_id": venue, "weight": 2}]), "reason")
    refused(
        _poll(region, affected=[{"chapter_id": elsewhere, "weight": 2, "reason": reason}]),
        "affected.0.chapter_id",
    )
    refused(
        _poll(region, affected=[{"chapter_id": region["id"], "weight": 2, "reason": reason}]),
        "affected.0.chapter_id",
    )
    refused(
        _poll(
            region,
            affected=[{"chapter_id": venue, "weight": 2, "reason": reason}] * 2,
        ),
        "affected.1.chapter_id",
    )
    refused(
        _poll(region, affected=[{"chapter_id": "no-such", "weight": 2, "reason": reason}]),
        "affected.0.chapter_id",
    )
    refused(_poll(region, opens_at=None), "opens_at")
    refused(_poll(region, scope={"type": "current", "id": str(uuid.uuid4())}), "affected")


def test_who_may_challenge(runtime, client, region):
    plain = client.post("/api/v1/polls", json=_poll(region, affected=[]), headers=auth(ADMIN)).json
    assert (
        client.post(
            f"/api/v1/polls/{plain['id']}/challenges",
            json={"reason": "?"},
            headers=auth(region["venue_members"][0]),
        ).status_code
        == 409
    )
    poll = client.post("/api/v1/polls", json=_poll(region), headers=auth(ADMIN)).json
    url = f"/api/v1/polls/{poll['id']}/challenges"
    outsider = new_member(runtime)
    assert client.post(url, json={"reason": "No"}, headers=auth(outsider)).status_code == 403
    assert client.post(url, json={}, headers=auth(region["venue_members"][0])).status_code == 422
    assert client.post(url, json={"reason": "No"}).status_code == 401
    assert client.get(f"/api/v1/polls/{uuid.uuid4()}/challenges").status_code == 404


def test_an_edit_cannot_open_a_weighted_poll_before_members_could_challenge(client, region):
    """PATCH may move the opening later, never earlier than the time to challenge the weights
    (opening it at once would skip the challenge)."""
    poll = client.post("/api/v1/polls", json=_poll(region), headers=auth(ADMIN)).json
    url = f"/api/v1/polls/{poll['id']}"
    for opens_at in (None, (START + dt.timedelta(hours=1)).isoformat()):
        answer = client.patch(url, json={"opens_at": opens_at}, headers=auth(ADMIN))
        assert answer.status_code == 422, answer.json
        assert "opens_at" in answer.json["error"]["fields"]
    assert client.get(url).json["status"] == "scheduled"
    later = (START + dt.timedelta(days=5)).isoformat()
    moved = client.patch(url, json={"opens_at": later}, headers=auth(ADMIN))
    assert moved.status_code == 200, moved.json
    sooner = (START + dt.timedelta(days=3, hours=1)).isoformat()
    assert client.patch(url, json={"opens_at": sooner}, headers=auth(ADMIN)).status_code == 200
