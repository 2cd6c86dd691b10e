"""Issue 7 end to end through the gateway: the recall saga across members and polls over the bus —
election → mandate → petition → signatures → threshold → recall poll → ballots → revoked."""

from __future__ import annotations

import uuid

from tests.support.e2e import ADMIN, approved_voters, call, cast, later, login
from tests.support.wait import wait_for


def me(stack, token) -> str:
    response = call(stack, "GET", "/api/v1/members/me", token=token)
    assert response.status_code == 200, response.text
    return response.json()["id"]


def chapter(stack, token, name, level, parent_id=None) -> str:
    body = {"name": f"{name} {uuid.uuid4().hex[:6]}", "level": level, "country": "GB"}
    if parent_id:
        body["parent_id"] = parent_id
    created = call(stack, "POST", "/api/v1/chapters", body, token=token)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_recall_saga_across_services(stack):
    admin = login(stack, *ADMIN)
    tokens = approved_voters(stack, admin, 5, "chapter")
    ada, bo, cy, di, ed = tokens
    ids = {token: me(stack, token) for token in tokens}

    # Admin founds a region; ada founds a local chapter under it and the others join.
    region = chapter(stack, admin, "Region", "regional")
    local = chapter(stack, ada, "Local", "local", region)
    for token in tokens[1:]:
        joined = call(stack, "POST", f"/api/v1/chapters/{local}/join", token=token)
        assert joined.status_code == 200, joined.text
    settings = call(stack, "GET", f"/api/v1/chapters/{local}/recall-settings").json()
    assert settings["threshold_minimum"] == 3 and settings["threshold_percent"] == 20

    # Polls learns of the chapter and its members from events: probe with a chapter poll until
    # all five are eligible, so that the election's electorate (fixed at opening) has them.
    probe = {
        "title": "Roll probe",
        "scope": {"type": "chapter", "id": local},
        "closes_at": later(),
        "questions": [
            {
                "text": "Ready?",
                "method": "majority",
                "threshold": "simple",
                "options": ["yes", "no"],
            }
        ],
    }

    def all_eligible():
        created = call(stack, "POST", "/api/v1/polls", probe, token=admin)
        if created.status_code == 422 and "Unknown chapter" in created.text:
            return False  # the chapter itself has not reached polls yet
        assert created.status_code == 201, created.text
        poll_id = created.json()["id"]
        ready = all(
            call(stack, "GET", f"/api/v1/polls/{poll_id}", token=t).json().get("eligible")
            for t in tokens
        )
        call(stack, "POST", f"/api/v1/polls/{poll_id}/close", token=admin)
        return ready

    wait_for(all_eligible, 45, "the chapter's members in the polls electorate", interval=0.3)

    # A contested election (2 candidates, 1 seat), voted and closed → members records a mandate
    # from polls.poll.closed.
    election = call(
        stack,
        "POST",
        "/api/v1/polls/delegate-elections",
        {
            "chapter_id": local,
            "title": "Delegate election",
            "seats": 1,
            "candidates": [{"member_id": ids[ada]}, {"member_id": ids[bo]}],
            "closes_at": later(),
        },
        token=admin,
    )
    assert election.status_code == 201, election.text
    election = election.json()
    assert election["status"] == "open"
    qid = election["questions"][0]["id"]
    ada_name, bo_name = election["questions"][0]["options"]  # the members' own names
    for token in tokens:
        ranking = [bo_name, ada_name] if token == bo else [ada_name, bo_name]
        cast(stack, election["id"], token, {"question_id": qid, "ranking": ranking})
    closed = call(stack, "POST", f"/api/v1/polls/{election['id']}/close", token=admin)
    assert closed.status_code == 200, closed.text

    def delegate_mandates():
        listed = call(stack, "GET", f"/api/v1/mandates?role=delegate&chapter_id={local}")
        assert listed.status_code == 200, listed.text
        return listed.json()

    [mandate] = wait_for(delegate_mandates, 45, "the delegate mandate", interval=0.3)
    assert mandate["member_id"] == ids[ada] and mandate["active"]
    record = call(stack, "GET", f"/api/v1/members/{ids[ada]}/record").json()
    [held] = [m for m in record["mandates"] if m["role"] == "delegate"]
    assert held["elected_by_poll"] == election["id"] and held["members_represented"] == 5

    # Petition (its opener signs it): threshold max(20% of 5, minimum 3) = 3.
    opened = call(
        stack,
        "POST",
        "/api/v1/recalls",
        {"mandate_id": mandate["id"], "reason": "Ignores our mandate"},
        token=bo,
    )
    assert opened.status_code == 201, opened.text
    petition = opened.json()
    assert petition["threshold"] == 3 and petition["signatures"] == 1
    pid = petition["id"]
    signed = call(stack, "POST", f"/api/v1/recalls/{pid}/signature", token=cy)
    assert signed.status_code == 201 and signed.json()["signatures"] == 2, signed.text
    twice = call(stack, "POST", f"/api/v1/recalls/{pid}/signature", token=cy)
    assert twice.status_code == 409, twice.text
    signed = call(stack, "POST", f"/api/v1/recalls/{pid}/signature", token=di)
    assert signed.status_code == 201, signed.text
    assert signed.json()["signatures"] == 3
    assert signed.json()["status"] in ("threshold_reached", "voting")

    # Polls consumed members.recall.threshold_reached and opened the recall poll by itself.
    def voting():
        current = call(stack, "GET", f"/api/v1/recalls/{pid}").json()
        return current if current["status"] == "voting" and current["poll_id"] else None

    petition = wait_for(voting, 45, "the recall poll", interval=0.3)
    recall_poll = call(stack, "GET", f"/api/v1/polls/{petition['poll_id']}", token=bo).json()
    assert recall_poll["status"] == "open" and recall_poll["eligible"]
    rqid = recall_poll["questions"][0]["id"]
    for token in (bo, cy, di):
        cast(stack, recall_poll["id"], token, {"question_id": rqid, "choice": "recall"})
    cast(stack, recall_poll["id"], ada, {"question_id": rqid, "choice": "keep"})
    closed = call(stack, "POST", f"/api/v1/polls/{recall_poll['id']}/close", token=admin)
    assert closed.status_code == 200, closed.text

    # Members consumed polls.poll.closed for the recall poll: the mandate is revoked.
    def decided():
        current = call(stack, "GET", f"/api/v1/recalls/{pid}").json()
        return current if current["status"] not in ("voting", "threshold_reached") else None

    petition = wait_for(decided, 45, "the recall outcome", interval=0.3)
    assert petition["status"] == "revoked", petition
    assert (petition["votes_for"], petition["votes_against"]) == (3, 1)
    # The recalled seat is not the others' to share: a by-election for it opens at once.
    assert mandate["id"] not in {m["id"] for m in delegate_mandates()}
    everyone = call(stack, "GET", f"/api/v1/mandates?role=delegate&chapter_id={local}&all=true")
    [ended] = [m for m in everyone.json() if m["id"] == mandate["id"]]
    assert not ended["active"] and ended["revoked_at"]
    again = call(
        stack,
        "POST",
        "/api/v1/recalls",
        {"mandate_id": mandate["id"], "reason": "Once more"},
        token=ed,
    )
    assert again.status_code == 409, again.text
