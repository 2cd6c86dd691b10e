"""Issue 13, accounts: bootstrap facts, revocation at once, suspension, vouch limits and
failed-login delays, over a real PostgreSQL."""

from __future__ import annotations

import uuid

from services.common.requests import CLIENT_ADDRESS_HEADER
from services.common.sealing import unseal
from tests.integration.members.conftest import ADMIN_EMAIL, PASSWORD, Api


def _ip() -> str:
    return f"198.51.100.{uuid.uuid4().int % 250 + 1}"


def test_bootstrapped_admin_is_announced_verified(api):
    [admin] = [r for r in api.events("members.member.registered") if r["email"] == ADMIN_EMAIL]
    assert api.events("members.member.verified", member_id=admin["member_id"])


def test_logout_ends_the_access_token_at_once(api):
    _, email = api.register("out")
    tokens = api.login(email)
    access = tokens["access_token"]
    assert api.call("GET", "/api/v1/members/me", token=access)[0] == 200
    assert (
        api.call(
            "POST",
            "/api/v1/auth/logout",
            {"refresh_token": tokens["refresh_token"]},
            headers={"Authorization": f"Bearer {access}"},
        )[0]
        == 204
    )
    code, body = api.call("GET", "/api/v1/members/me", token=access)
    assert code == 401 and body["error"]["code"] == "token_revoked"
    member_id = tokens["member_id"]
    [revoked] = api.events("members.session.revoked", member_id=member_id)
    assert len(revoked["session_ids"]) == 1
    assert api.login(email)["access_token"]  # a new login is a new session


def test_password_change_ends_every_other_session(api):
    _, email = api.register("pw")
    first = api.login(email)["access_token"]
    second = api.login(email)["access_token"]
    code, fresh = api.call(
        "POST",
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "Other-horse-battery-5"},
        token=second,
    )
    assert code == 200, fresh
    for old in (first, second):
        assert api.call("GET", "/api/v1/members/me", token=old)[0] == 401
    assert api.call("GET", "/api/v1/members/me", token=fresh["access_token"])[0] == 200


def test_admins_suspend_and_restore_an_account(api):
    member_id, email, token = api.active_member("susp")
    other_id, _, other = api.active_member("notadmin")
    assert (
        api.call("POST", f"/api/v1/members/{member_id}/suspend", {"reason": "x"}, token=other)[0]
        == 403
    )
    code, body = api.call(
        "POST", f"/api/v1/members/{member_id}/suspend", {"reason": "spam"}, token=api.admin()
    )
    assert code == 200 and body["suspended"] and body["suspend_reason"] == "spam"
    assert api.events("members.member.suspended", member_id=member_id)
    code, body = api.call("GET", "/api/v1/members/me", token=token)
    assert code == 401 and body["error"]["code"] == "token_revoked"
    code, body = api.call("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    assert code == 403 and body["error"]["code"] == "account_suspended"
    assert api.call("POST", f"/api/v1/members/{member_id}/suspend", {}, token=api.admin())[0] == 409
    code, body = api.call("POST", f"/api/v1/members/{member_id}/restore", token=api.admin())
    assert code == 200 and not body["suspended"]
    assert api.events("members.member.restored", member_id=member_id)
    assert api.call("GET", "/api/v1/members/me", token=token)[0] == 401  # old tokens stay dead
    assert api.call("GET", "/api/v1/members/me", token=api.token(email))[0] == 200
    assert other_id


def test_a_member_vouches_for_at_most_three_and_new_vouchers_do_not_count(api):
    voucher_id, _, voucher = api.active_member("voucher")
    pending = [api.register(f"p{i}")[0] for i in range(4)]
    for member_id in pending[:3]:
        code, body = api.call("POST", f"/api/v1/members/{member_id}/vouch", {}, token=voucher)
        assert code == 200 and body["status"] == "active", body
    code, body = api.call("POST", f"/api/v1/members/{pending[3]}/vouch", {}, token=voucher)
    assert code == 409 and body["error"]["code"] == "vouch_limit_reached", body
    # A member vouched in within the window vouches, but it does not count.
    fresh = api.login(api.events("members.member.registered", member_id=pending[0])[0]["email"])[
        "access_token"
    ]
    code, body = api.call("POST", f"/api/v1/members/{pending[3]}/vouch", {}, token=fresh)
    assert code == 200 and body["status"] == "pending" and body["vouches"] == 0, body
    # Admins see every vouch, counted or not; nobody else does.
    assert api.call("GET", f"/api/v1/members/{pending[3]}/vouches", token=voucher)[0] == 403
    code, body = api.call("GET", f"/api/v1/members/{pending[3]}/vouches", token=api.admin())
    assert code == 200
    assert [(v["member_id"], v["counted"]) for v in body["received"]] == [(pending[0], False)]
    code, body = api.call("GET", f"/api/v1/members/{voucher_id}/vouches", token=api.admin())
    assert sorted(v["member_id"] for v in body["given"]) == sorted(pending[:3])


def _login(api, email, password, ip):
    return api.call(
        "POST",
        "/api/v1/auth/login",
        {"email": email, "password": password},
        headers={CLIENT_ADDRESS_HEADER: ip},
    )


def test_failed_logins_slow_down_without_locking_the_owner_out(api):
    _, email = api.register("brute")
    attacker, owner = _ip(), _ip()
    codes = [_login(api, email, "Wrong-password-123", attacker)[0] for _ in range(5)]
    assert codes == [401] * 5  # the free failures
    assert _login(api, email, "Wrong-password-123", attacker)[0] == 401  # earns a delay
    code, body = _login(api, email, PASSWORD, attacker)
    assert code == 429 and body["error"]["code"] == "too_many_failures"
    refused = api.client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "x"},
        headers={CLIENT_ADDRESS_HEADER: attacker},
    )
    assert int(refused.headers["Retry-After"]) >= 1
    # The owner, from another address, is not locked out.
    assert _login(api, email, PASSWORD, owner)[0] == 200


