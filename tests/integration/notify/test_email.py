"""Email through a real SMTP server (aiosmtpd on loopback), from events to exact messages."""

from __future__ import annotations

import email
import re

from services.notify.delivery import Sender
from tests.integration.notify.conftest import SmtpSink
from tests.support.wait import wait_for

PUBLIC = "http://127.0.0.1:8080"


def _parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text"
    }


def test_verification_mail_is_multipart_in_the_members_language(notify):
    from services.common.sealing import seal

    sealed = seal(notify.runtime.settings.secret_key, "verify_email", "tok/en+1")
    notify.handle(
        "members.member.registered",
        {
            "member_id": "m-ana",
            "email": "ana@example.org",
            "display_name": "Ana Ruiz",
            "country": "ES",
            "language": "es-ES",
            "status": "pending",
            "verification_token": None,
            "verification_sealed": sealed,
        },
    )
    with notify.runtime.db.transaction() as cur:  # only the sealed form rests in the table
        cur.execute("SELECT context, context::text AS text FROM notifications")
        [stored] = cur.fetchall()
    assert stored["context"] == {
        "to": "ana@example.org",
        "purpose": "verify_email",
        "sealed_token": sealed,
    }
    assert "tok/en+1" not in stored["text"]
    notify.email.drain()

    [received] = notify.sink.received
    assert received.rcpt_tos == ["ana@example.org"]
    assert received.mail_from == "councils@example.org"
    message = received.message
    assert message["To"] == "Ana Ruiz <ana@example.org>"
    assert message["From"] == "Councils <councils@example.org>"
    assert message["Subject"] == "Confirma tu dirección de correo"
    assert message["Content-Language"] == "es"
    assert re.fullmatch(r"<councils\.[0-9a-f]{32}@example\.org>", message["Message-ID"])
    assert message["List-Unsubscribe"].startswith(f"<{PUBLIC}/api/v1/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    link = f"{PUBLIC}/verify?token=tok%2Fen%2B1"
    assert link in parts["text/plain"] and link in parts["text/html"]
    assert "Hola Ana Ruiz:" in parts["text/plain"]
    assert '<html lang="es">' in parts["text/html"]

    [row] = notify.deliveries()
    assert (row["status"], row["attempts"], row["kind"]) == ("sent", 1, "verification")
    assert row["message_id"] == message["Message-ID"]
    with notify.runtime.db.transaction() as cur:  # sent: even the sealed token is forgotten
        cur.execute("SELECT context FROM notifications")
        assert [r["context"] for r in cur.fetchall()] == [
            {"to": "ana@example.org", "purpose": "verify_email"}
        ]


def test_unknown_language_falls_back_to_english(notify):
    notify.handle(
        "members.member.registered",
        {
            "member_id": "m-kai",
            "email": "kai@example.org",
            "display_name": "Kai",
            "country": "DE",
            "language": "de",
            "status": "pending",
            "verification_token": "t",
        },
    )
    notify.email.drain()
    message = notify.sink.to("kai@example.org")[0].message
    assert message["Subject"] == "Confirm your email address"
    assert message["Content-Language"] == "en"


def test_poll_announcement_respects_preferences_status_and_unsubscribe(notify):
    notify.member("m-a", "a@example.org", language="fr")
    notify.member("m-b", "b@example.org")
    notify.member("m-pending", "pending@example.org", active=False)
    opted_out = notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"polls": {"email": False}}},
        headers=notify.token("m-b"),
    )
    assert opted_out.status_code == 200

    notify.poll_opened("Budget <2026>")
    notify.email.drain()

    [received] = notify.sink.received
    assert received.rcpt_tos == ["a@example.org"]
    message = received.message
    assert message["Subject"] == "Nouveau scrutin : Budget <2026>"
    assert message["Precedence"] == "bulk"
    parts = _parts(message)
    assert "Budget <2026>" in parts["text/plain"]
    assert "Budget &lt;2026&gt;" in parts["text/html"]  # escaped in HTML
    assert "2 janv. 2030, 18:00 UTC" in parts["text/plain"]  # the date in French

    # One click, no login: the URL of the header, POSTed as RFC 8058 says. Read as a plain
    # (compat32) parser sees it: no encoded words, one <https?://...> URL.
    raw_header = email.message_from_bytes(received.data)["List-Unsubscribe"]
    [url] = re.findall(r"<(https?://[^>]+)>", raw_header)
    path = url.removeprefix(PUBLIC)
    before = notify.client.get(path)
    assert before.status_code == 200 and before.json == {"category": "polls", "subscribed": True}
    answer = notify.client.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200 and answer.json["subscribed"] is False
    prefs = notify.client.get("/api/v1/notifications/preferences", headers=notify.token("m-a")).json
    assert prefs["categories"]["polls"] == {"email": False, "sms": False}
    assert prefs["categories"]["results"] == {"email": True, "sms": False}

    notify.poll_opened("Second poll")
    notify.email.drain()
    assert len(notify.sink.received) == 1


