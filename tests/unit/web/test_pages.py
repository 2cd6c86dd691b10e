"""The web app's pages against a fake gateway: rendering, CSRF, session cookie, ballot flow."""

from __future__ import annotations

import json
import re

import pytest

from gateway.web import WebSettings, create_web_app
from gateway.web.context import safe_next
from gateway.wsgi import is_gateway_path

POLL = {
    "id": "11111111-1111-1111-1111-111111111111", "title": "Picnic", "status": "open",
    "closes_at": "2030-01-01T00:00:00+00:00", "electorate": 3, "voters": 0,
    "eligible": True, "voted": False,
    "questions": [{"id": "q1", "method": "irv", "options": ["A", "B", "C"], "text": "Rank"}],
}


class FakeResponse:
    def __init__(self, status: int, body=None):
        self.status_code = status
        self.content = b"" if body is None else json.dumps(body).encode()
        self.headers = {}

    def json(self):
        return json.loads(self.content)


class FakeGateway:
    """Answers the API paths the pages call; records what was sent."""

    def __init__(self):
        self.calls = []

    def request(self, method, url, json=None, params=None, headers=None, **_):
        path = url.split("://", 1)[1].split("/", 1)[1]
        path = "/" + path
        self.calls.append((method, path, json, headers))
        routes = {
            ("GET", "/api/v1/polls"): (200, {"polls": [POLL]}),
            ("GET", "/api/v1/chapters"): (200, [{"name": "Lyon", "level": "local",
                                                 "member_count": 4}]),
            ("GET", "/api/v1/targets"): (200, [{"name": "Members", "target": 100,
                                                "current": 25, "met": False}]),
            ("POST", "/api/v1/auth/login"): (200, {"access_token": "tok", "refresh_token": "r"}),
            ("GET", "/api/v1/members/me"): (200, {"id": "m", "display_name": "Mo",
                                                  "status": "active", "admin": False}),
            ("GET", f"/api/v1/polls/{POLL['id']}"): (200, POLL),
            ("POST", f"/api/v1/polls/{POLL['id']}/ballots"): (201, {"receipt": "RCPT-123456"}),
        }
        status, body = routes.get((method, path), (404, {"error": {"code": "not_found",
                                                                   "message": "nope"}}))
        if path == "/api/v1/members/me" and not (headers or {}).get("Authorization"):
            status, body = 401, {"error": {"code": "unauthorized", "message": "no"}}
        return FakeResponse(status, body)


@pytest.fixture()
def gateway():
    return FakeGateway()


@pytest.fixture()
def client(gateway):
    app = create_web_app(WebSettings(secret_key="test", gateway_url="http://gw"), http=gateway)
    return app.test_client()


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_home_shows_polls_chapters_and_targets_with_security_headers(client):
    page = client.get("/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Picnic" in text and "Lyon" in text and 'value="25"' in text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in text and "style=" not in text


def test_forms_without_the_csrf_token_are_refused(client):
    client.get("/login")
    assert client.post("/login", data={"email": "a@b.org", "password": "x"}).status_code == 400


def test_login_keeps_tokens_in_an_httponly_samesite_cookie_and_the_ballot_flow(client,
                                                                               gateway):
    token = csrf(client.get("/login"))
    answer = client.post("/login", data={"email": "a@b.org", "password": "pw",
                                         "csrf_token": token,
                                         "next": f"/polls/{POLL['id']}"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(POLL["id"])
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    ballot_page = client.get(f"/polls/{POLL['id']}")
    text = ballot_page.get_data(as_text=True)
    assert 'name="rank-q1-0"' in text and "Move up" in text
    token = csrf(ballot_page)
    bad = client.post(f"/polls/{POLL['id']}/review",
                      data={"csrf_token": token, "rank-q1-0": "1", "rank-q1-1": "1"})
    assert bad.status_code == 422 and "error-summary" in bad.get_data(as_text=True)
    review = client.post(f"/polls/{POLL['id']}/review",
                         data={"csrf_token": token, "rank-q1-2": "1", "rank-q1-0": "2"})
    assert review.status_code == 200
    assert "1 of 3 options unranked" in review.get_data(as_text=True)
    cast = client.post(f"/polls/{POLL['id']}/cast", data={"csrf_token": token})
    assert cast.status_code == 302
    sent = [c for c in gateway.calls if c[1].endswith("/ballots")][0]
    assert sent[2] == {"answers": [{"question_id": "q1", "ranking": ["C", "A"]}]}
    assert sent[3]["Authorization"] == "Bearer tok" and sent[3]["Idempotency-Key"]
    receipt = client.get(cast.headers["Location"]).get_data(as_text=True)
    assert "RCPT-123456" in receipt
    assert "RCPT-123456" not in client.get(cast.headers["Location"]).get_data(as_text=True)


def test_admin_pages_need_an_admin(client):
    assert client.get("/admin/polls/new").status_code == 302  # to the login page


def test_only_local_redirects_and_the_gateway_keeps_its_paths():
    assert safe_next("/polls/1") == "/polls/1"
    assert safe_next("//evil.example") is None and safe_next("https://x") is None
    assert is_gateway_path("/api/v1/polls") and is_gateway_path("/healthz")
    assert not is_gateway_path("/") and not is_gateway_path("/apis")
