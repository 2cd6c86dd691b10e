"""notify's HTTP API: preferences, delivery log, figures, unsubscribe pages, newsletters."""

from __future__ import annotations

from collections import Counter

import pytest

from services.notify import links
from services.notify.delivery import Policy, Sender
from services.notify.service import newsletters
from tests.support.crashing import Crash, CrashingGateway


def test_preferences_need_login_and_known_categories(notify):
    assert notify.client.get("/api/v1/notifications/preferences").status_code == 401
    me = notify.token("m-prefs")
    answer = notify.client.get("/api/v1/notifications/preferences", headers=me)
    assert answer.status_code == 200
    assert answer.json["categories"]["newsletters"] == {"email": True, "sms": False}
    bad = notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"gossip": {"email": False}}},
        headers=me,
    )
    assert bad.status_code == 422 and bad.json["error"]["code"] == "validation_failed"
    wrong_type = notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"polls": {"email": "maybe"}}},
        headers=me,
    )
    assert wrong_type.status_code == 422
    changed = notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"events": {"sms": True}, "polls": {"email": False}}},
        headers=me,
    )
    assert changed.json["categories"]["events"] == {"email": True, "sms": True}
    assert changed.json["categories"]["polls"] == {"email": False, "sms": False}


def test_delivery_log_is_per_member_and_stats_are_for_admins(notify):
    notify.member("m-log", "log@example.org")
    notify.member("m-bounce", "bounce@example.org")
    notify.poll_opened("Logged poll")
    notify.email.drain()
    mine = notify.client.get("/api/v1/notifications/deliveries", headers=notify.token("m-log"))
    assert mine.status_code == 200
    [item] = mine.json["items"]
    assert (item["kind"], item["channel"], item["status"]) == ("poll_opened", "email", "sent")
    assert item["address"] == "log@example.org"
    theirs = notify.client.get(
        "/api/v1/notifications/deliveries", headers=notify.token("m-bounce")
    ).json["items"]
    assert theirs[0]["status"] == "failed" and theirs[0]["last_error"].startswith("550")

    assert (
        notify.client.get("/api/v1/notifications/stats", headers=notify.token("m-log")).status_code
        == 403
    )
    stats = notify.client.get(
        "/api/v1/notifications/stats", headers=notify.token("admin", admin=True)
    ).json
    assert stats["totals"] == {"sent": 1, "failed": 1}
    assert stats["by_category"]["polls"] == {"sent": 1, "failed": 1}
    assert stats["contacts"]["active"] == 2


def test_unsubscribe_pages(notify):
    secret = notify.runtime.settings.secret_key
    assert notify.client.post("/api/v1/unsubscribe/not-a-token").status_code == 404
    forged = links.unsubscribe_token("another-secret-key-of-16+", "m-x", "polls")
    assert notify.client.post(f"/api/v1/unsubscribe/{forged}").status_code == 404
    token = links.unsubscribe_token(secret, "m-x", "all")
    page = notify.client.get(f"/api/v1/unsubscribe/{token}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b"<form method='post'>" in page.data
    assert notify.client.post(f"/api/v1/unsubscribe/{token}").status_code == 200
    prefs = notify.client.get(
        "/api/v1/notifications/preferences", headers=notify.token("m-x")
    ).json["categories"]
    assert all(not choice["email"] for choice in prefs.values())


def test_newsletter_needs_an_admin_and_a_valid_scope(notify):
    body = {"subject": "News", "body": "Hello", "scope": {"type": "organisation"}}
    assert (
        notify.client.post(
            "/api/v1/newsletters", json=body, headers=notify.token("m-1")
        ).status_code
        == 403
    )
    admin = notify.token("admin", admin=True)
    bad = notify.client.post(
        "/api/v1/newsletters", json={**body, "scope": {"type": "chapter"}}, headers=admin
    )
    assert bad.status_code == 422
    bad_lang = notify.client.post(
        "/api/v1/newsletters",
        json={**body, "translations": {"xx": {"subject": "s", "body": "b"}}},
        headers=admin,
    )
    assert bad_lang.status_code == 422


def test_newsletter_in_batches_resumes_after_a_crash_without_losing_anyone(notify):
    members = [f"m-{i:02d}" for i in range(30)]
    for i, member in enumerate(members):
        notify.member(member, f"reader{i:02d}@example.org", language="es" if i % 2 else "en")
    notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"newsletters": {"email": False}}},
        headers=notify.token("m-29"),
    )
    admin = notify.token("admin", admin=True)
    created = notify.client.post(
        "/api/v1/newsletters",
        headers=admin,
        json={
            "subject": "Monthly news",
            "body": "First paragraph.\n\nSecond paragraph.",
            "translations": {"es": {"subject": "Noticias del mes", "body": "Primer párrafo."}},
            "scope": {"type": "organisation"},
        },
    )
    assert created.status_code == 202 and created.json["status"] == "queued"
    newsletter_id = created.json["id"]

    assert newsletters.fan_out_newsletters(notify.ctx) == 1
    assert newsletters.fan_out_newsletters(notify.ctx) == 0  # never fanned out twice
    policy = Policy(batch_size=10, retry_base_s=0.05)
    first = Sender(notify.ctx, "email", policy=policy)
    first.send_batch()  # batch 1 recorded
    first.gateway = CrashingGateway(first.gateway, after=4)
    with pytest.raises(Crash):
        first.send_batch()  # batch 2 killed after 4 sends: nothing recorded
    Sender(notify.ctx, "email", policy=policy).drain()

    received = notify.sink.received
    per_address = Counter(r.rcpt_tos[0] for r in received)
    assert set(per_address) == {f"reader{i:02d}@example.org" for i in range(29)}
    assert sum(per_address.values()) == 29 + 4  # copies only from the batch in flight
    by_address: dict[str, set] = {}
    for r in received:
        by_address.setdefault(r.rcpt_tos[0], set()).add(r.message["Message-ID"])
    assert all(len(ids) == 1 for ids in by_address.values())  # copies carry the same id
    subjects = {r.rcpt_tos[0]: r.message["Subject"] for r in received}
    assert subjects["reader00@example.org"] == "Monthly news"
    assert subjects["reader01@example.org"] == "Noticias del mes"

    figures = notify.client.get(f"/api/v1/newsletters/{newsletter_id}", headers=admin).json
    assert figures["status"] == "sent" and figures["recipients"] == 29
    assert figures["deliveries"] == {"sent": 29}
    listing = notify.client.get("/api/v1/newsletters", headers=admin).json
    assert [n["id"] for n in listing] == [newsletter_id]