def test_unsubscribe_after_fan_out_skips_the_pending_mail(notify):
    notify.member("m-late", "late-opt-out@example.org")
    notify.poll_opened("Poll")
    notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"polls": {"email": False}}},
        headers=notify.token("m-late"),
    )
    notify.email.drain()
    assert notify.sink.received == []
    [row] = notify.deliveries("email")
    assert row["status"] == "skipped" and "turned email off" in row["last_error"]


def test_chapter_scope_includes_sub_chapters_only(notify):
    notify.member("m-city", "city@example.org")
    notify.member("m-region", "region@example.org")
    notify.member("m-other", "other@example.org")
    notify.handle(
        "members.membership.joined",
        {"member_id": "m-city", "chapter_id": "c-city", "ancestors": ["c-region"]},
    )
    notify.handle(
        "members.membership.joined",
        {"member_id": "m-region", "chapter_id": "c-region", "ancestors": []},
    )
    notify.handle(
        "members.membership.joined",
        {"member_id": "m-other", "chapter_id": "c-else", "ancestors": []},
    )

    notify.poll_opened("Regional", {"type": "chapter", "id": "c-region"})
    notify.poll_opened("City", {"type": "chapter", "id": "c-city"})
    notify.email.drain()
    got = sorted((r.rcpt_tos[0], r.message["Subject"]) for r in notify.sink.received)
    assert got == [
        ("city@example.org", "New poll: City"),
        ("city@example.org", "New poll: Regional"),
        ("region@example.org", "New poll: Regional"),
    ]

    notify.handle(
        "members.membership.left",
        {"member_id": "m-city", "chapter_id": "c-city", "ancestors": ["c-region"]},
    )
    notify.poll_opened("Regional again", {"type": "chapter", "id": "c-region"})
    notify.email.drain()
    assert [r.rcpt_tos[0] for r in notify.sink.received[3:]] == ["region@example.org"]


def test_redelivered_event_makes_one_delivery(notify):
    notify.member("m-once", "once@example.org")
    event = notify.poll_opened("Only once")
    notify.handle(event["type"], {}, event=event)
    notify.handle(event["type"], {}, event=event)
    notify.email.drain()
    assert len(notify.deliveries("email")) == 1
    assert len(notify.sink.received) == 1


def test_resent_delivery_keeps_its_message_id(notify):
    """After a crash between sending and recording, the copy carries the same Message-ID."""
    notify.member("m-crash", "crash@example.org")
    notify.poll_opened("Crash")
    notify.email.drain()
    with notify.runtime.db.transaction() as cur:
        cur.execute("UPDATE deliveries SET status = 'pending', sent_at = NULL")
    notify.email.drain()
    first, second = notify.sink.received
    assert first.message["Message-ID"] == second.message["Message-ID"]


def test_smtp_down_then_back_delivers(notify):
    port = notify.sink.port
    notify.sink.stop()
    notify.member("m-wait", "wait@example.org")
    notify.member("m-wait2", "wait2@example.org")
    notify.poll_opened("While down")
    notify.email.drain()
    rows = notify.deliveries("email")
    assert [r["status"] for r in rows] == ["pending", "pending"]
    assert all(r["attempts"] == 1 and "cannot reach" in r["last_error"] for r in rows)

    sink = SmtpSink(port).start()
    try:

        def both_delivered() -> bool:
            notify.email.send_batch()
            return len(sink.received) >= 2

        wait_for(both_delivered, 5, "the two held mails to reach the sink")
        assert sorted(r.rcpt_tos[0] for r in sink.received) == [
            "wait2@example.org",
            "wait@example.org",
        ]
        assert [r["status"] for r in notify.deliveries("email")] == ["sent", "sent"]
    finally:
        sink.stop()


def test_permanent_rejection_is_recorded_and_not_retried(notify):
    notify.member("m-bounce", "bounce@example.org")
    notify.member("m-later", "later@example.org")
    notify.member("m-fine", "fine@example.org")
    notify.poll_opened("Rejections")
    notify.email.drain()
    rows = {r["member_id"]: r for r in notify.deliveries("email")}
    assert rows["m-bounce"]["status"] == "failed"
    assert rows["m-bounce"]["last_error"].startswith("550")
    assert rows["m-later"]["status"] == "pending" and rows["m-later"]["last_error"][:3] == "451"
    assert rows["m-fine"]["status"] == "sent"

    def none_pending() -> bool:  # the 4xx one is retried until it gives up (5 attempts)
        notify.email.send_batch()
        return all(r["status"] != "pending" for r in notify.deliveries("email"))

    wait_for(none_pending, 5, "the 4xx mail to be retried until it gives up")
    rows = {r["member_id"]: r for r in notify.deliveries("email")}
    assert rows["m-bounce"]["attempts"] == 1  # never tried again
    assert rows["m-later"]["status"] == "failed" and rows["m-later"]["attempts"] == 5
    assert [r.rcpt_tos for r in notify.sink.received] == [["fine@example.org"]]


