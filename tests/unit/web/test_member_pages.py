"""Email verification, chapter and notification-preference pages against a fake gateway."""

from __future__ import annotations

import pytest

from tests.support.webfakes import (
    CHAPTER_ID,
    CHILD_ID,
    POLL,
    FakeResponse,
    MemberGateway,
    csrf,
    log_in,
    web_client,
)


@pytest.fixture()
def gateway():
    return MemberGateway()


def test_verification_link_says_what_happened(client):
    good = client.get("/verify?token=good")
    assert good.status_code == 200
    assert "ana@example.org is verified" in good.get_data(as_text=True)
    bad = client.get("/verify?token=old")
    assert bad.status_code == 400
    assert "not valid any more" in bad.get_data(as_text=True)
    assert client.get("/verify").status_code == 400


def test_chapter_page_shows_status_sub_chapters_members_and_meetings(client):
    anonymous = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert "Lyon Nord" in anonymous and "At least 5 members" in anonymous
    assert "At least 30% women" in anonymous and "not working yet" in anonymous
    assert "Members of the chapter see its meetings." in anonymous
    log_in(client)
    text = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert "Founding meeting" in text and "Camille" in text and "Ana" in text
    assert f'href="/chapters/{CHILD_ID}"' in text
    assert client.get("/chapters/not-a-uuid").status_code == 404


def test_notification_preferences_round_trip(client, gateway):
    assert client.get("/me/notifications").status_code == 302  # log in first
    log_in(client)
    page = client.get("/me/notifications")
    text = page.get_data(as_text=True)
    assert "New polls and proposals" in text and "Newsletters" in text
    saved = client.post("/me/notifications", data={"csrf_token": csrf(page), "polls.email": "on"})
    assert saved.status_code == 302
    sent = [call for call in gateway.calls if call[0] == "PUT"][-1][2]
    assert sent == {
        "categories": {
            "polls": {"email": True, "sms": False},
            "newsletters": {"email": False, "sms": False},
        }
    }


def test_changing_a_vote_with_the_receipt(gateway):
    voted = {**POLL, "voted": True}

    class Voted(MemberGateway):
        def request(self, method, url, json=None, params=None, headers=None, **kwargs):
            path = "/" + url.split("://", 1)[1].split("/", 1)[1]
            if (method, path) == ("GET", f"/api/v1/polls/{POLL['id']}"):
                return FakeResponse(200, voted)
            if method == "PUT" and path.endswith("/ballots"):  # the receipt in the body
                self.calls.append((method, path, json, headers))
                if json.get("receipt") == "RCPT-1":
                    return FakeResponse(200, {"receipt": "RCPT-1"})
                return FakeResponse(404, {"error": {"code": "receipt_not_found", "message": "no"}})
            return super().request(method, url, json=json, params=params, headers=headers, **kwargs)

    http = Voted()
    client = web_client(http)
    log_in(client)
    page = client.get(f"/polls/{POLL['id']}").get_data(as_text=True)
    assert "Change my vote" in page and 'name="rank-q1-0"' not in page
    page = client.get(f"/polls/{POLL['id']}?change=1")
    assert 'name="rank-q1-0"' in page.get_data(as_text=True)
    token = csrf(page)
    review = client.post(
        f"/polls/{POLL['id']}/review", data={"csrf_token": token, "rank-q1-1": "1"}
    )
    assert 'name="receipt"' in review.get_data(as_text=True)
    wrong = client.post(
        f"/polls/{POLL['id']}/cast", data={"csrf_token": token, "receipt": "RCPT-9"}
    )
    assert wrong.status_code == 302 and "change=1" in wrong.headers["Location"]
    changed = client.post(
        f"/polls/{POLL['id']}/cast", data={"csrf_token": token, "receipt": "RCPT-1"}
    )
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/receipt")
    put = [c for c in http.calls if c[0] == "PUT"][-1]
    assert put[1] == f"/api/v1/polls/{POLL['id']}/ballots"  # never in the URL (issue 13)
    assert put[2] == {"receipt": "RCPT-1", "answers": [{"question_id": "q1", "ranking": ["B"]}]}
    assert "RCPT-1" in client.get(changed.headers["Location"]).get_data(as_text=True)
