"""One election of a kind at a time: a second delegate, coordinator or admin election launched
while one for the same mandates is scheduled or open (a form sent twice, two coordinators at
once) is 409 `election_pending`, naming the poll; two would each supersede the other's
winners. By-elections fill a seat each and are not held back by it."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.integration.polls.conftest import auth, feed, new_member, sql

ADMIN = str(uuid.uuid4())


def _later(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def test_a_second_election_for_the_same_mandates_is_refused(runtime, client):
    chapter = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": chapter, "parent_id": None, "name": "Lyon", "level": "local"},
    )
    people = [new_member(runtime, chapters=[(chapter, [])]) for _ in range(3)]
    admin = auth(ADMIN, admin=True)
    body = {
        "chapter_id": chapter,
        "title": "Coordinators 2027",
        "candidates": [{"member_id": m} for m in people],
        "closes_at": _later(48),
    }
    path = "/api/v1/polls/coordinator-elections"
    first = client.post(path, headers=admin, json=body)
    assert first.status_code == 201, first.json
    again = client.post(path, headers=admin, json=body)
    assert again.status_code == 409, again.json
    assert again.json["error"]["code"] == "election_pending"
    assert first.json["id"] in again.json["error"]["message"]
    # Another kind of mandate, or the same kind elsewhere, is another election.
    delegates = client.post("/api/v1/polls/delegate-elections", headers=admin, json=body)
    assert delegates.status_code == 201, delegates.json
    admins = {k: v for k, v in body.items() if k != "chapter_id"}
    assert (
        client.post("/api/v1/polls/admin-elections", headers=admin, json=admins).status_code == 201
    )
    assert (
        client.post("/api/v1/polls/admin-elections", headers=admin, json=admins).status_code == 409
    )
    count = sql(
        runtime,
        "SELECT count(*) AS n FROM poll_purposes WHERE purpose = 'coordinator_election'"
        " AND chapter_id = %s",
        (chapter,),
    )
    assert count[0]["n"] == 1
    # Once it has closed, the chapter may elect again.
    closed = client.post(f"/api/v1/polls/{first.json['id']}/close", headers=admin)
    assert closed.status_code == 200, closed.json
    assert client.post(path, headers=admin, json=body).status_code == 201
