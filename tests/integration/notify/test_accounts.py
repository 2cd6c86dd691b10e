"""Issue 13 in notify: the reset and email-change mails, verified-only mail by default with
the unreachable counted, admin rights from the replica, and the deny-list of tokens."""

from __future__ import annotations

import datetime as dt

from services.common.sealing import seal
from services.notify.service import newsletters
from tests.support.wait import wait_for

PUBLIC = "http://127.0.0.1:8080"


def _text(received) -> str:
    return next(
        p.get_content() for p in received.message.walk() if p.get_content_type() == "text/plain"
    )


def _table_text(notify) -> str:
    with notify.runtime.db.transaction() as cur:
        cur.execute("SELECT coalesce(string_agg(n::text, ' '), '') AS t FROM notifications n")
        notifications = cur.fetchone()["t"]
        cur.execute("SELECT coalesce(string_agg(d::text, ' '), '') AS t FROM deliveries d")
        return notifications + cur.fetchone()["t"]


def test_password_reset_is_mailed_with_a_link_to_the_reset_page(notify):
    notify.member("m-reset", "reset@example.org")
    token = "reset-token-abc/+="
    notify.handle(
        "members.member.password_reset_requested",
        {
            "member_id": "m-reset",
            "email": "reset@example.org",
            "language": "en",
            "sealed_token": seal(notify.runtime.settings.secret_key, "reset_password", token),
        },
    )
    assert token not in _table_text(notify)
    notify.email.drain()
    [received] = notify.sink.to("reset@example.org")
    assert received.message["Subject"] == "Reset your password"
    assert f"{PUBLIC}/reset?token=reset-token-abc%2F%2B%3D" in _text(received)
    assert token not in _table_text(notify) and "reset-token-abc" not in _table_text(notify)


def test_verification_is_mailed_again_on_request_even_when_unverified(notify):
    notify.member("m-again", "again@example.org", verified=False)
    notify.handle(
        "members.member.verification_requested",
        {
            "member_id": "m-again",
            "email": "again@example.org",
            "language": "fr",
            "sealed_token": seal(notify.runtime.settings.secret_key, "verify_email", "vt-9"),
        },
    )
    notify.email.drain()
    [received] = notify.sink.to("again@example.org")
    assert f"{PUBLIC}/verify?token=vt-9" in _text(received)


def test_a_token_sealed_under_another_key_fails_the_delivery_not_the_batch(notify):
    notify.member("m-bad", "bad@example.org")
    notify.member("m-good", "good@example.org")
    notify.handle(
        "members.member.password_reset_requested",
        {
            "member_id": "m-bad",
            "email": "bad@example.org",
            "sealed_token": seal("some-other-secret-key-1234", "reset_password", "t"),
        },
    )
    notify.handle(
        "members.member.password_reset_requested",
        {
            "member_id": "m-good",
            "email": "good@example.org",
            "sealed_token": seal(notify.runtime.settings.secret_key, "reset_password", "t2"),
        },
    )
    notify.email.drain()
    assert [r.rcpt_tos for r in notify.sink.received] == [["good@example.org"]]
    assert sorted(d["status"] for d in notify.deliveries("email")) == ["failed", "sent"]


def test_an_email_change_is_told_to_the_old_address(notify):
    notify.member("m-move", "old@example.org")
    notify.handle(
        "members.member.contact_changed", {"member_id": "m-move", "email": "new@example.org"}
    )
    notify.handle(
        "members.member.email_changed", {"member_id": "m-move", "old_email": "old@example.org"}
    )
    notify.email.drain()
    [received] = notify.sink.to("old@example.org")
    assert "was changed" in received.message["Subject"]
    assert notify.sink.to("new@example.org") == []


def test_by_default_only_verified_addresses_get_announcements(notify):
    notify.member("m-v", "v@example.org")
    notify.member("m-u", "u@example.org", verified=False)
    notify.poll_opened("Verified only by default")
    notify.email.drain()
    assert [r.rcpt_tos for r in notify.sink.received] == [["v@example.org"]]


def test_a_newsletter_counts_whom_it_could_not_reach_and_why(notify):
    notify.member("n-ok", "ok@example.org")
    notify.member("n-unv", "unv@example.org", verified=False)
    notify.member("n-out", "out@example.org")
    admin = notify.token("n-admin", admin=True)
    assert (
        notify.client.put(
            "/api/v1/notifications/preferences",
            json={"categories": {"newsletters": {"email": False}}},
            headers=notify.token("n-out"),
        ).status_code
        == 200
    )
    created = notify.client.post(
        "/api/v1/newsletters",
        headers=admin,
        json={
            "subject": "S",
            "body": "B",
            "scope": {"type": "organisation"},
            "channels": ["email", "sms"],
        },
    )
    assert created.status_code == 202, created.json
    newsletters.fan_out_newsletters(notify.ctx)
    figures = notify.client.get(f"/api/v1/newsletters/{created.json['id']}", headers=admin).json
    assert figures["unreachable"]["email"] == {"unverified": 1, "opted_out": 1}
    assert figures["unreachable"]["sms"] == {"no_phone": 3}
    stats = notify.client.get("/api/v1/notifications/stats", headers=admin).json
    assert stats["unreachable"]["email"] == {"unverified": 1}  # n-out opted out of newsletters