def test_newsletter_preview_counts_exactly_what_the_send_delivers(notify):
    for i in range(6):
        notify.member(f"m-{i}", f"m{i}@example.org", phone=f"+34600000{i:03d}" if i < 3 else None)
    notify.member("m-unverified", "u@example.org", verified=False)
    notify.member("m-pending", "p@example.org", active=False)
    notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"newsletters": {"email": False, "sms": True}}},
        headers=notify.token("m-0"),
    )
    notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"newsletters": {"sms": True}}},
        headers=notify.token("m-1"),
    )
    admin = notify.token("admin", admin=True)
    body = {
        "subject": "News",
        "body": "Hello",
        "scope": {"type": "organisation"},
        "channels": ["email", "sms"],
    }
    assert (
        notify.client.post(
            "/api/v1/newsletters/preview", json=body, headers=notify.token("m-1")
        ).status_code
        == 403
    )
    bad = notify.client.post(
        "/api/v1/newsletters/preview", headers=admin, json={**body, "scope": {"type": "chapter"}}
    )
    assert bad.status_code == 422 and "scope" in bad.json["error"]["fields"]
    preview = notify.client.post("/api/v1/newsletters/preview", json=body, headers=admin)
    assert preview.status_code == 200
    assert notify.deliveries() == []  # nothing written
    # m-1..m-5 by email (m-0 opted out, one unverified, one pending); m-0, m-1 by SMS
    assert preview.json["recipients"] == {"email": 5, "sms": 2}
    unreachable = preview.json["unreachable"]
    assert unreachable["email"] == {"opted_out": 1, "unverified": 1}
    assert unreachable["sms"] == {"no_phone": 4, "opted_out": 1}
    assert preview.json["mail"]["subject"] == "News" and "Hello" in preview.json["mail"]["text"]
    # The mail in a chosen language: its translation, with the mail's own words translated.
    translated = {
        **body,
        "translations": {"es": {"subject": "Noticias", "body": "Hola a todos"}},
    }
    for language, subject, words in (("es", "Noticias", "Hola a todos"), ("fr", "News", "Hello")):
        shown = notify.client.post(
            "/api/v1/newsletters/preview", json={**translated, "language": language}, headers=admin
        )
        assert shown.status_code == 200, shown.json
        mail = shown.json["mail"]
        assert mail["language"] == language and mail["subject"] == subject
        assert words in mail["text"] and words in mail["html"]
    english = notify.client.post(
        "/api/v1/newsletters/preview", json={**translated, "language": "en"}, headers=admin
    ).json["mail"]
    assert english["language"] == "en" and english["text"] != mail["text"]
    wrong = notify.client.post(
        "/api/v1/newsletters/preview", json={**body, "language": "xx"}, headers=admin
    )
    assert wrong.status_code == 422 and "language" in wrong.json["error"]["fields"]

    assert notify.client.post("/api/v1/newsletters", json=body, headers=admin).status_code == 202
    newsletters.fan_out_newsletters(notify.ctx)
    assert len(notify.deliveries("email")) == preview.json["recipients"]["email"]
    assert len(notify.deliveries("sms")) == preview.json["recipients"]["sms"]


