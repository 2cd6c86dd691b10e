"""Web sessions in a real Redis: two gateway processes share them, logout deletes them."""

from __future__ import annotations

import hashlib

import redis

from gateway.web import WebSettings, create_web_app
from gateway.web.sessions import ServerSessionInterface
from tests.support.webfakes import ACCESS, TokenGateway, csrf, login


def test_two_gateways_share_sessions_in_redis_and_logout_deletes_them(redis_url):
    settings = WebSettings(secret_key="shared", gateway_url="http://gw", session_store=redis_url)
    one = create_web_app(settings, http=TokenGateway()).test_client()
    two = create_web_app(settings, http=TokenGateway()).test_client()
    assert isinstance(one.application.session_interface, ServerSessionInterface)
    login(one)
    cookie = one.get_cookie("councils_session").value
    sid = cookie.rsplit(".", 1)[0]
    key = f"councils:web-session:{hashlib.sha256(sid.encode()).hexdigest()}"
    store = redis.Redis.from_url(redis_url)
    held = store.get(key)
    assert held and ACCESS.encode() in held and 0 < store.ttl(key) <= 14 * 86400

    two.set_cookie("councils_session", cookie)
    page = two.get("/")
    assert "Log out" in page.get_data(as_text=True)  # the other process knows the session
    two.post("/logout", data={"csrf_token": csrf(page)})
    assert store.get(key) is None
    one.set_cookie("councils_session", cookie)
    assert "Log out" not in one.get("/").get_data(as_text=True)


def test_a_visitors_session_is_kept_for_hours_a_members_for_the_session_lifetime(redis_url):
    settings = WebSettings(secret_key="shared", gateway_url="http://gw", session_store=redis_url)
    client = create_web_app(settings, http=TokenGateway()).test_client()
    store = redis.Redis.from_url(redis_url)

    def ttl() -> int:
        sid = client.get_cookie("councils_session").value.rsplit(".", 1)[0]
        return store.ttl(f"councils:web-session:{hashlib.sha256(sid.encode()).hexdigest()}")

    client.get("/login")
    assert 0 < ttl() <= 3 * 3600
    login(client)
    assert ttl() > 13 * 86400
