"""The poll list filtered by purpose: the delegates page lists delegate elections alone."""

from __future__ import annotations

import uuid

from psycopg2.extras import Json

from tests.integration.polls.conftest import auth, in_an_hour

ADMIN = str(uuid.uuid4())


def _poll(client, title: str) -> str:
    made = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": title,
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Who?", "method": "plurality", "options": ["A", "B"]}],
        },
    )
    assert made.status_code == 201, made.json
    return made.json["id"]


def test_list_by_purpose(runtime, app):
    client = app.test_client()
    election, ordinary = _poll(client, "Election"), _poll(client, "Picnic")
    with runtime.db.transaction() as cur:
        cur.execute(
            "INSERT INTO poll_purposes (poll_id, purpose, chapter_id, details)"
            " VALUES (%s, 'delegate_election', %s, %s)",
            (election, str(uuid.uuid4()), Json({"seats": 1})),
        )
    listed = client.get("/api/v1/polls?purpose=delegate_election&limit=200").json["polls"]
    assert {p["id"] for p in listed} == {election}
    everything = {p["id"] for p in client.get("/api/v1/polls?limit=200").json["polls"]}
    assert {election, ordinary} <= everything
    assert client.get("/api/v1/polls?purpose=recall").json["polls"] == []
    refused = client.get("/api/v1/polls?purpose=party")
    assert refused.status_code == 422 and "purpose" in refused.get_data(as_text=True)
