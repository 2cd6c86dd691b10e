"""A reason said in public — why a poll was cancelled or extended, a request refused, a comment
hidden or restored, a weight given or challenged — is words: blank text ("   ") is refused with
422 naming the field, as an empty one is, and nothing changes."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.integration.polls.conftest import auth, feed, in_an_hour, new_member

ADMIN = str(uuid.uuid4())
BLANK = " \n  "  # the multi-line reasons
SPACES = "   "  # the one-line ones
QUESTIONS = [{"text": "Q", "method": "majority", "options": ["yes", "no"]}]


def _later(days: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def _chapter(runtime, parent=None, level="regional") -> str:
    chapter_id = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": chapter_id, "parent_id": parent, "name": "R", "level": level},
    )
    return chapter_id


def _refused(answer, field: str) -> None:
    assert answer.status_code == 422, answer.json
    assert field in str(answer.json["error"]["fields"]), answer.json


def test_blank_public_reasons_are_refused_naming_the_field(runtime, client):
    admin = auth(ADMIN, admin=True)
    region = _chapter(runtime)
    city = _chapter(runtime, region, "city")
    member = new_member(runtime, chapters=[(city, [region])])
    poll = {
        "title": "Reasons",
        "scope": {"type": "chapter", "id": region},
        "questions": QUESTIONS,
    }
    scheduled = client.post(
        "/api/v1/polls", headers=admin, json={**poll, "opens_at": _later(4), "closes_at": _later(9)}
    ).json
    opened = client.post("/api/v1/polls", headers=admin, json={**poll, "closes_at": in_an_hour()})
    opened = opened.json
    path = f"/api/v1/polls/{scheduled['id']}"
    _refused(client.post(f"{path}/cancel", headers=admin, json={"reason": BLANK}), "reason")
    deadline = {"closes_at": _later(2), "reason": BLANK}
    _refused(
        client.post(f"/api/v1/polls/{opened['id']}/deadline", headers=admin, json=deadline),
        "reason",
    )
    weighted = {
        **poll,
        "opens_at": _later(4),
        "closes_at": _later(9),
        "affected": [{"chapter_id": city, "weight": 2, "reason": SPACES}],
    }
    _refused(client.post("/api/v1/polls", headers=admin, json=weighted), "affected")
    weighted["affected"][0]["reason"] = "Its members use the venue"
    weighted = client.post("/api/v1/polls", headers=admin, json=weighted).json
    _refused(
        client.post(
            f"/api/v1/polls/{weighted['id']}/challenges",
            headers=auth(member),
            json={"reason": SPACES},
        ),
        "reason",
    )
    comments = f"/api/v1/polls/{opened['id']}/comments"
    comment = client.post(comments, headers=auth(member), json={"body": "Hello"}).json
    one = f"{comments}/{comment['id']}"
    _refused(client.post(f"{one}/report", headers=auth(member), json={"reason": BLANK}), "reason")
    _refused(client.post(f"{one}/hide", headers=admin, json={"reason": BLANK}), "reason")
    assert client.post(f"{one}/hide", headers=admin, json={"reason": "Spam"}).status_code == 200
    _refused(client.post(f"{one}/restore", headers=admin, json={"reason": BLANK}), "reason")
    request = client.post(
        "/api/v1/polls/upward-requests",
        headers=admin,
        json={"chapter_id": city, "title": "Ask", "questions": QUESTIONS},
    ).json
    refusal = f"/api/v1/polls/upward-requests/{request['id']}/refuse"
    _refused(client.post(refusal, headers=admin, json={"reason": BLANK}), "reason")
    assert client.get(path).json["status"] == "scheduled"
    assert client.get(f"/api/v1/polls/upward-requests/{request['id']}").json["status"] == "pending"
