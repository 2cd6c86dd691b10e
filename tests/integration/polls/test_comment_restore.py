"""A hidden comment restored by a moderator with a public reason; admins list hidden comments
to find it."""

from __future__ import annotations

import uuid

from tests.integration.polls.conftest import auth, in_an_hour, new_member

ADMIN = str(uuid.uuid4())


def _poll_with_a_hidden_comment(client, runtime):
    author = new_member(runtime)
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Restore talk",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "approval", "options": ["a", "b"]}],
        },
    ).json
    base = f"/api/v1/polls/{poll['id']}/comments"
    comment = client.post(base, json={"body": "Sharp but fair"}, headers=auth(author)).json
    hidden = client.post(
        f"{base}/{comment['id']}/hide", json={"reason": "Rude"}, headers=auth(ADMIN, admin=True)
    )
    assert hidden.status_code == 200, hidden.json
    return base, comment, author


def test_a_moderator_restores_a_hidden_comment_with_a_public_reason(runtime, client):
    base, comment, author = _poll_with_a_hidden_comment(client, runtime)
    listed = client.get("/api/v1/comment-reports/hidden", headers=auth(ADMIN, admin=True)).json
    found = next(h for h in listed["hidden"] if h["comment_id"] == comment["id"])
    assert found["hidden_reason"] == "Rude" and found["body"] == "Sharp but fair"
    assert found["subject"]["type"] == "poll" and found["hidden_at"]
    url = f"{base}/{comment['id']}/restore"
    assert client.post(url, json={"reason": "x"}, headers=auth(author)).status_code == 403
    restored = client.post(
        url, json={"reason": "On review it is fair"}, headers=auth(ADMIN, admin=True)
    )
    assert restored.status_code == 200, restored.json
    assert not restored.json["hidden"] and restored.json["body"] == "Sharp but fair"
    assert restored.json["restored_reason"] == "On review it is fair"
    thread = client.get(base).json["comments"]
    assert thread[0]["body"] == "Sharp but fair" and thread[0]["restored_reason"]
    listed = client.get("/api/v1/comment-reports/hidden", headers=auth(ADMIN, admin=True)).json
    assert comment["id"] not in [h["comment_id"] for h in listed["hidden"]]
    again = client.post(url, json={"reason": "x"}, headers=auth(ADMIN, admin=True))
    assert again.status_code == 409 and again.json["error"]["code"] == "comment_not_hidden"


def test_restoring_refuses_bad_input_naming_the_field(runtime, client):
    base, comment, author = _poll_with_a_hidden_comment(client, runtime)
    url = f"{base}/{comment['id']}/restore"
    for body in ({}, {"reason": ""}, {"reason": "a\x07b"}):
        refused = client.post(url, json=body, headers=auth(ADMIN, admin=True))
        assert refused.status_code == 422 and "reason" in refused.json["error"]["fields"], (
            refused.json
        )
    missing = f"{base}/{uuid.uuid4()}/restore"
    assert (
        client.post(missing, json={"reason": "x"}, headers=auth(ADMIN, admin=True)).status_code
        == 404
    )
    assert client.get("/api/v1/comment-reports/hidden", headers=auth(author)).status_code == 403
    bad_page = client.get("/api/v1/comment-reports/hidden?limit=0", headers=auth(ADMIN, admin=True))
    assert bad_page.status_code == 422 and "limit" in bad_page.json["error"]["fields"]
