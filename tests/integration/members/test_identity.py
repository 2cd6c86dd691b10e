"""The identity core: register, verify, log in, tokens, me, approval, passwords, own data."""

from __future__ import annotations

import datetime as dt
import uuid

import jwt

from services.common.auth import Identity, issue_access_token
from services.members.context import build_context
from tests.integration.members.conftest import ADMIN_EMAIL, PASSWORD
from tests.support.runtime import test_keypair


def test_life_of_a_member(api):
    member_id, email = api.register(
        "life",
        language="en",
        phone="+44 7700 900123",
        gender="woman",
        introduction="I run a reading group.",
    )
    registered = api.events("members.member.registered", member_id=member_id)
    assert len(registered) == 1
    data = registered[0]
    assert data["email"] == email and data["status"] == "pending" and data["country"] == "GB"
    assert data["phone"] == "+447700900123" and data["language"] == "en"
    assert "password" not in str(data)

    tokens = api.login(email)
    code, me = api.call("GET", "/api/v1/members/me", token=tokens["access_token"])
    assert code == 200
    assert me["id"] == member_id and me["status"] == "pending" and me["email"] == email
    assert me["email_verified"] is False and me["admin"] is False

    assert data["verification_token"] is None  # the token travels sealed, never in clear
    token = api.unseal(data, "verification_sealed", "verify_email")
    assert token not in str(data)
    code, verified = api.call("GET", "/api/v1/auth/verify?token=" + token)
    assert code == 200 and verified["email_verified"] is True
    assert api.events("members.member.verified", member_id=member_id)
    code, again = api.call("POST", "/api/v1/auth/verify", {"token": token})
    assert code == 400 and again["error"]["fields"]["token"]
    page = api.client.get(
        "/api/v1/auth/verify?token=" + token,
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert page.status_code == 400 and page.mimetype == "text/html"

    voucher_id, _, voucher = api.active_member("voucher")
    code, vouched = api.call(
        "POST",
        f"/api/v1/members/{member_id}/vouch",
        {"note": "Met her at the book fair"},
        token=voucher,
    )
    assert code == 200 and vouched["status"] == "active"
    activated = api.events("members.member.activated", member_id=member_id)
    assert activated and activated[-1]["by"] == "vouch"

    refreshed = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert refreshed[0] == 200
    token = refreshed[1]["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["status"] == "active"

    code, chapters = api.call("GET", "/api/v1/chapters")
    assert code == 200
    _, _, founder = api.active_member("founder")
    code, chapter = api.call(
        "POST",
        "/api/v1/chapters",
        {"name": f"Life {uuid.uuid4().hex[:6]}", "country": "GB"},
        token=founder,
    )
    assert code == 201, chapter
    code, joined = api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)
    assert code == 200 and joined["member"] is True
    assert api.events("members.membership.joined", member_id=member_id, chapter_id=chapter["id"])
    code, left = api.call("POST", f"/api/v1/chapters/{chapter['id']}/leave", token=token)
    assert code == 200 and left["member"] is False
    assert api.events("members.membership.left", member_id=member_id)

    code, export = api.call("GET", "/api/v1/members/me/export", token=token)
    assert code == 200 and export["profile"]["email"] == email
    assert export["vouches"]["received"][0]["voucher_id"] == voucher_id

    code, body = api.call(
        "DELETE", "/api/v1/members/me", {"password": "wrong-password-1"}, token=token
    )
    assert code == 422 and "password" in body["error"]["fields"]
    code, _ = api.call("DELETE", "/api/v1/members/me", {"password": PASSWORD}, token=token)
    assert code == 204
    assert api.events("members.member.deleted", member_id=member_id)
    code, _ = api.call("GET", "/api/v1/members/me", token=token)
    assert code == 401
    code, _ = api.call("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    assert code == 401
    # The anonymised row stays for aggregates; nothing identifying is left.
    assert (
        api.count(
            "SELECT count(*) FROM members WHERE id = %s AND status = 'deleted'"
            " AND email NOT LIKE %s AND phone IS NULL",
            member_id,
            "%example.org",
        )
        == 1
    )
    # The address is free again.
    api.register("life-again", email=email)


def test_duplicate_email_is_409_case_insensitively(api):
    _, email = api.register("dup")
    code, body = api.call(
        "POST",
        "/api/v1/auth/register",
        {"email": email.upper(), "password": PASSWORD, "display_name": "Again", "country": "FR"},
    )
    assert code == 409 and body["error"]["fields"]["email"]


def test_wrong_password_and_unknown_address_are_401(api):
    _, email = api.register("pw")
    for body in (
        {"email": email, "password": "not-the-password"},
        {"email": "nobody-" + email, "password": PASSWORD},
    ):
        code, reply = api.call("POST", "/api/v1/auth/login", body)
        assert code == 401 and reply["error"]["code"] == "invalid_credentials"


def test_tokens_tampered_expired_or_wrong_kind_are_401(api):
    member_id, email = api.register("tok")
    token = api.token(email)
    for bad in (token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), "not.a.token", ""):
        code, body = api.call("GET", "/api/v1/members/me", token=bad or None)
        assert code == 401 and body["error"]["code"]
    private, _ = test_keypair()
    expired = issue_access_token(
        private, Identity(member_id, "pending"), now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    )
    code, body = api.call("GET", "/api/v1/members/me", token=expired)
    assert code == 401 and body["error"]["code"] == "token_expired"
    code, _ = api.call("GET", "/api/v1/members/me", headers={"Authorization": "Basic abc"})
    assert code == 401


def test_refresh_rotates_and_reuse_revokes_the_session(api):
    _, email = api.register("rot")
    first = api.login(email)["refresh_token"]
    code, second = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": first})
    assert code == 200 and second["refresh_token"] != first
    code, body = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": first})
    assert code == 401 and body["error"]["code"] == "refresh_token_reused"
    # The reuse revoked the whole session, including the token handed out in between.
    code, _ = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": second["refresh_token"]})
    assert code == 401
    assert api.count("SELECT count(*) FROM refresh_tokens WHERE token_hash = %s", first) == 0


def test_logout_ends_the_session(api):
    _, email = api.register("out")
    tokens = api.login(email)
    other = api.login(email)
    code, _ = api.call("POST", "/api/v1/auth/logout", {"refresh_token": tokens["refresh_token"]})
    assert code == 204
    assert (
        api.call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})[0]
        == 401
    )
    assert (
        api.call("POST", "/api/v1/auth/refresh", {"refresh_token": other["refresh_token"]})[0]
        == 200
    )
    code, _ = api.call(
        "POST", "/api/v1/auth/logout", {"refresh_token": other["refresh_token"], "everywhere": True}
    )
    assert code == 401  # rotated already: that token is dead


