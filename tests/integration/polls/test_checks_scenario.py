"""The conformance check's scenario (checks/polls) against the polls app on real PostgreSQL."""

from __future__ import annotations

import uuid

from tests.integration.polls.conftest import auth, in_an_hour, new_member, sql

ADMIN = str(uuid.uuid4())


def _poll():
    return {
        "title": "Check poll",
        "scope": {"type": "organisation"},
        "closes_at": in_an_hour(),
        "questions": [
            {
                "text": "Adopt likes?",
                "method": "majority",
                "threshold": "simple",
                "options": ["yes", "no"],
            },
            {"text": "Capital?", "method": "irv", "options": ["M", "N", "C", "K"]},
        ],
    }


def test_majority_and_irv_poll_through_its_whole_life(runtime, client):
    voters = [new_member(runtime) for _ in range(6)]  # the sixth never votes
    outsider = new_member(runtime, status="pending")

    code = client.post("/api/v1/polls", json=_poll(), headers=auth(voters[0])).status_code
    assert code == 403
    response = client.post("/api/v1/polls", json=_poll(), headers=auth(ADMIN, admin=True))
    assert response.status_code == 201, response.json
    poll = response.json
    pid, q1, q2 = poll["id"], poll["questions"][0]["id"], poll["questions"][1]["id"]
    assert poll["status"] == "open" and poll["electorate"] == 6

    bad = client.post(
        f"/api/v1/polls/{pid}/ballots",
        json={"answers": [{"question_id": q2, "ranking": ["M", "Z"]}]},
        headers=auth(voters[0]),
    )
    assert bad.status_code == 422
    assert q2 in bad.json["error"]["message"] and "'Z'" in bad.json["error"]["message"]
    assert sql(runtime, "SELECT count(*) AS n FROM roll")[0]["n"] == 0

    plan = [
        ("yes", ["M", "N", "C", "K"]),
        ("yes", ["M", "N", "C", "K"]),
        ("no", ["K", "C", "N", "M"]),
        ("yes", ["K", "C", "N", "M"]),
        ("no", ["N", "C", "K", "M"]),
    ]
    receipts = []
    for member, (choice, ranking) in zip(voters, plan, strict=False):
        cast = client.post(
            f"/api/v1/polls/{pid}/ballots",
            headers=auth(member),
            json={
                "answers": [
                    {"question_id": q1, "choice": choice},
                    {"question_id": q2, "ranking": ranking},
                ]
            },
        )
        assert cast.status_code == 201, cast.json
        receipts.append(cast.json["receipt"])
    assert len(set(receipts)) == 5

    pending = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(outsider, "pending"),
        json={"answers": [{"question_id": q1, "choice": "yes"}]},
    )
    assert pending.status_code == 403
    assert client.get(f"/api/v1/polls/{pid}/results").status_code == 409
    again = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(voters[1]),
        json={"answers": [{"question_id": q1, "choice": "no"}]},
    )
    assert again.status_code == 409
    assert client.post(f"/api/v1/polls/{pid}/close", headers=auth(voters[0])).status_code == 403
    closed = client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True))
    assert closed.status_code == 200, closed.json

    results = client.get(f"/api/v1/polls/{pid}/results", headers=auth(voters[1]))
    assert results.status_code == 200
    body = results.json
    assert body["voters"] == 5 and body["electorate"] == 6
    qs = {q["question_id"]: q for q in body["questions"]}
    assert qs[q1]["winners"] == ["yes"]
    assert qs[q1]["totals"] == {"yes": 3, "no": 2}
    assert qs[q2]["winners"] == ["K"]
    assert len(qs[q2]["rounds"]) >= 2

    late = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(voters[5]),
        json={"answers": [{"question_id": q1, "choice": "no"}]},
    )
    assert late.status_code == 409

    mine = client.post(f"/api/v1/polls/{pid}/ballots/check", json={"receipt": receipts[2]})
    assert mine.status_code == 200 and mine.json["status"] == "counted"
    assert "answers" not in mine.json
    listing = client.get(f"/api/v1/polls/{pid}/ballots").json["ballots"]
    assert len(listing) == 5
    assert {"question_id": q2, "ranking": ["K", "C", "N", "M"]} in [
        a for b in listing for a in b["answers"]
    ]