def test_newsletter_preview_reports_only_the_channels_asked_for(notify):
    notify.member("m-1", "m1@example.org", phone="+34600000001")
    notify.member("admin", "admin@example.org", language="es")
    admin = notify.token("admin", admin=True)
    preview = notify.client.post(
        "/api/v1/newsletters/preview",
        headers=admin,
        json={
            "subject": "News",
            "body": "Hello",
            "scope": {"type": "organisation"},
            "translations": {"es": {"subject": "Noticias", "body": "Hola"}},
        },
    )
    assert preview.json["recipients"] == {"email": 2, "sms": 0}
    mail = preview.json["mail"]  # in the admin's own language, through the mail template
    assert mail["language"] == "es" and mail["subject"] == "Noticias" and "Hola" in mail["text"]
    assert preview.json["unreachable"]["sms"] == {}


def test_newsletter_test_goes_only_to_the_callers_verified_address(notify):
    for i in range(3):
        notify.member(f"m-{i}", f"m{i}@example.org")
    notify.member("boss", "boss@example.org")
    notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {"newsletters": {"email": False}}},
        headers=notify.token("boss"),
    )
    body = {
        "subject": "Draft news",
        "body": "Hello",
        "translations": {"es": {"subject": "Borrador", "body": "Hola"}},
    }
    assert (
        notify.client.post(
            "/api/v1/newsletters/test", json=body, headers=notify.token("m-1")
        ).status_code
        == 403
    )
    admin = notify.token("boss", admin=True)
    sent = notify.client.post("/api/v1/newsletters/test", json=body, headers=admin)
    assert sent.status_code == 202 and sent.json == {"queued": 1}
    assert [d["member_id"] for d in notify.deliveries()] == ["boss"]
    Sender(notify.ctx, "email").drain()
    assert [r.rcpt_tos[0] for r in notify.sink.received] == ["boss@example.org"]
    assert notify.sink.received[0].message["Subject"] == "Draft news"
    listing = notify.client.get("/api/v1/newsletters", headers=admin).json
    assert listing == []  # a test is not a newsletter

    notify.member("new-admin", "na@example.org", verified=False)
    unverified = notify.client.post(
        "/api/v1/newsletters/test", json=body, headers=notify.token("new-admin", admin=True)
    )
    assert unverified.status_code == 422
    assert unverified.json["error"]["code"] == "no_verified_address"
    missing = notify.client.post("/api/v1/newsletters/test", json={"body": "x"}, headers=admin)
    assert missing.status_code == 422 and "subject" in missing.json["error"]["fields"]


def test_the_archive_lists_sent_organisation_newsletters_newest_first_paged(notify):
    notify.member("m-1", "m1@example.org")
    admin = notify.token("admin", admin=True)
    for subject, scope in (
        ("First", {"type": "organisation"}),
        ("Chapter only", {"type": "chapter", "id": "c-1"}),
        ("Second", {"type": "organisation"}),
    ):
        notify.client.post(
            "/api/v1/newsletters",
            headers=admin,
            json={
                "subject": subject,
                "body": f"{subject} text",
                "scope": scope,
                "translations": {"fr": {"subject": f"{subject} fr", "body": "Texte"}},
            },
        )
        newsletters.fan_out_newsletters(notify.ctx)
    notify.client.post(
        "/api/v1/newsletters",
        headers=admin,
        json={"subject": "Not yet sent", "body": "x", "scope": {"type": "organisation"}},
    )
    archive = notify.client.get("/api/v1/newsletters/archive")  # no login needed
    assert archive.status_code == 200
    assert [n["subject"] for n in archive.json] == ["Second", "First"]
    assert archive.json[0]["body"] == "Second text"
    assert archive.json[0]["translations"]["fr"]["subject"] == "Second fr"
    page_two = notify.client.get("/api/v1/newsletters/archive?limit=1&offset=1").json
    assert [n["subject"] for n in page_two] == ["First"]
    bad = notify.client.get("/api/v1/newsletters/archive?limit=0")
    assert bad.status_code == 422 and "limit" in bad.json["error"]["fields"]