def test_approve_is_for_admins_only(api):
    member_id, email = api.register("appr")
    token = api.token(email)
    code, body = api.call("POST", f"/api/v1/members/{member_id}/approve", token=token)
    assert code == 403 and body["error"]["code"] == "forbidden"
    assert api.call("POST", f"/api/v1/members/{member_id}/approve")[0] == 401
    admin = api.admin()
    assert jwt.decode(admin, options={"verify_signature": False})["admin"] is True
    code, body = api.call("POST", f"/api/v1/members/{member_id}/approve", token=admin)
    assert code == 200 and body["status"] == "active"
    code, body = api.call("POST", f"/api/v1/members/{member_id}/approve", token=admin)
    assert code == 200  # idempotent, and announced once
    assert len(api.events("members.member.activated", member_id=member_id)) == 1
    code, me = api.call("GET", "/api/v1/members/me", token=api.token(email))
    assert me["status"] == "active"
    assert api.call("POST", f"/api/v1/members/{uuid.uuid4()}/approve", token=admin)[0] == 404
    assert api.call("POST", "/api/v1/members/not-a-uuid/approve", token=admin)[0] == 404


def test_a_refused_member_is_not_approved_by_a_later_click(api):
    """Approving a refused member used to answer 200 with the member still refused, and the
    page and the CLI said "approved"."""
    member_id, _email = api.register("refused")
    admin = api.admin()
    code, _ = api.call(
        "POST", f"/api/v1/members/{member_id}/reject", {"reason": "Not from here"}, token=admin
    )
    assert code == 200
    code, body = api.call("POST", f"/api/v1/members/{member_id}/approve", token=admin)
    assert code == 409 and body["error"]["code"] == "not_pending", body
    assert "refused" in body["error"]["message"] or "rejected" in body["error"]["message"]
    assert api.events("members.member.activated", member_id=member_id) == []


