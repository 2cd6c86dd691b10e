"""The web app's pages against a fake gateway: rendering, CSRF, session cookie, ballot flow."""

from __future__ import annotations

import pytest

from gateway.web.context import safe_next
from gateway.wsgi import is_gateway_path
from tests.support.webfakes import POLL, FakeGateway, csrf


@pytest.fixture()
def gateway():
    return FakeGateway()


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


def test_login_keeps_tokens_in_an_httponly_samesite_cookie_and_the_ballot_flow(client, gateway):
    token = csrf(client.get("/login"))
    answer = client.post(
        "/login",
        data={
            "email": "a@b.org",
            "password": "pw",
            "csrf_token": token,
            "next": f"/polls/{POLL['id']}",
        },
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(POLL["id"])
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    ballot_page = client.get(f"/polls/{POLL['id']}")
    text = ballot_page.get_data(as_text=True)
    assert 'name="rank-q1-0"' in text and "Move up" in text
    token = csrf(ballot_page)
    bad = client.post(
        f"/polls/{POLL['id']}/review",
        data={"csrf_token": token, "rank-q1-0": "1", "rank-q1-1": "1"},
    )
    assert bad.status_code == 422 and "error-summary" in bad.get_data(as_text=True)
    review = client.post(
        f"/polls/{POLL['id']}/review",
        data={"csrf_token": token, "rank-q1-2": "1", "rank-q1-0": "2"},
    )
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
