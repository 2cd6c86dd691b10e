"""Rate limits, re-announcing state, bootstrap and demo, the OpenAPI document, readiness."""

from __future__ import annotations

import uuid

import pytest

from services.common.config import ConfigError
from services.common.requests import CLIENT_ADDRESS_HEADER
from services.members.app import create_app
from services.members.bootstrap import DEMO_PASSWORD, bootstrap_admin, load_demo
from services.members.context import build_context
from tests.integration.members.conftest import PASSWORD, Api
from tests.support.runtime import make_runtime


@pytest.fixture(scope="module")
def strict(members_database_url):
    runtime = make_runtime(
        "members",
        members_database_url,
        RATE_LOGIN_PER_MINUTE=3,
        RATE_REGISTER_PER_MINUTE=2,
        RATE_LOGIN_PER_EMAIL_PER_MINUTE=2,
    )
    yield Api(create_app(runtime).test_client(), runtime)
    runtime.db.close()


def test_login_is_rate_limited_per_ip_and_per_address(strict):
    ip = {CLIENT_ADDRESS_HEADER: f"10.{uuid.uuid4().int % 250}.0.1"}
    email = f"rl-{uuid.uuid4().hex[:8]}@example.org"
    body = {"email": email, "password": "wrong-password-here"}
    codes = [strict.call("POST", "/api/v1/auth/login", body, headers=dict(ip))[0] for _ in range(3)]
    assert codes == [401, 401, 429]  # two per address
    code, reply = strict.call("POST", "/api/v1/auth/login", body, headers=dict(ip))
    assert code == 429 and reply["error"]["code"] == "rate_limited"
    response = strict.client.post("/api/v1/auth/login", json=body, headers=dict(ip))
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Another address from another IP is not affected.
    other = {"email": "x" + email, "password": "wrong-password-here"}
    assert (
        strict.call(
            "POST", "/api/v1/auth/login", other, headers={CLIENT_ADDRESS_HEADER: "192.0.2.77"}
        )[0]
        == 401
    )


def test_registration_is_rate_limited_per_ip(strict):
    ip = {CLIENT_ADDRESS_HEADER: f"172.16.{uuid.uuid4().int % 250}.9"}
    codes = []
    for _ in range(3):
        body = {
            "email": f"rr-{uuid.uuid4().hex[:8]}@example.org",
            "password": PASSWORD,
            "display_name": "R",
            "country": "GB",
        }
        codes.append(strict.call("POST", "/api/v1/auth/register", body, headers=dict(ip))[0])
    assert codes == [201, 201, 429]


def test_default_limits_let_a_scripted_walk_through_pass(api):
    ip = {CLIENT_ADDRESS_HEADER: "198.51.100.10"}
    for _ in range(25):
        email = f"walk-{uuid.uuid4().hex[:8]}@example.org"
        code, _ = api.call(
            "POST",
            "/api/v1/auth/register",
            {"email": email, "password": PASSWORD, "display_name": "Walker", "country": "GB"},
            headers=dict(ip),
        )
        assert code == 201
        assert (
            api.call(
                "POST",
                "/api/v1/auth/login",
                {"email": email, "password": PASSWORD},
                headers=dict(ip),
            )[0]
            == 200
        )


def test_announce_snapshots_every_member_and_chapter(api):
    member_id, _, token = api.active_member("ann")
    code, chapter = api.call(
        "POST",
        "/api/v1/chapters",
        {"name": f"Announced {uuid.uuid4().hex[:6]}", "country": "IT"},
        token=token,
    )
    assert code == 201
    code, done = api.call("POST", "/api/v1/members/announce", token=api.admin())
    assert code == 202 and done["members"] >= 1 and done["chapters"] >= 1
    snapshots = api.events("members.member.snapshot", announce_id=done["announce_id"])
    assert len(snapshots) == done["members"]
    mine = next(s for s in snapshots if s["member_id"] == member_id)
    assert mine["status"] == "active" and mine["chapters"][0]["chapter_id"] == chapter["id"]
    assert mine["mandates"][0]["role"] == "coordinator"
    chapters = api.events("members.chapter.snapshot", announce_id=done["announce_id"])
    assert len(chapters) == done["chapters"]
    seen = set()
    for snap in chapters:  # parents come before their children
        assert snap["parent_id"] is None or snap["parent_id"] in seen
        seen.add(snap["chapter_id"])


def test_bootstrap_and_demo_on_an_empty_database(fresh_database_url):
    runtime = make_runtime(
        "members",
        fresh_database_url,
        COUNCILS_ADMIN_EMAIL="First.Admin@Example.org",
        COUNCILS_ADMIN_PASSWORD="First-admin-password-1",
    )
    try:
        ctx = build_context(runtime)
        first = bootstrap_admin(ctx)
        assert first["created"] and first["granted"]
        assert bootstrap_admin(ctx) == {**first, "created": False, "granted": False}
        demo = load_demo(ctx)
        again = load_demo(ctx)
        assert demo["logins"] == again["logins"]
        api = Api(create_app(runtime).test_client(), runtime)
        assert api.count("SELECT count(*) FROM chapters") == 8
        assert api.count("SELECT count(*) FROM members") == 13
        coordinator = api.token(demo["logins"][0].split()[0], DEMO_PASSWORD)
        code, me = api.call("GET", "/api/v1/members/me", token=coordinator)
        assert code == 200 and me["mandates"][0]["role"] == "coordinator"
        code, targets = api.call("GET", "/api/v1/targets")
        assert code == 200 and len(targets) == 5
        assert {"name", "target", "current", "met"} <= set(targets[0])
        code, working = api.call("GET", "/api/v1/chapters/working")
        assert any(c["name"] == "Surrey" for c in working)
        admin = api.token("first.admin@example.org", "First-admin-password-1")
        assert api.call("GET", "/api/v1/members", token=admin)[0] == 200
    finally:
        runtime.close()