def test_deleted_member_is_forgotten_and_pending_mail_skipped(notify):
    notify.member("m-gone", "gone@example.org")
    notify.poll_opened("Before deletion")
    notify.handle("members.member.deleted", {"member_id": "m-gone"})
    notify.handle("members.member.activated", {"member_id": "m-gone"})  # late: no revival
    notify.email.drain()
    assert notify.sink.received == []
    assert notify.deliveries("email")[0]["status"] == "skipped"


def test_require_verified_setting_gates_non_account_mail(fresh_database_url, smtp_sink):
    from tests.integration.notify.conftest import FAST, World
    from tests.support.runtime import make_runtime

    runtime = make_runtime(
        "notify",
        fresh_database_url,
        SMTP_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
        NOTIFY_REQUIRE_VERIFIED="true",
        **FAST,
    )
    world = World(runtime, smtp_sink, None)
    try:
        world.member("m-unv", "unverified@example.org", verified=False)
        world.member("m-ver", "verified@example.org", verified=False)
        world.handle("members.member.verified", {"member_id": "m-ver"})
        world.poll_opened("Verified only")
        world.email.drain()
        assert [r.rcpt_tos for r in smtp_sink.received] == [["verified@example.org"]]
    finally:
        world.close()


def test_file_outbox_without_smtp_url(fresh_database_url, tmp_path):
    from tests.integration.notify.conftest import FAST
    from tests.support.runtime import make_runtime

    runtime = make_runtime("notify", fresh_database_url, MAIL_DIR=str(tmp_path / "mail"), **FAST)
    try:
        from services.common.bus.envelope import make_event
        from services.notify.context import build_context
        from services.notify.handlers import CONTACTS_AND_ANNOUNCEMENTS

        ctx = build_context(runtime)
        handlers = CONTACTS_AND_ANNOUNCEMENTS.bind(ctx)

        with runtime.db.transaction() as cur:
            handlers["members.member.registered"](
                cur,
                make_event(
                    "members.member.registered",
                    {
                        "member_id": "m-file",
                        "email": "file@example.org",
                        "display_name": "F",
                        "country": "FR",
                        "language": "fr",
                        "status": "pending",
                        "verification_token": "abc",
                    },
                    "members",
                ),
            )
        sender = Sender(ctx, "email")
        assert "mail" in sender.gateway.describe()
        sender.drain()
        [path] = list((tmp_path / "mail").glob("*.eml"))
        assert b"file@example.org" in path.read_bytes()
    finally:
        runtime.close()


def test_newsletter_text_part_shows_no_markdown_markers(notify):
    from services.notify.service import newsletters

    notify.member("m-1", "reader@example.org")
    body = (
        "Our **big** news: the _assembly_ meets.\n"
        "See [the agenda](https://example.org/agenda?x=1&y=2) before it.\n\n"
        "Second paragraph, snake_case_name kept, *one* more."
    )
    created = notify.client.post(
        "/api/v1/newsletters",
        headers=notify.token("admin", admin=True),
        json={"subject": "News", "body": body, "scope": {"type": "organisation"}},
    )
    assert created.status_code == 202
    newsletters.fan_out_newsletters(notify.ctx)
    notify.email.drain()

    [received] = notify.sink.received
    parts = _parts(received.message)
    text = parts["text/plain"].replace("\r\n", "\n")
    assert (
        "Our big news: the assembly meets.\n"
        "See the agenda <https://example.org/agenda?x=1&y=2> before it.\n\n"
        "Second paragraph, snake_case_name kept, one more.\n"
    ) in text
    assert not any(marker in text for marker in ("**", "_assembly_", "*one*", "]("))
    html = parts["text/html"]
    assert "Our <strong>big</strong> news: the <em>assembly</em> meets." in html
    assert '<a href="https://example.org/agenda?x=1&amp;y=2">the agenda</a>' in html
    assert "<p>Second paragraph, snake_case_name kept, <em>one</em> more.</p>" in html


def test_results_mail_of_an_uncontested_election_says_elected_unopposed(notify):
    notify.member("m-1", "reader@example.org")
    notify.member("m-2", "lecteur@example.org", language="fr")
    election = {"chapter_id": "c-1", "seats": 2, "uncontested": True, "elected": ["a", "b"]}
    notify.handle(
        "polls.poll.closed",
        {
            "poll_id": "poll-unopposed",
            "title": "Delegates of Lyon",
            "scope": {"type": "organisation"},
            "purpose": "delegate_election",
            "election": {**election, "elected_names": ["Ana Ruiz", "Ben Ode"]},
        },
    )
    notify.email.drain()
    by_address = {r.rcpt_tos[0]: _parts(r.message) for r in notify.sink.received}
    english = by_address["reader@example.org"]
    said = (
        '"Delegates of Lyon": elected unopposed, without a vote (no more candidates than '
        "seats): Ana Ruiz and Ben Ode."
    )
    assert said in english["text/plain"] and "is closed" not in english["text/plain"]
    assert "Ana Ruiz and Ben Ode" in english["text/html"]
    assert "Ana Ruiz et Ben Ode" in by_address["lecteur@example.org"]["text/plain"]
