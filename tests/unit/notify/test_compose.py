"""The bulk composer gives byte for byte what `build_email` + `to_wire` give, only faster."""

from __future__ import annotations

import email
import email.policy
import email.quoprimime
import random
import string

import pytest

from services.notify.compose import Composer, _qp_line

NEWSLETTER = {
    "subject": "News",
    "body": "Hello.\n\nMore, with a long line " + "x" * 90,
    "translations": {"es": {"subject": "Noticias ñ", "body": "Hola ñ\n\nAdiós."}},
}
POLL = {
    "poll_id": "p-1",
    "title": "Convention date ü",
    "closes_at": "2030-01-02 18:00 UTC",
    "poll_url": "http://127.0.0.1:8080/polls/p-1",
    "results_url": "http://127.0.0.1:8080/polls/p-1#results-h",
}
NAMES = [
    "",
    "Ada",
    "Zoë Ñúñez",
    "O'Brien & <Sons>",
    "a  b",
    " lead",
    "x" * 300,
    "Ünïcode " * 30,
    'Quote "me", please',
    "=?utf-8?q?x?=",
    "Tab\there",
    "€" * 40,
]


def test_quoted_printable_line_by_line_is_the_whole_body_encoding():
    rng = random.Random(7)
    alphabet = string.printable.replace("\n", "").replace("\r", "") + "éü€ \t=."
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        expected = email.quoprimime.body_encode(line.encode().decode("latin-1"), eol="\r\n")
        assert _qp_line(line) == expected


@pytest.mark.parametrize(
    ("kind", "context", "category"),
    [
        ("newsletter", NEWSLETTER, "newsletters"),
        ("poll_opened", POLL, "polls"),
        ("poll_closing_soon", POLL, "reminders"),
        ("poll_closed", POLL, "results"),
        (
            "verification",
            {"verify_url": "http://127.0.0.1:8080/api/v1/auth/verify?token=a&b"},
            "account",
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "es", "fr", "xx", None])
def test_fast_bytes_equal_the_slow_path(kind, context, category, language):
    composer = Composer("Councils <councils@example.org>")
    composer.date = lambda: "Mon, 23 Nov 2026 06:00:00 +0000"  # no second ticking over
    for i, name in enumerate(NAMES):
        address, mid = f"m{i}@example.org", f"<councils.{i}@example.org>"
        url = f"http://127.0.0.1:8080/api/v1/unsubscribe/tok{i}.a-_b?x=1&y=2"
        fast = composer.compose(
            kind=kind,
            language=language,
            category=category,
            context=context,
            notification_id="n-1",
            name=name,
            to_address=address,
            message_id_value=mid,
            unsubscribe_url=url,
            bulk=kind != "verification",
        )
        [skeleton] = composer._cache.values()
        assert skeleton is not None and skeleton.usable
        slow = composer.slow(
            kind,
            language,
            category,
            context,
            name,
            address,
            mid,
            url,
            kind != "verification",
            skeleton.boundary,
            composer.date(),
        )
        assert fast == slow, name
    parsed = email.message_from_bytes(fast, policy=email.policy.default)
    assert parsed["Message-ID"] == mid and parsed["To"].addresses[0].addr_spec == address
    text, html = (part.get_content() for part in parsed.iter_parts())
    # the body links to the web page; the header keeps the one-click address (RFC 8058)
    page = url.replace("/api/v1/unsubscribe/", "/unsubscribe/")
    assert page in text and page.replace("&", "&amp;") in html and url not in text
    assert parsed["List-Unsubscribe"] == f"<{url}>"


def test_a_template_that_transforms_the_name_falls_back_to_the_slow_path(monkeypatch):
    from services.notify import compose

    real = compose.render_email

    def shouting(*args, name, **kwargs):
        return real(*args, name=name.upper(), **kwargs)

    monkeypatch.setattr(compose, "render_email", shouting)
    composer = Composer("Councils <councils@example.org>")
    data = composer.compose(
        kind="newsletter",
        language="en",
        category="newsletters",
        context=NEWSLETTER,
        notification_id="n-2",
        name="Ada",
        to_address="a@example.org",
        message_id_value="<i@example.org>",
        unsubscribe_url="http://u/x",
        bulk=True,
    )
    assert b"Hello ADA," in data and b"QxNAME" not in data.upper()
    [skeleton] = composer._cache.values()
    assert skeleton is None or not skeleton.usable


def test_unsubscribe_tokens_are_what_itsdangerous_writes_and_reads():
    from services.notify import links

    secret = "test-secret-key-not-for-production"
    serializer = links._serializer(secret)
    for member in ("m-1", "6f1c2b9e-8a53-4a8e-9b44-0c7f3b1d2e10", "Zoë", "a" * 80):
        token = links.unsubscribe_token(secret, member, "newsletters")
        assert links.read_unsubscribe_token(secret, token) == (member, "newsletters")
        assert serializer.loads(token) == {"m": member, "c": "newsletters"}
    # Short payloads never compress, so the token is byte for byte itsdangerous' own.
    member = "6f1c2b9e-8a53-4a8e-9b44-0c7f3b1d2e10"
    assert links.unsubscribe_token(secret, member, "polls") == serializer.dumps(
        {"m": member, "c": "polls"}
    )
    # Tokens written by itsdangerous itself (compressed or not) keep working.
    old = serializer.dumps({"m": "a" * 80, "c": "all"})
    assert old.startswith(".") and links.read_unsubscribe_token(secret, old) == ("a" * 80, "all")