def test_the_delay_doubles_with_each_failure(members_runtime):
    from services.members.store import limits as limits_store

    with members_runtime.db.transaction() as cur:
        key = f"test:{uuid.uuid4()}"
        delays = []
        for _ in range(4):
            limits_store.record_login_failure(cur, key, free=1, cap_s=900, forget_s=3600)
            delays.append(round(limits_store.login_blocked_for(cur, [key])))
    assert delays == [0, 1, 2, 4]


def test_registrations_per_address_are_limited_per_hour(fresh_database_url):
    from services.members.app import create_app
    from tests.support.runtime import make_runtime

    runtime = make_runtime("members", fresh_database_url, RATE_REGISTER_PER_HOUR="2")
    try:
        api = Api(create_app(runtime).test_client(), runtime)
        ip = _ip()
        codes = []
        for _ in range(3):
            body = {
                "email": f"hall-{uuid.uuid4().hex[:8]}@example.org",
                "password": PASSWORD,
                "display_name": "Hall",
                "country": "GB",
            }
            codes.append(
                api.call(
                    "POST", "/api/v1/auth/register", body, headers={CLIENT_ADDRESS_HEADER: ip}
                )[0]
            )
        assert codes == [201, 201, 429]
        body["email"] = "other-" + body["email"]
        assert (
            api.call("POST", "/api/v1/auth/register", body, headers={CLIENT_ADDRESS_HEADER: _ip()})[
                0
            ]
            == 201
        )
    finally:
        runtime.close()


def test_reset_token_is_sealed_for_notify_and_stored_only_hashed(api):
    member_id, email = api.register("sealed")
    assert api.call("POST", "/api/v1/auth/password/forgot", {"email": email})[0] == 202
    [event] = api.events("members.member.password_reset_requested", member_id=member_id)
    token = unseal(api.runtime.settings.secret_keys, "reset_password", event["sealed_token"])
    with api.runtime.db.transaction() as cur:
        cur.execute("SELECT string_agg(t::text, ' ') AS dump FROM member_tokens t")
        tokens_table = cur.fetchone()["dump"]
        cur.execute("SELECT string_agg(o::text, ' ') AS dump FROM outbox o")
        outbox = cur.fetchone()["dump"]
    assert token not in tokens_table and token not in outbox
    # A sealed verification token does not open as a reset token, nor under another key.
    import pytest

    from services.common.sealing import SealError

    with pytest.raises(SealError):
        unseal(api.runtime.settings.secret_keys, "verify_email", event["sealed_token"])
    with pytest.raises(SealError):
        unseal("another-secret-key-of-16+", "reset_password", event["sealed_token"])
