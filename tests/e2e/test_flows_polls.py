"""Issue 5 end to end through the gateway: an STV election of 3 seats, a consensus process that
needs two rounds and one that falls back to a vote (events on the bus feed the electorate)."""

from __future__ import annotations

import pytest

from tests.support.e2e import (
    ADMIN,
    approved_voters,
    call,
    cast,
    close_and_count,
    later,
    launch_for,
    login,
)


@pytest.fixture(scope="module")
def people(stack):
    admin = login(stack, *ADMIN)
    return admin, approved_voters(stack, admin, 20, "poll")


def consensus_poll(rules):
    return {
        "title": "Adopt the charter",
        "scope": {"type": "organisation"},
        "closes_at": later(),
        "questions": [{"text": "Charter, first draft", "method": "consensus", **rules}],
    }


def test_stv_election_of_three_seats(stack, people):
    admin, voters = people
    # The classic "food election": 20 voters, 3 seats, Droop quota 6.
    profile = [
        (["Orange"], 4),
        (["Pear", "Orange"], 2),
        (["Chocolate", "Strawberry"], 8),
        (["Chocolate", "Hamburger"], 4),
        (["Strawberry"], 1),
        (["Hamburger"], 1),
    ]
    poll = launch_for(
        stack,
        admin,
        {
            "title": "Party food",
            "scope": {"type": "organisation"},
            "closes_at": later(),
            "questions": [
                {
                    "text": "Party food",
                    "method": "stv",
                    "seats": 3,
                    "options": ["Orange", "Pear", "Chocolate", "Strawberry", "Hamburger"],
                }
            ],
        },
        voters,
    )
    qid = poll["questions"][0]["id"]
    rankings = [ranking for ranking, n in profile for _ in range(n)]
    for token, ranking in zip(voters, rankings, strict=True):
        cast(stack, poll["id"], token, {"question_id": qid, "ranking": ranking})

    summary = close_and_count(stack, admin, poll["id"])
    assert summary["voters"] == 20
    [result] = summary["questions"]
    assert result["question_id"] == qid
    assert result["quota"] == 6
    assert result["winners"] == ["Chocolate", "Orange", "Strawberry"]
    assert len(result["rounds"]) >= 3


def test_consensus_reached_in_the_second_round(stack, people):
    admin, voters = people
    members = voters[:3]
    poll = launch_for(
        stack, admin, consensus_poll({"max_rounds": 3, "max_stand_asides": 1}), members
    )
    pid, qid = poll["id"], poll["questions"][0]["id"]
    cast(stack, pid, members[0], {"question_id": qid, "response": "agree"})
    cast(
        stack,
        pid,
        members[1],
        {"question_id": qid, "response": "block", "reason": "Excludes chapters without email"},
    )
    cast(stack, pid, members[2], {"question_id": qid, "response": "stand_aside"})
    first = close_and_count(stack, admin, pid)["questions"][0]
    assert first["status"] == "needs_amendment" and first["winners"] == []
    assert first["rounds"][0]["why_not"] == ["1 block(s)"]

    url = f"/api/v1/polls/{pid}/questions/{qid}/next_round"
    refused = call(stack, "POST", url, {"text": "x", "closes_at": later(2)}, token=members[0])
    assert refused.status_code == 403, refused.text
    amended = "Charter, amended: post for chapters without email"
    second = call(stack, "POST", url, {"text": amended, "closes_at": later(2)}, token=admin)
    assert second.status_code == 201, second.text
    pid2, qid2 = second.json()["id"], second.json()["questions"][0]["id"]
    assert second.json()["questions"][0]["previous_poll_id"] == pid
    for token in members:
        view = call(stack, "GET", f"/api/v1/polls/{pid2}", token=token).json()
        assert view["eligible"], view
    cast(stack, pid2, members[0], {"question_id": qid2, "response": "agree"})
    cast(stack, pid2, members[1], {"question_id": qid2, "response": "agree"})
    cast(
        stack,
        pid2,
        members[2],
        {"question_id": qid2, "response": "concern", "reason": "Cost of postage"},
    )
    result = close_and_count(stack, admin, pid2)["questions"][0]
    assert result["status"] == "consensus" and result["winners"] == ["consensus"]
    assert [r["text"] for r in result["rounds"]] == ["Charter, first draft", amended]
    assert result["rounds"][1]["outcome"] == "consensus"


def test_consensus_falls_back_to_a_vote(stack, people):
    admin, voters = people
    members = voters[3:7]
    poll = launch_for(stack, admin, consensus_poll({"max_rounds": 1, "fallback": "3/4"}), members)
    pid, qid = poll["id"], poll["questions"][0]["id"]
    for token, response in zip(members, ["agree", "agree", "agree", "block"], strict=True):
        answer = {"question_id": qid, "response": response}
        if response == "block":
            answer["reason"] = "Not ready"
        cast(stack, pid, token, answer)
    first = close_and_count(stack, admin, pid)["questions"][0]
    assert first["status"] == "fallback_vote"

    vote = call(
        stack,
        "POST",
        f"/api/v1/polls/{pid}/questions/{qid}/next_round",
        {"closes_at": later(2)},
        token=admin,
    )
    assert vote.status_code == 201, vote.text
    question = vote.json()["questions"][0]
    assert question["method"] == "consensus_vote"
    assert question["options"] == ["yes", "no", "abstain"]
    pid2, qid2 = vote.json()["id"], question["id"]
    for token, choice in zip(members, ["yes", "yes", "yes", "no"], strict=True):
        cast(stack, pid2, token, {"question_id": qid2, "choice": choice})
    result = close_and_count(stack, admin, pid2)["questions"][0]
    assert result["status"] == "carried" and result["winners"] == ["carried"]
    assert result["fallback"]["votes"] == {"yes": 3, "no": 1, "abstain": 0}
