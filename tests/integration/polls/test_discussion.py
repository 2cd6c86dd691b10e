"""Discussion (issue 15): pages in newest/best order with bounded replies, mentions of members
by name, edits within 15 minutes, reports that admins list and dismiss, and `may_open`."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.integration.polls.conftest import auth, feed, new_member, sql

ADMIN = str(uuid.uuid4())
DRAFT = {
    "title": "Meet monthly",
    "scope": {"type": "organisation"},
    "questions": [{"text": "Monthly?", "method": "majority", "options": ["yes", "no"]}],
}


def named(runtime, name: str) -> str:
    member = new_member(runtime)
    feed(runtime, "members.member.contact_changed", {"member_id": member, "display_name": name})
    return member


def a_proposal(client, author) -> str:
    created = client.post("/api/v1/proposals", json=DRAFT, headers=auth(author))
    assert created.status_code == 201, created.json
    return created.json["id"]


def test_pages_sorted_newest_and_best_with_bounded_replies(runtime, client):
    author = named(runtime, "Ana García")
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    ids = []
    for n in range(25):
        posted = client.post(base, json={"body": f"comment {n}"}, headers=auth(author))
        ids.append(posted.json["id"])
    reply = client.post(base, json={"body": "a reply", "parent_id": ids[3]}, headers=auth(author))
    client.post(base, json={"body": "deeper", "parent_id": reply.json["id"]}, headers=auth(author))
    for _ in range(2):
        client.put(
            f"{base}/{ids[3]}/reaction",
            json={"reaction": "like"},
            headers=auth(new_member(runtime)),
        )

    newest = client.get(f"{base}?sort=newest&limit=10").json
    assert [c["body"] for c in newest["comments"][:2]] == ["comment 24", "comment 23"]
    assert len(newest["comments"]) == 10
    assert newest["threads"] == 25 and newest["total"] == 27
    assert newest["comments"][0]["author_name"] == "Ana García"

    best = client.get(f"{base}?sort=best&limit=1").json["comments"][0]
    assert best["id"] == ids[3] and best["likes"] == 2 and best["reply_count"] == 1
    assert best["replies"][0]["body"] == "a reply"
    assert best["replies"][0]["replies"][0]["body"] == "deeper"

    second_page = client.get(f"{base}?sort=oldest&limit=10&offset=20").json["comments"]
    assert [c["body"] for c in second_page] == [f"comment {n}" for n in range(20, 25)]
    too_many = client.get(f"{base}?limit=101")
    assert too_many.status_code == 422 and "limit" in str(too_many.json)
    bad_sort = client.get(f"{base}?sort=loudest")
    assert bad_sort.status_code == 422 and "sort" in str(bad_sort.json)


def test_the_viewer_sees_their_reaction(runtime, client):
    author = new_member(runtime)
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    comment = client.post(base, json={"body": "hello"}, headers=auth(author)).json
    fan = new_member(runtime)
    client.put(f"{base}/{comment['id']}/reaction", json={"reaction": "dislike"}, headers=auth(fan))
    seen = client.get(base, headers=auth(fan)).json["comments"][0]
    assert seen["my_reaction"] == "dislike" and seen["dislikes"] == 1
    assert client.get(base).json["comments"][0]["my_reaction"] is None


def test_mentions_name_members_by_their_name_without_spaces(runtime, client):
    author = new_member(runtime)
    ana = named(runtime, "Zoë Ünal-Smith")
    named(runtime, "Twin Name")
    named(runtime, "Twin  Name")  # two members answer to @TwinName: no link
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    body = "Thanks @ZoëÜnal-Smith and @zoë.ünal, and @TwinName, and mail@example.org."
    posted = client.post(base, json={"body": body}, headers=auth(author)).json
    assert posted["mentions"] == []  # "-" ends a handle: @ZoëÜnal is not her name
    posted = client.post(
        base, json={"body": "Ask @Zoë_Ünal-Smith. Or @TwinName."}, headers=auth(author)
    ).json
    assert posted["mentions"] == []
    feed(runtime, "members.member.contact_changed", {"member_id": ana, "display_name": "Zoë Ünal"})
    posted = client.post(
        base, json={"body": "Ask @ZoëÜnal. Or @TwinName, or @nobody."}, headers=auth(author)
    ).json
    assert posted["mentions"] == [{"member_id": ana, "handle": "ZoëÜnal"}]


def test_edit_within_the_window_only_by_its_author(runtime, client):
    author = new_member(runtime)
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    comment = client.post(base, json={"body": "tpyo"}, headers=auth(author)).json
    assert comment["editable_until"] > comment["created_at"]
    other = client.patch(
        f"{base}/{comment['id']}", json={"body": "x"}, headers=auth(new_member(runtime))
    )
    assert other.status_code == 403
    empty = client.patch(f"{base}/{comment['id']}", json={"body": ""}, headers=auth(author))
    assert empty.status_code == 422 and "body" in str(empty.json)
    edited = client.patch(f"{base}/{comment['id']}", json={"body": "typo"}, headers=auth(author))
    assert edited.status_code == 200, edited.json
    assert edited.json["body"] == "typo" and edited.json["edited_at"]
    sql(
        runtime,
        "UPDATE comments SET created_at = %s WHERE id = %s",
        (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16), comment["id"]),
    )
    late = client.patch(f"{base}/{comment['id']}", json={"body": "later"}, headers=auth(author))
    assert late.status_code == 409 and late.json["error"]["code"] == "edit_window_closed"


def test_reports_are_listed_for_admins_and_closed_by_hiding_or_dismissing(runtime, client):
    author = new_member(runtime)
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    rude = client.post(base, json={"body": "rude"}, headers=auth(author)).json
    fine = client.post(base, json={"body": "fine"}, headers=auth(author)).json
    for reporter in (new_member(runtime), new_member(runtime)):
        done = client.post(
            f"{base}/{rude['id']}/report", json={"reason": "insulting"}, headers=auth(reporter)
        )
        assert done.status_code == 200 and done.json["reported"] is True
    client.post(
        f"{base}/{fine['id']}/report", json={"reason": "meh"}, headers=auth(new_member(runtime))
    )
    no_reason = client.post(
        f"{base}/{fine['id']}/report", json={"reason": ""}, headers=auth(author)
    )
    assert no_reason.status_code == 422 and "reason" in str(no_reason.json)
    pending = new_member(runtime, status="pending")
    assert (
        client.post(
            f"{base}/{fine['id']}/report", json={"reason": "x"}, headers=auth(pending, "pending")
        ).status_code
        == 403
    )

    assert client.get("/api/v1/comment-reports", headers=auth(author)).status_code == 403
    listed = client.get("/api/v1/comment-reports?limit=200", headers=auth(ADMIN, admin=True))
    assert listed.status_code == 200
    mine = [r for r in listed.json["reports"] if r["comment_id"] in (rude["id"], fine["id"])]
    assert [(r["comment_id"], r["reports"]) for r in mine] == [(rude["id"], 2), (fine["id"], 1)]
    assert mine[0]["subject"] == {"type": "proposal", "id": pid}
    assert mine[0]["reasons"] == ["insulting", "insulting"]

    client.post(
        f"{base}/{rude['id']}/hide", json={"reason": "Insults"}, headers=auth(ADMIN, admin=True)
    )
    dismissed = client.post(
        f"/api/v1/comment-reports/{fine['id']}/dismiss", headers=auth(ADMIN, admin=True)
    )
    assert dismissed.status_code == 200 and dismissed.json["dismissed"] == 1
    left = client.get("/api/v1/comment-reports?limit=200", headers=auth(ADMIN, admin=True))
    assert not {rude["id"], fine["id"]} & {r["comment_id"] for r in left.json["reports"]}
    assert client.get(base, headers=auth(ADMIN, admin=True)).json["may_moderate"] is True
    assert client.get(base, headers=auth(author)).json["may_moderate"] is False
    assert client.get(base).json["may_moderate"] is False
    hidden = client.get(base).json["comments"][0]
    assert hidden["hidden"] and hidden["body"] is None and hidden["hidden_reason"] == "Insults"


def test_may_open_says_who_may_open_a_draft(runtime, client):
    author = new_member(runtime)
    pid = a_proposal(client, author)
    assert client.get(f"/api/v1/proposals/{pid}", headers=auth(author)).json["may_open"] is False
    assert client.get(f"/api/v1/proposals/{pid}").json["may_open"] is False
    as_admin = client.get(f"/api/v1/proposals/{pid}", headers=auth(ADMIN, admin=True)).json
    assert as_admin["may_open"] is True


def test_one_comment_by_its_id(runtime, client):
    author = new_member(runtime)
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    comment = client.post(base, json={"body": "one"}, headers=auth(author)).json
    assert client.get(f"{base}/{comment['id']}").json["body"] == "one"
    assert client.get(f"{base}/{uuid.uuid4()}").status_code == 404


def test_a_mention_tells_notify_once_per_newly_named_member(runtime, client):
    author = named(runtime, "Eve Author")
    fay = named(runtime, "Fay Quill")
    pid = a_proposal(client, author)
    base = f"/api/v1/proposals/{pid}/comments"
    comment = client.post(
        base, json={"body": "Hi @FayQuill and @EveAuthor"}, headers=auth(author)
    ).json
    client.patch(f"{base}/{comment['id']}", json={"body": "Hi @FayQuill!"}, headers=auth(author))
    events = sql(
        runtime,
        "SELECT envelope FROM outbox WHERE routing_key ="
        " 'polls.comment.mentioned' AND envelope->'data'->>'comment_id' = %s",
        (comment["id"],),
    )
    assert [e["envelope"]["data"]["member_ids"] for e in events] == [[fay]]
    data = events[0]["envelope"]["data"]
    assert (data["title"], data["author_name"], data["subject_type"]) == (
        "Meet monthly",
        "Eve Author",
        "proposal",
    )
