"""Email verification, chapter and notification-preference pages against a fake gateway."""

from __future__ import annotations

import pytest

from tests.support.webfakes import POLL, FakeResponse, RoutedGateway, csrf, web_client

CHAPTER_ID = "22222222-2222-4222-8222-222222222222"
CHILD_ID = "33333333-3333-4333-8333-333333333333"
CHAPTER = {
    "id": CHAPTER_ID,
    "name": "Lyon",
    "level": "local",
    "country": "FR",
    "member_count": 6,
    "working": False,
    "ancestors": [{"id": CHILD_ID, "name": "France", "level": "national"}],
    "children": [{"id": CHILD_ID, "name": "Lyon Nord", "member_count": 2, "working": True}],
    "coordinators": [{"display_name": "Camille"}],
    "members": [{"display_name": "Ana"}, {"display_name": "Bo"}],
    "status": {
        "criteria": {"min_members": True, "min_women_share": False, "meeting_within_days": True},
        "thresholds": {"min_members": 5, "min_women_share": 0.3, "meeting_within_days": 90},
        "last_meeting_on": "2026-11-01",
    },
}
PREFS = {
    "email_verified": True,
    "sms_available": False,
    "language": "en",
    "categories": {
        "polls": {"email": True, "sms": False},
        "newsletters": {"email": True, "sms": False},
    },
}


class Gateway(RoutedGateway):
    def answer(self, method, path, json=None, params=None, headers=None):
        return {
            ("POST", "/api/v1/auth/verify"): (
                (200, {"email": "ana@example.org", "verified": True})
                if (json or {}).get("token") == "good"
                else (
                    400,
                    {
                        "error": {
                            "code": "invalid_token",
                            "message": "This link is not valid any more.",
                        }
                    },
                )
            ),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (200, CHAPTER),
            # The page lists its sub-chapters a page at a time, with the list by parent.
            ("GET", "/api/v1/chapters"): (200, CHAPTER["children"]),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/members"): (200, CHAPTER["members"]),
            ("GET", "/api/v1/mandates"): (200, []),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/meetings"): (
                200,
                [{"held_on": "2026-11-01", "note": "Founding meeting"}],
            ),
            ("GET", "/api/v1/notifications/preferences"): (200, PREFS),
            ("PUT", "/api/v1/notifications/preferences"): (200, PREFS),
        }.get((method, path))


@pytest.fixture()
def gateway():
    return Gateway()


def log_in(client):
    token = csrf(client.get("/login"))
    response = client.post(
        "/login", data={"csrf_token": token, "email": "a@b.org", "password": "pw"}
    )
    assert response.status_code == 302


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

    class Voted(Gateway):
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
