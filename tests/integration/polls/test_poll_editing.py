"""A scheduled poll edited (title, text, times, questions) and cancelled with a public reason by
whoever may launch it; refused (409) once it has opened."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.integration.polls.conftest import auth, new_member

ADMIN = str(uuid.uuid4())


def _later(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def _scheduled(client, **overrides):
    body = {
        "title": "Budget 2027",
        "scope": {"type": "organisation"},
        "opens_at": _later(24),
        "closes_at": _later(48),
        "questions": [{"text": "Adopt?", "method": "plurality", "options": ["Yes", "No"]}],
        **overrides,
    }
    created = client.post("/api/v1/polls", headers=auth(ADMIN, admin=True), json=body)
    assert created.status_code == 201, created.json
    return created.json


def test_a_scheduled_poll_is_edited_then_opens_as_edited(runtime, client):
    new_member(runtime)
    poll = _scheduled(client)
    path = f"/api/v1/polls/{poll['id']}"
    questions = [
        {"text": "Which park?", "method": "plurality", "options": ["North", "South", "East"]},
        {"text": "Adopt?", "method": "majority", "options": ["Yes", "No"]},
    ]
    edited = client.patch(
        path,
        headers=auth(ADMIN, admin=True),
        json={"title": "Budget 2027 (amended)", "text": "See annex.", "questions": questions},
    )
    assert edited.status_code == 200, edited.json
    body = edited.json
    assert body["title"] == "Budget 2027 (amended)" and body["text"] == "See annex."
    assert [q["text"] for q in body["questions"]] == ["Which park?", "Adopt?"]
    assert body["status"] == "scheduled" and body["edited_at"]
    assert body["closes_at"] == poll["closes_at"]
    # Moving the opening to now opens it at once, with the edited questions.
    opened = client.patch(path, headers=auth(ADMIN, admin=True), json={"opens_at": None})
    assert opened.status_code == 200 and opened.json["status"] == "open", opened.json
    assert len(opened.json["questions"]) == 2
    refused = client.patch(path, headers=auth(ADMIN, admin=True), json={"title": "Late"})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_scheduled"
    refused = client.post(
        f"{path}/cancel", headers=auth(ADMIN, admin=True), json={"reason": "Too late"}
    )
    assert refused.status_code == 409


def test_a_scheduled_poll_is_cancelled_with_a_public_reason(client):
    poll = _scheduled(client)
    path = f"/api/v1/polls/{poll['id']}"
    member = str(uuid.uuid4())
    assert (
        client.post(f"{path}/cancel", headers=auth(member), json={"reason": "x"}).status_code == 403
    )
    done = client.post(
        f"{path}/cancel", headers=auth(ADMIN, admin=True), json={"reason": "Merged with #12."}
    )
    assert done.status_code == 200, done.json
    assert done.json["status"] == "cancelled" and done.json["cancel_reason"] == "Merged with #12."
    seen = client.get(path).json
    assert seen["status"] == "cancelled" and seen["cancelled_at"]
    listed = client.get("/api/v1/polls?status=cancelled").json["polls"]
    assert any(p["id"] == poll["id"] for p in listed)
    again = client.post(f"{path}/cancel", headers=auth(ADMIN, admin=True), json={"reason": "x"})
    assert again.status_code == 409 and again.json["error"]["code"] == "not_scheduled"
    assert (
        client.patch(path, headers=auth(ADMIN, admin=True), json={"title": "x"}).status_code == 409
    )


def test_bad_edits_name_their_field(client):
    poll = _scheduled(client)
    path = f"/api/v1/polls/{poll['id']}"
    admin = auth(ADMIN, admin=True)

    def refused(body, field, where=path, method="patch"):
        answer = getattr(client, method)(where, headers=admin, json=body)
        assert answer.status_code == 422 and field in str(answer.json["error"]["fields"]), (
            answer.json
        )

    refused({"closes_at": _later(-1)}, "closes_at")
    refused({"opens_at": _later(100)}, "closes_at")  # would open after it closes
    refused({"title": ""}, "title")
    refused({"title": "a\nb"}, "title")
    refused({"questions": []}, "questions")
    refused({"questions": [{"text": "Q", "method": "nope", "options": ["a", "b"]}]}, "method")
    refused({"scope": {"type": "organisation"}}, "scope")
    refused({}, "reason", f"{path}/cancel", "post")
    refused({"reason": ""}, "reason", f"{path}/cancel", "post")
    missing = f"/api/v1/polls/{uuid.uuid4()}"
    assert client.patch(missing, headers=admin, json={"title": "x"}).status_code == 404
    assert client.post(f"{missing}/cancel", headers=admin, json={"reason": "x"}).status_code == 404
    assert client.get(path).json["title"] == "Budget 2027"  # nothing changed


def test_cancelling_a_proposals_poll_gives_the_proposal_back_as_a_draft(runtime, client):
    author = new_member(runtime)
    draft = {
        "title": "Meet monthly",
        "scope": {"type": "organisation"},
        "questions": [{"text": "Monthly?", "method": "majority", "options": ["yes", "no"]}],
    }
    created = client.post("/api/v1/proposals", json=draft, headers=auth(author))
    assert created.status_code == 201, created.json
    pid = created.json["id"]
    admin = auth(ADMIN, admin=True)
    when = {"opens_at": _later(24), "closes_at": _later(48)}
    poll = client.post(f"/api/v1/proposals/{pid}/open", json=when, headers=admin).json
    assert poll["status"] == "scheduled" and poll["proposal_id"] == pid
    assert client.get(f"/api/v1/proposals/{pid}").json["status"] == "opened"

    cancelled = client.post(
        f"/api/v1/polls/{poll['id']}/cancel", headers=admin, json={"reason": "Wrong dates."}
    )
    assert cancelled.status_code == 200, cancelled.json
    proposal = client.get(f"/api/v1/proposals/{pid}", headers=admin).json
    assert proposal["status"] == "draft" and proposal["may_open"] is True
    assert proposal["poll_id"] == poll["id"]  # the cancelled poll, still linked
    again = client.post(f"/api/v1/proposals/{pid}/open", json=when, headers=admin)
    assert again.status_code == 201, again.json
    assert client.get(f"/api/v1/proposals/{pid}").json["poll_id"] == again.json["id"]


def test_a_proposals_poll_opens_within_the_cap_and_is_not_moved_past_it(runtime, client):
    """Whoever opens a members' proposal cannot bury it: its poll opens within
    POLLS_PROPOSAL_OPEN_MAX_DAYS (30) of being opened from it, and an edit cannot move it past
    that either (docs/governance.md)."""
    author = new_member(runtime)
    draft = {
        "title": "Meet weekly",
        "scope": {"type": "organisation"},
        "questions": [{"text": "Weekly?", "method": "majority", "options": ["yes", "no"]}],
    }
    pid = client.post("/api/v1/proposals", json=draft, headers=auth(author)).json["id"]
    admin = auth(ADMIN, admin=True)
    buried = {"opens_at": _later(24 * 365), "closes_at": _later(24 * 372)}
    refused = client.post(f"/api/v1/proposals/{pid}/open", json=buried, headers=admin)
    assert refused.status_code == 422, refused.json
    assert list(refused.json["error"]["fields"]) == ["opens_at"]
    assert "POLLS_PROPOSAL_OPEN_MAX_DAYS" in refused.json["error"]["message"]
    assert client.get(f"/api/v1/proposals/{pid}").json["status"] == "draft"

    when = {"opens_at": _later(24 * 29), "closes_at": _later(24 * 40)}
    poll = client.post(f"/api/v1/proposals/{pid}/open", json=when, headers=admin)
    assert poll.status_code == 201, poll.json
    path = f"/api/v1/polls/{poll.json['id']}"
    moved = client.patch(path, headers=admin, json={"opens_at": _later(24 * 31)})
    assert moved.status_code == 422 and "opens_at" in moved.json["error"]["fields"], moved.json
    assert client.get(path, headers=admin).json["opens_at"] == poll.json["opens_at"]
    # an ordinary poll is scheduled as far ahead as its launcher wants
    far = _scheduled(client, opens_at=_later(24 * 365), closes_at=_later(24 * 372))
    assert far["status"] == "scheduled"
