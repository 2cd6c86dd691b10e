"""Member initiative (issue 18): a proposal whose supporters reach the threshold of its scope's
active members opens as a poll at the end of its discussion period, without a coordinator."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.polls.app import create_app
from services.polls.context import build_context
from services.polls.service.schedule import scheduler_turn
from tests.integration.polls.conftest import Clock, auth, feed, grant, new_member

ADMIN = str(uuid.uuid4())
START = dt.datetime(2031, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def clock():
    return Clock(START)


@pytest.fixture(scope="module")
def timed(runtime, clock):
    return build_context(runtime, clock=clock)


@pytest.fixture()
def client(runtime, timed):
    return create_app(runtime, timed).test_client()


def _chapter(runtime, members: int) -> tuple[str, list[str]]:
    chapter = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": chapter, "parent_id": None, "name": "Ghent", "level": "local"},
    )
    return chapter, [new_member(runtime, chapters=[(chapter, [])]) for _ in range(members)]


def _draft(client, chapter: str, author: str) -> dict:
    created = client.post(
        "/api/v1/proposals",
        headers=auth(author),
        json={
            "title": "A community fridge",
            "scope": {"type": "chapter", "id": chapter},
            "questions": [{"text": "Set one up?", "method": "majority", "options": ["yes", "no"]}],
        },
    )
    assert created.status_code == 201, created.json
    return created.json


def test_an_initiative_reaching_its_threshold_opens_as_a_poll(runtime, client, clock, timed):
    chapter, members = _chapter(runtime, 61)  # 5 % of 61 → 4 supporters needed
    proposal = _draft(client, chapter, members[0])
    pid = proposal["id"]
    assert proposal["discussion_ends_at"] == (START + dt.timedelta(days=7)).isoformat()
    view = client.get(f"/api/v1/proposals/{pid}").json
    assert view["threshold"]["needed"] == 4 and view["threshold"]["active_members"] == 61
    assert view["supporters_count"] == 1  # the author supports their own proposal
    for member in members[1:3]:
        supported = client.post(f"/api/v1/proposals/{pid}/support", headers=auth(member))
        assert supported.status_code == 200 and supported.json["supported"]
    assert (
        client.post(f"/api/v1/proposals/{pid}/support", headers=auth(members[1])).json[
            "supporters_count"
        ]
        == 3
    )  # supporting twice counts once

    clock.now = START + dt.timedelta(days=8)
    assert scheduler_turn(timed)["initiatives"] == 0  # 3 of 4: not yet
    assert client.get(f"/api/v1/proposals/{pid}").json["status"] == "draft"

    client.post(f"/api/v1/proposals/{pid}/support", headers=auth(members[3]))
    assert scheduler_turn(timed)["initiatives"] == 1
    opened = client.get(f"/api/v1/proposals/{pid}").json
    assert opened["status"] == "opened" and opened["initiative_opened_at"]
    poll = client.get(f"/api/v1/polls/{opened['poll_id']}").json
    assert poll["status"] == "open" and poll["electorate"] == 61
    assert poll["created_by"] == members[0] and poll["proposal_id"] == pid
    assert poll["closes_at"] == (clock.now + dt.timedelta(days=14)).isoformat()
    assert sorted(s["member_id"] for s in opened["supporters"]) == sorted(members[:4])


def test_support_waits_for_the_discussion_period(runtime, client, clock, timed):
    clock.now = START
    chapter, members = _chapter(runtime, 3)
    pid = _draft(client, chapter, members[0])["id"]
    for member in members[1:]:
        client.post(f"/api/v1/proposals/{pid}/support", headers=auth(member))
    assert client.get(f"/api/v1/proposals/{pid}").json["threshold_reached"]
    clock.now = START + dt.timedelta(days=6)
    scheduler_turn(timed)
    assert client.get(f"/api/v1/proposals/{pid}").json["status"] == "draft"
    edited = client.patch(
        f"/api/v1/proposals/{pid}", json={"title": "A fridge"}, headers=auth(members[0])
    )
    assert edited.status_code == 200
    assert client.get(f"/api/v1/proposals/{pid}").json["supporters_count"] == 3  # same questions
    withdrawn = client.delete(f"/api/v1/proposals/{pid}/support", headers=auth(members[2]))
    assert withdrawn.status_code == 200 and withdrawn.json["supporters_count"] == 2
    clock.now = START + dt.timedelta(days=7, seconds=1)
    scheduler_turn(timed)
    assert client.get(f"/api/v1/proposals/{pid}").json["status"] == "draft"
    client.post(f"/api/v1/proposals/{pid}/support", headers=auth(members[2]))
    changed = [{"text": "Two fridges?", "method": "majority", "options": ["yes", "no"]}]
    client.patch(f"/api/v1/proposals/{pid}", json={"questions": changed}, headers=auth(members[0]))
    after = client.get(f"/api/v1/proposals/{pid}").json
    assert [s["member_id"] for s in after["supporters"]] == [members[0]]  # support is for a text


def test_who_may_support(runtime, client, clock):
    clock.now = START
    chapter, members = _chapter(runtime, 2)
    pid = _draft(client, chapter, members[0])["id"]
    outsider = new_member(runtime)
    pending = new_member(runtime, status="pending", chapters=[(chapter, [])])
    url = f"/api/v1/proposals/{pid}/support"
    assert client.post(url, headers=auth(outsider)).status_code == 403
    assert client.post(url, headers=auth(pending, "pending")).status_code == 403
    assert client.post(url).status_code == 401
    assert (
        client.post(
            f"/api/v1/proposals/{uuid.uuid4()}/support", headers=auth(members[1])
        ).status_code
        == 404
    )
    client.post(f"/api/v1/proposals/{pid}/withdraw", headers=auth(members[0]))
    assert client.post(url, headers=auth(members[1])).status_code == 409


def test_a_chapter_sets_its_own_threshold_by_its_poll(runtime, client, clock):
    clock.now = START
    chapter, members = _chapter(runtime, 10)
    coordinator = members[0]
    grant(runtime, coordinator, chapter_id=chapter)
    url = f"/api/v1/proposals/thresholds/{chapter}"
    assert client.get(url).json["needed"] == 3
    rule = {"share": 0.5, "minimum": 2, "decided_by_poll_id": str(uuid.uuid4())}
    assert client.put(url, json=rule, headers=auth(members[1])).status_code == 403
    refused = client.put(url, json=rule, headers=auth(coordinator))
    assert refused.status_code == 422 and "decided_by_poll_id" in str(refused.json)
    bad = client.put(url, json={**rule, "share": 0}, headers=auth(coordinator))
    assert bad.status_code == 422 and "share" in str(bad.json)
    poll = client.post(
        "/api/v1/polls",
        headers=auth(coordinator),
        json={
            "title": "Our initiative threshold",
            "scope": {"type": "chapter", "id": chapter},
            "closes_at": (START + dt.timedelta(hours=1)).isoformat(),
            "questions": [{"text": "Half?", "method": "majority", "options": ["yes", "no"]}],
        },
    ).json
    client.post(f"/api/v1/polls/{poll['id']}/close", headers=auth(coordinator))
    rule["decided_by_poll_id"] = poll["id"]
    done = client.put(url, json=rule, headers=auth(coordinator))
    assert done.status_code == 200, done.json
    assert done.json["needed"] == 5 and done.json["decided_by_poll_id"] == poll["id"]


def test_a_proposal_opened_as_a_poll_keeps_its_text_and_a_cancelled_one_is_a_draft_again(
    runtime, client, clock, timed
):
    """A coordinator who opens members' proposal as a poll scheduled later may move its dates,
    not rewrite what the members proposed; cancelling it gives the proposal back to its members
    (a draft again, supporters kept), so the initiative can still open it."""
    clock.now = START
    chapter, members = _chapter(runtime, 3)
    coordinator = new_member(runtime, chapters=[(chapter, [])])
    grant(runtime, coordinator, chapter_id=chapter)
    pid = _draft(client, chapter, members[0])["id"]
    for member in members[1:]:
        client.post(f"/api/v1/proposals/{pid}/support", headers=auth(member))
    later = {
        "opens_at": (START + dt.timedelta(days=29)).isoformat(),  # within 30 days (the cap)
        "closes_at": (START + dt.timedelta(days=40)).isoformat(),
    }
    poll = client.post(f"/api/v1/proposals/{pid}/open", json=later, headers=auth(coordinator))
    assert poll.status_code == 201, poll.json
    path = f"/api/v1/polls/{poll.json['id']}"
    other = [{"text": "No fridge?", "method": "majority", "options": ["yes", "no"]}]
    for change in ({"questions": other}, {"title": "Something else"}, {"text": "Not ours"}):
        refused = client.patch(path, json=change, headers=auth(coordinator))
        assert refused.status_code == 422, refused.json
        assert set(change) <= set(refused.json["error"]["fields"]), refused.json
    past_the_cap = {"opens_at": (START + dt.timedelta(days=31)).isoformat()}
    refused = client.patch(path, json=past_the_cap, headers=auth(coordinator))
    assert refused.status_code == 422 and "opens_at" in refused.json["error"]["fields"]
    sooner = {"opens_at": (START + dt.timedelta(days=20)).isoformat()}
    assert client.patch(path, json=sooner, headers=auth(coordinator)).status_code == 200
    cancelled = client.post(f"{path}/cancel", json={"reason": "Later"}, headers=auth(coordinator))
    assert cancelled.status_code == 200, cancelled.json
    again = client.get(f"/api/v1/proposals/{pid}").json
    assert again["status"] == "draft" and again["poll_id"] == poll.json["id"]  # kept as a link
    assert again["supporters_count"] == 3 and again["threshold_reached"]
    clock.now = START + dt.timedelta(days=8)
    assert scheduler_turn(timed)["initiatives"] == 1  # the members' initiative opens it
