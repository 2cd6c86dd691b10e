"""Consensus processes: one that needs two rounds, one that falls back to a vote."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.integration.polls.conftest import auth, in_an_hour, new_member, sql

ADMIN = str(uuid.uuid4())
LATER = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()


def _round(client, pid, qid, members, responses):
    for member, (response, reason) in zip(members, responses, strict=True):
        answer = {"question_id": qid, "response": response}
        if reason:
            answer["reason"] = reason
        cast = client.post(
            f"/api/v1/polls/{pid}/ballots", headers=auth(member), json={"answers": [answer]}
        )
        assert cast.status_code == 201, cast.json
    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 200
    )
    return client.get(f"/api/v1/polls/{pid}/results").json["questions"][0]


def _start(client, rules):
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Adopt the charter",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Charter, first draft", "method": "consensus", **rules}],
        },
    )
    assert poll.status_code == 201, poll.json
    return poll.json["id"], poll.json["questions"][0]["id"]


def test_consensus_reached_in_the_second_round(runtime, client):
    members = [new_member(runtime) for _ in range(3)]
    pid, qid = _start(client, {"max_rounds": 3, "max_stand_asides": 1})
    first = _round(
        client,
        pid,
        qid,
        members,
        [("agree", None), ("block", "Excludes chapters without email"), ("stand_aside", None)],
    )
    assert first["status"] == "needs_amendment" and first["winners"] == []
    assert first["rounds"][0]["why_not"] == ["1 block(s)"]

    url = f"/api/v1/polls/{pid}/questions/{qid}/next_round"
    assert (
        client.post(
            url, headers=auth(members[0]), json={"text": "x", "closes_at": LATER}
        ).status_code
        == 403
    )
    assert (
        client.post(url, headers=auth(ADMIN, admin=True), json={"closes_at": LATER}).status_code
        == 422
    )
    second = client.post(
        url,
        headers=auth(ADMIN, admin=True),
        json={"text": "Charter, amended: post for chapters without email", "closes_at": LATER},
    )
    assert second.status_code == 201, second.json
    pid2, qid2 = second.json["id"], second.json["questions"][0]["id"]
    assert second.json["questions"][0]["previous_poll_id"] == pid
    result = _round(
        client,
        pid2,
        qid2,
        members,
        [("agree", None), ("agree", None), ("concern", "Cost of postage")],
    )
    assert result["status"] == "consensus" and result["winners"] == ["consensus"]
    assert [r["text"] for r in result["rounds"]] == [
        "Charter, first draft",
        "Charter, amended: post for chapters without email",
    ]
    assert result["rounds"][1]["outcome"] == "consensus"
    started = sql(
        runtime, "SELECT envelope FROM outbox WHERE routing_key = 'polls.consensus.round_started'"
    )
    assert started[0]["envelope"]["data"]["round"] == 2
    assert (
        client.post(
            f"/api/v1/polls/{pid2}/questions/{qid2}/next_round",
            headers=auth(ADMIN, admin=True),
            json={"text": "y", "closes_at": LATER},
        ).status_code
        == 409
    )


def test_consensus_falls_back_to_a_vote(runtime, client):
    members = [new_member(runtime) for _ in range(4)]
    pid, qid = _start(client, {"max_rounds": 1, "fallback": "3/4"})
    first = _round(
        client,
        pid,
        qid,
        members,
        [("agree", None), ("agree", None), ("agree", None), ("block", "Not ready")],
    )
    assert first["status"] == "fallback_vote"
    vote = client.post(
        f"/api/v1/polls/{pid}/questions/{qid}/next_round",
        headers=auth(ADMIN, admin=True),
        json={"closes_at": LATER},
    )
    assert vote.status_code == 201, vote.json
    question = vote.json["questions"][0]
    assert question["method"] == "consensus_vote" and question["options"] == [
        "yes",
        "no",
        "abstain",
    ]
    pid2, qid2 = vote.json["id"], question["id"]
    for member, choice in zip(members, ["yes", "yes", "yes", "no"], strict=True):
        assert (
            client.post(
                f"/api/v1/polls/{pid2}/ballots",
                headers=auth(member),
                json={"answers": [{"question_id": qid2, "choice": choice}]},
            ).status_code
            == 201
        )
    client.post(f"/api/v1/polls/{pid2}/close", headers=auth(ADMIN, admin=True))
    result = client.get(f"/api/v1/polls/{pid2}/results").json["questions"][0]
    assert result["status"] == "carried" and result["winners"] == ["carried"]
    assert result["fallback"]["votes"] == {"yes": 3, "no": 1, "abstain": 0}