def test_first_request_bootstraps_the_admin(fresh_database_url):
    runtime = make_runtime(
        "members",
        fresh_database_url,
        COUNCILS_ADMIN_EMAIL="lazy-admin@example.org",
        COUNCILS_ADMIN_PASSWORD="Lazy-admin-password-1",
    )
    try:
        api = Api(create_app(runtime).test_client(), runtime)
        assert api.token("lazy-admin@example.org", "Lazy-admin-password-1")
    finally:
        runtime.close()


def test_bootstrap_admin_and_registration_take_addresses_by_one_rule(fresh_database_url):
    """admin@example.test (RFC 6761's names for testing) is an admin's address as it is a
    member's; a special-use name that can never take mail is refused by both."""
    runtime = make_runtime(
        "members",
        fresh_database_url,
        COUNCILS_ADMIN_EMAIL="Admin@Example.test",
        COUNCILS_ADMIN_PASSWORD="Test-admin-password-1",
    )
    try:
        ctx = build_context(runtime)
        assert bootstrap_admin(ctx)["email"] == "Admin@example.test"
        api = Api(create_app(runtime).test_client(), runtime)
        assert api.token("Admin@example.test", "Test-admin-password-1")
        api.register("member", email="member@chapter.test")
        code, reply = api.call(
            "POST",
            "/api/v1/auth/register",
            {"email": "x@host.invalid", "password": PASSWORD, "display_name": "X", "country": "GB"},
        )
        assert code == 422 and "email" in reply["error"]["fields"]
        wrong = make_runtime(
            "members",
            fresh_database_url,
            COUNCILS_ADMIN_EMAIL="root@host.invalid",
            COUNCILS_ADMIN_PASSWORD="Test-admin-password-1",
        )
        try:
            with pytest.raises(ConfigError, match="COUNCILS_ADMIN_EMAIL"):
                bootstrap_admin(build_context(wrong))
        finally:
            wrong.close()
    finally:
        runtime.close()


def test_openapi_and_health(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/members/me",
        "/api/v1/members/{member_id}/approve",
        "/api/v1/chapters",
        "/api/v1/chapters/{chapter_id}/join",
        "/api/v1/targets",
    ):
        assert path in paths, path
    assert paths["/api/v1/members/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert client.get("/livez").status_code == 200
    assert client.get("/api/v1/nowhere").get_json()["error"]["code"] == "not_found"


def _with_rules(members_database_url, **rules):
    runtime = make_runtime("members", members_database_url, **rules)
    return runtime, Api(create_app(runtime).test_client(), runtime)


def test_activation_rules(members_database_url, api):
    admin_only, strict_api = _with_rules(members_database_url, MEMBER_ACTIVATION="admin")
    vouching, vouch_api = _with_rules(
        members_database_url, MEMBER_ACTIVATION="vouch", VOUCHES_REQUIRED="2"
    )
    try:
        _, _, first = api.active_member("v1")
        _, _, second = api.active_member("v2")
        pending_id, _ = api.register("v-pending")
        code, reply = strict_api.call("POST", f"/api/v1/members/{pending_id}/vouch", token=first)
        assert code == 409 and reply["error"]["code"] == "vouching_disabled"
        code, reply = vouch_api.call("POST", f"/api/v1/members/{pending_id}/vouch", token=first)
        assert code == 200 and reply["status"] == "pending" and reply["vouches"] == 1
        code, reply = vouch_api.call("POST", f"/api/v1/members/{pending_id}/vouch", token=first)
        assert reply["vouches"] == 1  # the same voucher counts once
        code, reply = vouch_api.call("POST", f"/api/v1/members/{pending_id}/vouch", token=second)
        assert code == 200 and reply["status"] == "active"
        # Whatever the rule, an admin's approval always works.
        other_id, _ = api.register("v-other")
        assert (
            vouch_api.call("POST", f"/api/v1/members/{other_id}/approve", token=api.admin())[1][
                "status"
            ]
            == "active"
        )
    finally:
        admin_only.db.close()
        vouching.db.close()


def test_bootstrap_command(fresh_database_url, monkeypatch, capsys):
    from services.members import bootstrap
    from tests.support.runtime import test_keypair

    make_runtime("members", fresh_database_url).close()  # migrated, as `make run` does first
    private, public = test_keypair()
    for name, value in {
        "DATABASE_URL": fresh_database_url,
        "SECRET_KEY": "x" * 32,
        "JWT_PRIVATE_KEY": private,
        "JWT_PUBLIC_KEY": public,
        "ARGON2_PROFILE": "fast",
        "COUNCILS_ADMIN_EMAIL": "cli@example.org",
        "COUNCILS_ADMIN_PASSWORD": "Cli-admin-password-1",
    }.items():
        monkeypatch.setenv(name, value)
    assert bootstrap.main(["--demo", "--announce"]) == 0
    out = capsys.readouterr().out
    assert "admin cli@example.org created" in out and DEMO_PASSWORD in out
    assert "announced 8 chapters and 13 members" in out
    assert bootstrap.main([]) == 0
    assert "admin cli@example.org exists" in capsys.readouterr().out
    monkeypatch.delenv("COUNCILS_ADMIN_PASSWORD")
    assert bootstrap.main([]) == 2
    assert "COUNCILS_ADMIN_PASSWORD" in capsys.readouterr().err