def test_admin_rights_come_from_the_mandate_replica_not_the_token(notify):
    claims_admin = notify.token("m-former", admin=False)
    from services.common.auth import Identity, issue_access_token
    from tests.support.runtime import test_keypair

    forged_claim = issue_access_token(test_keypair()[0], Identity("m-former", "active", True))
    headers = {"Authorization": f"Bearer {forged_claim}"}
    assert notify.client.get("/api/v1/notifications/stats", headers=headers).status_code == 403
    notify.token("m-former", admin=True)  # grants the mandate in the replica
    assert notify.client.get("/api/v1/notifications/stats", headers=headers).status_code == 200
    notify.handle(
        "members.mandate.revoked",
        {"mandate_id": "admin-of-m-former", "member_id": "m-former", "role": "admin"},
    )
    assert notify.client.get("/api/v1/notifications/stats", headers=headers).status_code == 403
    assert claims_admin


def test_a_revoked_admin_mandate_stays_revoked_whatever_arrives_late(notify):
    """A grant or a term change redelivered after the revocation (a retried event overtaken
    by the next one) must not hand the newsletter back: polls keeps revoked mandates revoked,
    so does notify."""
    notify.token("m-late", admin=True)
    headers = notify.token("m-late")
    mandate = {"mandate_id": "admin-of-m-late", "member_id": "m-late", "role": "admin"}
    assert notify.client.get("/api/v1/notifications/stats", headers=headers).status_code == 200
    notify.handle("members.mandate.revoked", mandate)
    notify.handle("members.mandate.term_changed", {**mandate, "ends_at": None})
    notify.handle("members.mandate.granted", {**mandate, "chapter_id": None})
    assert notify.client.get("/api/v1/notifications/stats", headers=headers).status_code == 403


def test_an_admin_mandate_that_starts_later_gives_no_right_before(notify):
    headers = notify.token("m-soon")
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    mandate = {"mandate_id": "admin-of-m-soon", "member_id": "m-soon", "role": "admin"}
    notify.handle("members.mandate.granted", {**mandate, "chapter_id": None, "starts_at": later})
    assert notify.client.get("/api/v1/notifications/stats", headers=headers).status_code == 403


def test_revoked_sessions_and_suspended_members_lose_access_within_seconds(notify):
    notify.member("m-sess", "sess@example.org")
    session = notify.token("m-sess", session_id="family-1")
    other = notify.token("m-sess", session_id="family-2")
    url = "/api/v1/notifications/preferences"
    assert notify.client.get(url, headers=session).status_code == 200
    notify.handle("members.session.revoked", {"member_id": "m-sess", "session_ids": ["family-1"]})
    wait_for(
        lambda: notify.client.get(url, headers=session).status_code == 401,
        what="the revoked session refused",
    )
    assert notify.client.get(url, headers=other).status_code == 200
    notify.handle("members.member.suspended", {"member_id": "m-sess", "reason": "spam"})
    wait_for(
        lambda: notify.client.get(url, headers=other).status_code == 401,
        what="a 401 for the other session",
    )
    notify.handle("members.member.restored", {"member_id": "m-sess"})
    wait_for(
        lambda: notify.client.get(url, headers=other).status_code == 200,
        what="a 200 for the other session",
    )
    notify.handle("members.member.deleted", {"member_id": "m-sess"})
    wait_for(
        lambda: notify.client.get(url, headers=other).status_code == 401,
        what="a 401 for the other session",
    )


def test_the_verified_flag_follows_what_members_says(notify):
    notify.member("m-name", "name@example.org")
    notify.handle(
        "members.member.contact_changed",
        {  # a new name: the address stays verified
            "member_id": "m-name",
            "email": "name@example.org",
            "display_name": "New Name",
            "phone": None,
            "language": "en",
            "email_verified": True,
        },
    )
    notify.member("m-addr", "addr@example.org")
    notify.handle(
        "members.member.contact_changed",
        {
            "member_id": "m-addr",
            "email": "addr2@example.org",
            "display_name": "Addr",
            "phone": None,
            "language": "en",
            "email_verified": False,
        },
    )
    notify.poll_opened("Who is verified")
    notify.email.drain()
    assert sorted(r.rcpt_tos[0] for r in notify.sink.received) == ["name@example.org"]
