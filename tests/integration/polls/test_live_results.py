"""Live counts stay hidden until close unless the poll says otherwise (`live_results: true`)."""

from __future__ import annotations

import uuid

from tests.integration.polls.conftest import auth, in_an_hour, new_member

ADMIN = str(uuid.uuid4())


def _create(client, **extra):
    response = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Live?",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [
                {"text": "Pick", "method": "plurality", "options": ["a", "b"]},
                {"text": "Agree?", "method": "consensus"},
            ],
            **extra,
        },
    )
    assert response.status_code == 201, response.json
    return response.json


def _vote(client, poll, member, choice, response="agree"):
    q1, q2 = (q["id"] for q in poll["questions"])
    return client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(member),
        json={
            "answers": [
                {"question_id": q1, "choice": choice},
                {"question_id": q2, "response": response, "reason": "Not yet."},
            ]
        },
    )


def test_counts_are_hidden_while_open_by_default(runtime, client):
    members = [new_member(runtime) for _ in range(2)]
    poll = _create(client)
    assert poll["live_results"] is False
    assert _vote(client, poll, members[0], "a").status_code == 201
    hidden = client.get(f"/api/v1/polls/{poll['id']}/results")
    assert hidden.status_code == 409 and hidden.json["error"]["code"] == "not_counted"
    client.post(f"/api/v1/polls/{poll['id']}/close", headers=auth(ADMIN, admin=True))
    final = client.get(f"/api/v1/polls/{poll['id']}/results").json
    assert final["final"] is True and final["questions"][0]["totals"] == {"a": 1, "b": 0}


def test_live_results_are_published_in_batches_that_cannot_be_differenced(runtime, client):
    members = [new_member(runtime) for _ in range(12)]
    poll = _create(client, live_results=True)
    assert poll["live_results"] is True
    rule = poll["live_results_rule"]
    assert rule["kind"] == "batches" and rule["min_new_voters"] == 10
    assert "10" in rule["description"]
    url = f"/api/v1/polls/{poll['id']}/results"
    empty = client.get(url).json
    assert empty["final"] is False and empty["voters"] == 0
    assert empty["questions"][0]["totals"] == {"a": 0, "b": 0}
    assert empty["live_results_rule"] == rule

    # One vote between two readings: the readings are the same.
    receipt = _vote(client, poll, members[0], "a").json["receipt"]
    assert client.get(url).json == empty
    for member in members[1:9]:
        assert _vote(client, poll, member, "b").status_code == 201
    assert client.get(url).json == empty  # 9 new voters: still under the batch
    assert _vote(client, poll, members[9], "b", "block").status_code == 201
    batch = client.get(url).json  # 10 new voters: refreshed
    assert batch["final"] is False and batch["closed_at"] is None
    assert batch["voters"] == 10 and batch["electorate"] >= 12
    assert batch["questions"][0]["totals"] == {"a": 1, "b": 9}
    assert batch["questions"][1]["totals"]["block"] == 1
    # No receipt hash is shown while open (nor anything else that names a ballot).
    import hashlib

    assert hashlib.sha256(receipt.encode()).hexdigest() not in str(batch)

    # The 11th vote, and a changed vote, are not visible on their own.
    assert _vote(client, poll, members[10], "a").status_code == 201
    assert client.get(url).json == batch
    q1, _ = (q["id"] for q in poll["questions"])
    changed = client.put(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(members[0]),
        json={"receipt": receipt, "answers": [{"question_id": q1, "choice": "b"}]},
    )
    assert changed.status_code == 200
    assert client.get(url).json == batch

    client.post(f"/api/v1/polls/{poll['id']}/close", headers=auth(ADMIN, admin=True))
    final = client.get(url).json
    assert final["final"] is True and final["voters"] == 11
    assert final["questions"][0]["totals"] == {"a": 1, "b": 10}
