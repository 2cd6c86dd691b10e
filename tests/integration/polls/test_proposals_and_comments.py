"""Members draft proposals for coordinators to open; discussions with replies, reactions and
moderation that hides with a public reason."""

from __future__ import annotations

import uuid

from tests.integration.polls.conftest import auth, feed, in_an_hour, new_member

ADMIN = str(uuid.uuid4())


def test_a_member_drafts_and_a_coordinator_opens(runtime, client):
    chapter = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": chapter, "parent_id": None, "name": "Oslo", "level": "local"},
    )
    author = new_member(runtime, chapters=[(chapter, [])])
    coordinator = new_member(runtime, chapters=[(chapter, [])])
    feed(
        runtime,
        "members.mandate.granted",
        {
            "mandate_id": str(uuid.uuid4()),
            "member_id": coordinator,
            "role": "coordinator",
            "chapter_id": chapter,
        },
    )
    draft = {
        "title": "Meet monthly",
        "scope": {"type": "chapter", "id": chapter},
        "questions": [{"text": "Monthly?", "method": "majority", "options": ["yes", "no"]}],
    }
    pending = new_member(runtime, status="pending")
    assert (
        client.post("/api/v1/proposals", json=draft, headers=auth(pending, "pending")).status_code
        == 403
    )
    created = client.post("/api/v1/proposals", json=draft, headers=auth(author))
    assert created.status_code == 201 and created.json["status"] == "draft"
    pid = created.json["id"]
    edited = client.patch(
        f"/api/v1/proposals/{pid}", json={"title": "Meet every month"}, headers=auth(author)
    )
    assert edited.status_code == 200 and edited.json["title"] == "Meet every month"
    assert (
        client.post(
            f"/api/v1/proposals/{pid}/open", json={"closes_at": in_an_hour()}, headers=auth(author)
        ).status_code
        == 403
    )
    opened = client.post(
        f"/api/v1/proposals/{pid}/open", json={"closes_at": in_an_hour()}, headers=auth(coordinator)
    )
    assert opened.status_code == 201, opened.json
    assert opened.json["status"] == "open" and opened.json["electorate"] == 2
    assert opened.json["proposal_id"] == pid
    assert client.get(f"/api/v1/proposals/{pid}").json["poll_id"] == opened.json["id"]
    listed = client.get("/api/v1/polls", query_string={"scope": "chapter", "scope_id": chapter})
    assert [p["id"] for p in listed.json["polls"]] == [opened.json["id"]]
    assert (
        client.post(
            f"/api/v1/proposals/{pid}/open",
            json={"closes_at": in_an_hour()},
            headers=auth(coordinator),
        ).status_code
        == 409
    )


def test_discussion_with_replies_likes_and_moderation(runtime, client):
    alice, bob, carol = (new_member(runtime) for _ in range(3))
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Talk",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "approval", "options": ["a", "b"]}],
        },
    ).json
    base = f"/api/v1/polls/{poll['id']}/comments"
    first = client.post(base, json={"body": "Likes would help"}, headers=auth(alice)).json
    reply = client.post(base, json={"body": "Agreed", "parent_id": first["id"]}, headers=auth(bob))
    assert reply.status_code == 201
    rude = client.post(base, json={"body": "rude words"}, headers=auth(carol)).json
    for member, reaction in ((bob, "like"), (carol, "like"), (carol, "dislike")):
        assert (
            client.put(
                f"{base}/{first['id']}/reaction", json={"reaction": reaction}, headers=auth(member)
            ).status_code
            == 200
        )
    assert (
        client.post(
            f"{base}/{rude['id']}/hide", json={"reason": "Personal attack"}, headers=auth(alice)
        ).status_code
        == 403
    )
    hidden = client.post(
        f"{base}/{rude['id']}/hide",
        json={"reason": "Personal attack"},
        headers=auth(ADMIN, admin=True),
    )
    assert hidden.status_code == 200
    thread = client.get(base).json["comments"]
    assert [c["id"] for c in thread] == [first["id"], rude["id"]]
    assert thread[0]["likes"] == 1 and thread[0]["dislikes"] == 1
    assert thread[0]["replies"][0]["body"] == "Agreed"
    assert thread[1]["hidden"] and thread[1]["body"] is None
    assert thread[1]["hidden_reason"] == "Personal attack"
