"""Bad text in and bad rows out: control characters are 422 naming the field, and a bad row
never blocks a mail batch — one delivery that cannot be built or sent is recorded as failed and
the rest go out (a real SMTP server: aiosmtpd on loopback)."""

from __future__ import annotations

import json

import pytest

NEWSLETTER = {"subject": "News", "body": "Hello", "scope": {"type": "organisation"}}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"subject": "News\r\nBcc: everyone@example.org"}, "subject"),
        ({"subject": "News\ud800"}, "subject"),
        ({"subject": "tab\there"}, "subject"),
        ({"body": "Hello\x00"}, "body"),
        ({"body": "Hello \udfff"}, "body"),
        ({"body": "esc\x1b[2J"}, "body"),
        ({"translations": {"fr": {"subject": "Nou\nvelles", "body": "Bonjour"}}}, "subject"),
        ({"translations": {"fr": {"subject": "Nouvelles", "body": "\x07"}}}, "body"),
    ],
)
def test_newsletter_text_refuses_control_characters(notify, change, field):
    response = notify.client.post(
        "/api/v1/newsletters",
        json={**NEWSLETTER, **change},
        headers=notify.token("admin", admin=True),
    )
    assert response.status_code == 422, response.json
    assert field in json.dumps(response.json["error"]["fields"])
    assert (
        notify.client.get("/api/v1/newsletters", headers=notify.token("admin", admin=True)).json
        == []
    )


def test_newsletter_body_keeps_its_lines_as_lf(notify):
    admin = notify.token("admin", admin=True)
    created = notify.client.post(
        "/api/v1/newsletters", headers=admin, json={**NEWSLETTER, "body": "One\r\nTwo\rThree"}
    )
    assert created.status_code in (201, 202), created.json
    with notify.runtime.db.transaction() as cur:
        cur.execute("SELECT body FROM newsletters")
        assert [r["body"] for r in cur.fetchall()] == ["One\nTwo\nThree"]


def test_one_unsendable_contact_does_not_block_the_batch(notify):
    notify.member("m-a", "a@example.org")
    notify.member("m-idn", "jösé@example.org")  # no SMTPUTF8 on this server
    notify.member("m-b", "b@example.org")
    notify.member("m-c", "c@example.org", name="Eve\r\nBcc: victim@example.org")
    notify.member("m-d", "d@example.org", name="Dee")
    notify.poll_opened("Budget")
    notify.email.drain()
    rows = {r["member_id"]: r for r in notify.deliveries("email")}
    assert rows["m-idn"]["status"] == "failed", rows["m-idn"]
    assert "UnicodeEncodeError" in rows["m-idn"]["last_error"], rows["m-idn"]
    for member in ("m-a", "m-b", "m-c", "m-d"):
        assert rows[member]["status"] == "sent", rows[member]
    sent = {address for r in notify.sink.received for address in r.rcpt_tos}
    assert sent == {"a@example.org", "b@example.org", "c@example.org", "d@example.org"}
    (to_c,) = notify.sink.to("c@example.org")
    assert to_c.message["Bcc"] is None and "victim" not in to_c.message["To"].split("<")[-1]


def test_the_connection_is_reused_cleanly_after_an_unsendable_row(notify):
    """After a failure mid-message (MAIL FROM accepted, RCPT never sent) the next message on the
    same connection is not refused with 'nested MAIL command'."""
    for n in range(3):
        notify.member(f"m-{n}", f"ok{n}@example.org")
        notify.member(f"m-x{n}", f"ünï{n}@example.org")
    notify.poll_opened("Again")
    notify.email.drain()
    statuses = {r["member_id"]: r["status"] for r in notify.deliveries("email")}
    assert statuses == {
        **{f"m-{n}": "sent" for n in range(3)},
        **{f"m-x{n}": "failed" for n in range(3)},
    }
    assert len(notify.sink.received) == 3


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"subject": "s", "body": "b", "scope": ' + '{"a":' * 1500 + "1" + "}" * 1501,
    ],
)
def test_json_nested_too_deep_is_400_too_deep(notify, body):
    response = notify.client.post(
        "/api/v1/newsletters",
        data=body,
        content_type="application/json",
        headers=notify.token("admin", admin=True),
    )
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.json["error"]["code"] == "too_deep"


def test_unstorable_text_in_a_free_form_field_is_422_naming_where(notify):
    response = notify.client.post(
        "/api/v1/newsletters",
        headers=notify.token("admin", admin=True),
        json={**NEWSLETTER, "scope": {"type": "chapter", "id": "x\x00"}},
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "scope.id" in response.json["error"]["fields"]
