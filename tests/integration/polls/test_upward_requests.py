"""Chapters put matters upward (issue 18): a chapter asks the level above for a delegate poll,
by its coordinator's mandate or by a closed poll of its own; the request is public, and the
level above opens the delegate poll or refuses with a public reason — past its deadline an
unanswered request shows as overdue."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.polls.app import create_app
from services.polls.context import build_context
from services.polls.service.schedule import scheduler_turn
from tests.integration.polls.conftest import Clock, auth, feed, new_member, sql

ADMIN = str(uuid.uuid4())
START = dt.datetime(2033, 2, 1, 9, 0, tzinfo=dt.UTC)
URL = "/api/v1/polls/upward-requests"


@pytest.fixture(scope="module")
def clock():
    return Clock(START)


@pytest.fixture()
def client(runtime, clock):
    clock.now = START
    return create_app(runtime, build_context(runtime, clock=clock)).test_client()


def _found(runtime, name: str, parent: str | None) -> str:
    chapter = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": chapter, "parent_id": parent, "name": name, "level": "x"},
    )
    return chapter


def _coordinator(runtime, chapter: str, ancestors=()) -> str:
    member = new_member(runtime, chapters=[(chapter, list(ancestors))])
    feed(
        runtime,
        "members.mandate.granted",
        {
            "mandate_id": str(uuid.uuid4()),
            "member_id": member,
            "role": "coordinator",
            "chapter_id": chapter,
        },
    )
    return member


@pytest.fixture()
def federation(runtime):
    region = _found(runtime, "Saxony", None)
    city = _found(runtime, "Leipzig", region)
    return {
        "region": region,
        "city": city,
        "region_coordinator": _coordinator(runtime, region),
        "city_coordinator": _coordinator(runtime, city, [region]),
        "city_member": new_member(runtime, chapters=[(city, [region])]),
    }


def _ask(city: str, **changes) -> dict:
    return {
        "chapter_id": city,
        "title": "A regional rent campaign",
        "text": "Our members want the region to decide it.",
        "questions": [{"text": "Campaign?", "method": "majority", "options": ["yes", "no"]}],
        **changes,
    }


def test_a_coordinator_asks_and_the_region_opens_the_delegate_poll(client, clock, federation):
    filed = client.post(
        URL, json=_ask(federation["city"]), headers=auth(federation["city_coordinator"])
    )
    assert filed.status_code == 201, filed.json
    request = filed.json
    assert request["basis"] == "mandate" and request["status"] == "pending"
    assert request["asks"] == {"id": federation["region"], "name": "Saxony"}
    assert request["answer_due_at"] == (START + dt.timedelta(days=30)).isoformat()
    listed = client.get(URL, query_string={"parent_id": federation["region"]}).json["requests"]
    assert [r["id"] for r in listed] == [request["id"]]
    one = f"{URL}/{request['id']}"
    assert client.get(one, headers=auth(federation["region_coordinator"])).json["may_answer"]
    assert not client.get(one, headers=auth(federation["city_coordinator"])).json["may_answer"]
    closes = {"closes_at": (START + dt.timedelta(days=7)).isoformat()}
    assert (
        client.post(
            f"{one}/open", json=closes, headers=auth(federation["city_coordinator"])
        ).status_code
        == 403
    )
    opened = client.post(f"{one}/open", json=closes, headers=auth(federation["region_coordinator"]))
    assert opened.status_code == 200, opened.json
    assert opened.json["status"] == "opened" and not opened.json["answered_late"]
    poll = client.get(f"/api/v1/polls/{opened.json['poll_id']}").json
    assert poll["scope"] == {"type": "chapter", "id": federation["region"]}
    assert poll["title"] == "A regional rent campaign"
    refused = client.post(
        f"{one}/refuse", json={"reason": "x"}, headers=auth(federation["region_coordinator"])
    )
    assert refused.status_code == 409


def test_unanswered_past_the_deadline_is_overdue_then_refused_in_public(client, clock, federation):
    request = client.post(
        URL, json=_ask(federation["city"]), headers=auth(federation["city_coordinator"])
    ).json
    one = f"{URL}/{request['id']}"
    clock.now = START + dt.timedelta(days=31)
    assert client.get(one).json["overdue"]
    mine = client.get(URL, query_string={"chapter_id": federation["city"], "status": "pending"})
    assert mine.json["requests"][0]["overdue"]
    assert (
        client.post(
            f"{one}/refuse", json={}, headers=auth(federation["region_coordinator"])
        ).status_code
        == 422
    )
    refused = client.post(
        f"{one}/refuse",
        json={"reason": "The region decided it last spring."},
        headers=auth(federation["region_coordinator"]),
    )
    assert refused.status_code == 200
    shown = client.get(one).json
    assert shown["status"] == "refused" and not shown["overdue"] and shown["answered_late"]
    assert shown["refusal_reason"] == "The region decided it last spring."


def test_a_chapter_poll_lets_any_member_file_it(client, federation):
    coordinator, city = federation["city_coordinator"], federation["city"]
    poll = client.post(
        "/api/v1/polls",
        headers=auth(coordinator),
        json={
            "title": "Ask the region?",
            "scope": {"type": "chapter", "id": city},
            "closes_at": (START + dt.timedelta(hours=1)).isoformat(),
            "questions": [{"text": "Ask?", "method": "majority", "options": ["yes", "no"]}],
        },
    ).json
    member = federation["city_member"]
    early = client.post(URL, json=_ask(city, decided_by_poll_id=poll["id"]), headers=auth(member))
    assert early.status_code == 422 and "decided_by_poll_id" in str(early.json)
    client.post(f"/api/v1/polls/{poll['id']}/close", headers=auth(coordinator))
    filed = client.post(URL, json=_ask(city, decided_by_poll_id=poll["id"]), headers=auth(member))
    assert filed.status_code == 201, filed.json
    assert filed.json["basis"] == "poll" and filed.json["decided_by_poll_id"] == poll["id"]
    # One decision grounds one request: the same poll cannot speak for another matter.
    other = _ask(city, title="Something else entirely", decided_by_poll_id=poll["id"])
    reused = client.post(URL, json=other, headers=auth(member))
    assert reused.status_code == 422 and "decided_by_poll_id" in reused.json["error"]["fields"]


def test_bad_requests_are_refused_naming_the_field(runtime, client, federation):
    city, member = federation["city"], federation["city_coordinator"]

    def status(body: dict, who: str = member) -> tuple[int, str]:
        answer = client.post(URL, json=body, headers=auth(who))
        return answer.status_code, str(answer.json)

    assert status(_ask(city), federation["city_member"])[0] == 403
    code, text = status(_ask(federation["region"]), federation["region_coordinator"])
    assert code == 422 and "chapter_id" in text
    code, text = status(_ask("no-such-chapter"))
    assert code == 422 and "chapter_id" in text
    code, text = status(_ask(city, questions=[]))
    assert code == 422 and "questions" in text
    code, text = status(_ask(city, title=""))
    assert code == 422 and "title" in text
    code, text = status(_ask(city, decided_by_poll_id=str(uuid.uuid4())))
    assert code == 422 and "decided_by_poll_id" in text
    assert client.post(URL, json=_ask(city)).status_code == 401
    assert client.get(f"{URL}/{uuid.uuid4()}").status_code == 404
    assert client.get(URL, query_string={"status": "lost"}).status_code == 422


def _told(runtime, type_: str, request_id: str) -> list[list[str]]:
    """`member_ids` of each `type_` event about the request, in order."""
    return [
        row["envelope"]["data"]["member_ids"]
        for row in sql(
            runtime,
            "SELECT envelope FROM outbox WHERE routing_key = %s"
            " AND envelope->'data'->>'request_id' = %s ORDER BY seq",
            (type_, request_id),
        )
    ]


def test_the_level_asked_is_told_then_those_who_asked(runtime, client, clock):
    """Filed: the coordinators of the level asked, else of the nearest chapter above, else the
    admins; overdue (once): both sides; answered: the asking chapter's coordinators and filer."""
    top = _found(runtime, "Germany", None)
    region = _found(runtime, "Thuringia", top)  # nobody coordinates it
    city = _found(runtime, "Erfurt", region)
    asker = _coordinator(runtime, city, [region, top])
    first = client.post(URL, json=_ask(city), headers=auth(asker)).json
    assert _told(runtime, "polls.upward_request.filed", first["id"]) == [[ADMIN]]
    national = _coordinator(runtime, top)
    second = client.post(
        URL, json=_ask(city, title="A regional housing fund"), headers=auth(asker)
    ).json
    assert _told(runtime, "polls.upward_request.filed", second["id"]) == [[national]]

    clock.now = START + dt.timedelta(days=31)
    timed = build_context(runtime, clock=clock)
    assert scheduler_turn(timed)["upward_overdue"] >= 2
    assert scheduler_turn(timed)["upward_overdue"] == 0
    assert _told(runtime, "polls.upward_request.overdue", second["id"]) == [
        sorted([national, asker])
    ]
    refused = client.post(
        f"{URL}/{second['id']}/refuse", json={"reason": "Not ours"}, headers=auth(national)
    )
    assert refused.status_code == 200, refused.json
    assert _told(runtime, "polls.upward_request.answered", second["id"]) == [[asker]]


def test_the_same_request_sent_twice_is_filed_once(client, federation):
    """A form sent twice (or two coordinators at once) files one request: the same title and
    questions while it is pending are 409 `request_pending`, naming it."""
    coordinator = auth(federation["city_coordinator"])
    first = client.post(URL, json=_ask(federation["city"]), headers=coordinator)
    assert first.status_code == 201, first.json
    again = client.post(URL, json=_ask(federation["city"]), headers=coordinator)
    assert again.status_code == 409 and again.json["error"]["code"] == "request_pending"
    assert first.json["id"] in again.json["error"]["message"]
    listed = client.get(URL, query_string={"chapter_id": federation["city"]}).json["requests"]
    assert len(listed) == 1
    other = _ask(federation["city"], title="A regional housing fund")
    assert client.post(URL, json=other, headers=coordinator).status_code == 201