def test_pending_members_cannot_vouch_and_nobody_vouches_for_themselves(api):
    pending_id, pending_email = api.register("pv")
    other_id, _ = api.register("pv2")
    code, _ = api.call("POST", f"/api/v1/members/{other_id}/vouch", token=api.token(pending_email))
    assert code == 403
    me_id, _, me = api.active_member("self")
    assert api.call("POST", f"/api/v1/members/{me_id}/vouch", token=me)[0] in (200, 403)
    code, listing = api.call("GET", "/api/v1/members/pending?limit=500", token=me)
    assert code == 200 and any(p["id"] == pending_id for p in listing)
    assert all("email" not in p for p in listing)


def test_bootstrap_admin_is_idempotent(api, members_runtime):
    from services.members.bootstrap import bootstrap_admin

    again = bootstrap_admin(build_context(members_runtime))
    assert again["created"] is False and again["granted"] is False
    assert api.count("SELECT count(*) FROM members WHERE lower(email) = %s", ADMIN_EMAIL) == 1


def test_password_change_and_reset(api):
    member_id, email = api.register("pwd")
    tokens = api.login(email)
    code, body = api.call(
        "POST",
        "/api/v1/auth/password",
        {"current_password": "wrong-one-here", "new_password": "x"},
        token=tokens["access_token"],
    )
    assert code == 422 and "current_password" in body["error"]["fields"]
    code, body = api.call(
        "POST",
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "password123"},
        token=tokens["access_token"],
    )
    assert code == 422 and "new_password" in body["error"]["fields"]
    code, body = api.call(
        "POST",
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "Second-horse-battery-8"},
        token=tokens["access_token"],
    )
    assert code == 200 and body["access_token"]
    assert (
        api.call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})[0]
        == 401
    )
    api.login(email, "Second-horse-battery-8")

    code, body = api.call("POST", "/api/v1/auth/password/forgot", {"email": email})
    assert code == 202
    code, same = api.call("POST", "/api/v1/auth/password/forgot", {"email": "nobody-" + email})
    assert code == 202 and same == body
    reset = api.events("members.member.password_reset_requested", member_id=member_id)
    token = api.unseal(reset[-1], purpose="reset_password")
    assert "reset_token" not in reset[-1] and token not in str(reset[-1])
    code, body = api.call(
        "POST", "/api/v1/auth/password/reset", {"token": token, "password": "123"}
    )
    assert code == 422 and "password" in body["error"]["fields"]
    code, _ = api.call(
        "POST", "/api/v1/auth/password/reset", {"token": token, "password": "Third-horse-battery-7"}
    )
    assert code == 200
    assert (
        api.call(
            "POST",
            "/api/v1/auth/password/reset",
            {"token": token, "password": "Fourth-horse-battery-6"},
        )[0]
        == 400
    )
    api.login(email, "Third-horse-battery-7")


def test_correcting_own_data(api):
    member_id, email = api.register("fix")
    token = api.token(email)
    new_email = "fixed-" + email
    change = {
        "display_name": "  Fixed Name ",
        "email": new_email,
        "country": "de",
        "language": "pt-br",
        "gender": "female",
    }
    code, body = api.call("PATCH", "/api/v1/members/me", change, token=token)
    assert code == 422 and "current_password" in body["error"]["fields"], body
    code, body = api.call(
        "PATCH",
        "/api/v1/members/me",
        {**change, "current_password": "Not-my-password-1"},
        token=token,
    )
    assert code == 422 and "current_password" in body["error"]["fields"], body
    assert api.events("members.member.email_changed", member_id=member_id) == []
    code, me = api.call(
        "PATCH", "/api/v1/members/me", {**change, "current_password": PASSWORD}, token=token
    )
    assert code == 200, me
    assert me["display_name"] == "Fixed Name" and me["email"] == new_email
    assert me["country"] == "DE" and me["language"] == "pt-BR" and me["gender"] == "woman"
    assert me["email_verified"] is False
    changed = api.events("members.member.contact_changed", member_id=member_id)
    assert changed[-1]["email"] == new_email
    # The old address is told (notify mails it: tests/integration/notify).
    told = api.events("members.member.email_changed", member_id=member_id)
    assert [t["old_email"] for t in told] == [email]
    sent = api.events("members.member.verification_requested", member_id=member_id)
    assert sent[-1]["email"] == new_email
    # The token sent to the old address no longer verifies anything.
    old = api.events("members.member.registered", member_id=member_id)[0]
    assert (
        api.call("POST", "/api/v1/auth/verify", {"token": api.unseal(old, "verification_sealed")})[
            0
        ]
        == 400
    )
    assert api.call("POST", "/api/v1/auth/verify", {"token": api.unseal(sent[-1])})[0] == 200
    _, taken = api.register("taken")
    code, body = api.call(
        "PATCH", "/api/v1/members/me", {"email": taken, "current_password": PASSWORD}, token=token
    )
    assert code == 409
    code, body = api.call("PATCH", "/api/v1/members/me", {"country": "ZZ"}, token=token)
    assert code == 422 and "country" in body["error"]["fields"]


