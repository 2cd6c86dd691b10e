"""Issue 13's web holes, tried as an outsider would: a forged Host header, open redirects
through `next=`, a session cookie read or replayed after logout."""

from __future__ import annotations

import base64
import zlib

import pytest

from gateway.web import WebSettings, create_web_app, load_web_settings
from tests.support.webfakes import ACCESS, POLL, REFRESH, TokenGateway, csrf, login


@pytest.fixture()
def gateway():
    return TokenGateway()


@pytest.fixture()
def client(gateway):
    settings = WebSettings(secret_key="test", gateway_url="http://gw")
    return create_web_app(settings, http=gateway).test_client()


# --- where the API is called: configuration, never the Host header --------------------------


def test_the_api_address_comes_from_configuration_not_from_the_host_header(gateway):
    settings = load_web_settings(
        {
            "SECRET_KEY": "k",
            "PORT": "8181",
            "TRUSTED_HOSTS": "attacker.example,localhost",
            "WEB_SESSION_STORE": "memory://",
        }
    )
    client = create_web_app(settings, http=gateway).test_client()
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 200
    assert gateway.calls
    assert all(url.startswith("/api/v1/") for _m, url, _j, _h in gateway.calls)
    assert gateway.hosts == {"127.0.0.1:8181"}


def test_gateway_internal_url_is_where_the_api_is_called(gateway):
    settings = load_web_settings(
        {
            "SECRET_KEY": "k",
            "GATEWAY_INTERNAL_URL": "http://gw:9/",
            "WEB_SESSION_STORE": "memory://",
        }
    )
    assert settings.gateway_url == "http://gw:9"
    create_web_app(settings, http=gateway).test_client().get("/")
    assert gateway.hosts == {"gw:9"}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "councils.example.evil"])
def test_a_host_that_is_not_trusted_is_refused_before_any_api_call(gateway, host):
    settings = load_web_settings(
        {
            "SECRET_KEY": "k",
            "PUBLIC_URL": "https://councils.example",
            "WEB_SESSION_STORE": "memory://",
        }
    )
    client = create_web_app(settings, http=gateway).test_client()
    assert client.get("/", headers={"Host": host}).status_code == 400
    assert gateway.calls == []
    assert client.get("/", headers={"Host": "councils.example"}).status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1:8080"}).status_code == 200


# --- next=: local paths only ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "/\\evil.com",
        "https://evil.com",
        "javascript:alert(1)",
        "/\t/evil.com",
        "/\n/evil.com",
        "/ /evil.com",
        "\\\\evil.com",
        "http:/evil.com",
        "/%0a/x\r\n//evil.com",
    ],
)
def test_login_never_redirects_off_the_site(client, target):
    answer = login(client, target)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["//evil.com", "/\t/evil.com", "https://evil.com"])
def test_the_language_switch_never_redirects_off_the_site(client, target):
    token = csrf(client.get("/"))
    answer = client.post("/language", data={"lang": "fr", "next": target, "csrf_token": token})
    assert answer.headers["Location"] == "/"


def test_a_local_next_is_kept(client):
    answer = login(client, f"/polls/{POLL['id']}?change=1")
    assert answer.headers["Location"] == f"/polls/{POLL['id']}?change=1"


# --- the session cookie: nothing readable in it, and nothing left after logout ---------------


def decoded(cookie: str) -> str:
    """Every part of the cookie as itsdangerous would decode it (base64, maybe zlib)."""
    texts = [cookie]
    compressed = cookie.startswith(".")
    for part in cookie.lstrip(".").split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            continue
        if compressed:
            try:
                raw = zlib.decompress(raw)
            except zlib.error:
                pass
        texts.append(raw.decode("latin-1"))
    return "\n".join(texts)


def session_cookie(client) -> str:
    cookie = client.get_cookie("councils_session")
    assert cookie is not None
    return cookie.value


def test_the_cookie_holds_neither_tokens_nor_ballot_drafts(client):
    assert login(client).status_code == 302
    after_login = decoded(session_cookie(client))
    ballot_page = client.get(f"/polls/{POLL['id']}")
    review = client.post(
        f"/polls/{POLL['id']}/review",
        data={"csrf_token": csrf(ballot_page), "rank-q1-2": "1", "rank-q1-0": "2"},
    )
    assert review.status_code == 200
    after_review = decoded(session_cookie(client))
    for text in (after_login, after_review):
        assert ACCESS not in text and REFRESH not in text
        assert "access_token" not in text and "ranking" not in text and "ballots" not in text


def test_logout_ends_the_session_and_a_replayed_cookie_gets_nothing(client, gateway):
    assert login(client).status_code == 302
    old = session_cookie(client)
    assert "Log out" in client.get("/").get_data(as_text=True)
    token = csrf(client.get("/"))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert session_cookie(client) != old if client.get_cookie("councils_session") else True

    gateway.calls.clear()
    client.set_cookie("councils_session", old)
    page = client.get("/").get_data(as_text=True)
    assert "Log out" not in page and "Log in" in page
    assert not any((headers or {}).get("Authorization") for *_x, headers in gateway.calls)


def test_login_replaces_the_session_id(client):
    client.get("/login")
    before = session_cookie(client)
    login(client)
    assert session_cookie(client) != before


def test_the_file_store_keeps_sessions_private_and_forgets_them_at_logout(gateway, tmp_path):
    store = tmp_path / "sessions"
    settings = WebSettings(
        secret_key="test", gateway_url="http://gw", session_store=f"file://{store}"
    )
    client = create_web_app(settings, http=gateway).test_client()
    login(client)
    files = list(store.iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    assert ACCESS in files[0].read_text()  # on the server, not in the cookie
    assert session_cookie(client) not in files[0].name
    client.post("/logout", data={"csrf_token": csrf(client.get("/"))})
    assert not any(ACCESS in path.read_text() for path in store.iterdir())
