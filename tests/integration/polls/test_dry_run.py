"""POST /api/v1/polls?dry_run=true runs every check of a launch and stores nothing (issue 16)."""

from __future__ import annotations

import uuid

from tests.integration.polls.conftest import auth, in_an_hour, sql

ADMIN = str(uuid.uuid4())


def _poll(**extra) -> dict:
    return {
        "title": "Dry",
        "scope": {"type": "organisation"},
        "closes_at": in_an_hour(),
        "questions": [
            {"text": "Adopt?", "method": "majority", "options": ["Yes", "No"], "threshold": "2/3"}
        ],
        **extra,
    }


def _polls(runtime) -> int:
    return sql(runtime, "SELECT count(*) AS n FROM polls")[0]["n"]


def test_a_dry_run_that_passes_creates_nothing_and_the_real_run_passes(runtime, app):
    client = app.test_client()
    before = _polls(runtime)
    dry = client.post("/api/v1/polls?dry_run=true", json=_poll(), headers=auth(ADMIN, admin=True))
    assert dry.status_code == 200, dry.json
    assert dry.json["title"] == "Dry" and dry.json["questions"][0]["options"] == ["Yes", "No"]
    assert _polls(runtime) == before
    real = client.post("/api/v1/polls", json=_poll(), headers=auth(ADMIN, admin=True))
    assert real.status_code == 201 and _polls(runtime) == before + 1


def test_a_dry_run_refuses_what_the_launch_refuses(runtime, app):
    client = app.test_client()
    headers = auth(ADMIN, admin=True)
    unknown = client.post("/api/v1/polls?dry_run=true", json=_poll(colour="red"), headers=headers)
    assert unknown.status_code == 422 and "colour" in unknown.json["error"]["fields"]
    chapter = _poll(scope={"type": "chapter", "id": str(uuid.uuid4())})
    missing = client.post("/api/v1/polls?dry_run=true", json=chapter, headers=headers)
    assert missing.status_code == 422 and "scope.id" in missing.json["error"]["fields"]
    member = client.post(
        "/api/v1/polls?dry_run=true", json=_poll(), headers=auth(str(uuid.uuid4()))
    )
    assert member.status_code == 403