def test_the_last_admin_cannot_leave(fresh_database_url):
    from services.members.app import create_app
    from services.members.bootstrap import bootstrap_admin
    from tests.integration.members.conftest import Api
    from tests.support.runtime import make_runtime

    runtime = make_runtime(
        "members",
        fresh_database_url,
        COUNCILS_ADMIN_EMAIL="only@example.org",
        COUNCILS_ADMIN_PASSWORD="Only-admin-password-1",
    )
    try:
        bootstrap_admin(build_context(runtime))
        api = Api(create_app(runtime).test_client(), runtime)
        admin = api.token("only@example.org", "Only-admin-password-1")
        code, body = api.call(
            "DELETE", "/api/v1/members/me", {"password": "Only-admin-password-1"}, token=admin
        )
        assert code == 409 and body["error"]["code"] == "last_admin"
        mandate = api.call("GET", "/api/v1/mandates?role=admin")[1][0]
        code, body = api.call("POST", f"/api/v1/mandates/{mandate['id']}/revoke", token=admin)
        assert code == 409 and body["error"]["code"] == "last_admin"
        # With a second admin, the first may go.
        second_id, _ = api.register("second")
        assert api.call("POST", f"/api/v1/members/{second_id}/approve", token=admin)[0] == 200
        assert (
            api.call(
                "POST", "/api/v1/mandates", {"member_id": second_id, "role": "admin"}, token=admin
            )[0]
            == 201
        )
        assert (
            api.call(
                "DELETE", "/api/v1/members/me", {"password": "Only-admin-password-1"}, token=admin
            )[0]
            == 204
        )
    finally:
        runtime.close()


def test_sessions_can_be_listed_and_ended(api):
    _, email = api.register("sess")
    phone = api.login(email)
    laptop = api.login(email)
    code, listed = api.call("GET", "/api/v1/auth/sessions", token=laptop["access_token"])
    assert code == 200 and len(listed) == 2 and not any(s["ended"] for s in listed)
    phone_session = listed[0]["id"]
    # The session of the token that asks is marked, and only it.
    assert [s["current"] for s in listed] == [False, True]
    seen_from_phone = api.call("GET", "/api/v1/auth/sessions", token=phone["access_token"])[1]
    assert [s["current"] for s in seen_from_phone] == [True, False]
    assert (
        api.call("DELETE", f"/api/v1/auth/sessions/{phone_session}", token=laptop["access_token"])[
            0
        ]
        == 204
    )
    assert (
        api.call("POST", "/api/v1/auth/refresh", {"refresh_token": phone["refresh_token"]})[0]
        == 401
    )
    assert (
        api.call("POST", "/api/v1/auth/refresh", {"refresh_token": laptop["refresh_token"]})[0]
        == 200
    )
    assert (
        api.call("DELETE", f"/api/v1/auth/sessions/{phone_session}", token=laptop["access_token"])[
            0
        ]
        == 404
    )
    _, other = api.register("sess-other")
    assert (
        api.call("DELETE", f"/api/v1/auth/sessions/{listed[1]['id']}", token=api.token(other))[0]
        == 404
    )


def test_a_pending_member_learns_what_activates_them(api):
    _member_id, email = api.register("waiting")
    code, me = api.call("GET", "/api/v1/members/me", token=api.login(email)["access_token"])
    assert code == 200 and me["status"] == "pending" and me["vouches"] == 0
    assert me["vouches_required"] == 1 and me["vouching_enabled"] is True
