"""notify's pure pieces: numbers, segments, SMTP URLs, tokens, templates, rate limits."""

from __future__ import annotations

import pytest

from services.common.config import ConfigError
from services.notify import links
from services.notify.delivery import RateLimiter
from services.notify.i18n import LANGUAGES, category_label, language_of
from services.notify.mail import SmtpConfig, message_id
from services.notify.render import KINDS, render_email, render_sms
from services.notify.sms import count_segments, is_e164, normalise_phone
from tests.support.mail_contexts import CONTEXT, KIND_CONTEXT

SECRET = "unit-test-secret-key-0123"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+34 600 123 456", "+34600123456"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("0044 7700 900123", "+447700900123"),
        ("600123456", None),  # no country: not E.164
        ("+0123456789", None),  # country codes never start with 0
        ("+1234567890123456", None),  # more than 15 digits
        ("+12a4567890", None),
        (None, None),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw, expected):
    assert normalise_phone(raw) == expected
    if expected:
        assert is_e164(expected)


@pytest.mark.parametrize(
    "body, encoding, units, segments",
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters cost two septets
        ("[" * 81, "GSM-7", 162, 2),
        ("ó" * 70, "UCS-2", 70, 1),
        ("ó" * 71, "UCS-2", 71, 2),
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
        ("😀" * 36, "UCS-2", 72, 2),
        ("ó" * 134, "UCS-2", 134, 2),
        ("ó" * 135, "UCS-2", 135, 3),
    ],
)
def test_segments_follow_gsm7_and_ucs2_limits(body, encoding, units, segments):
    counted = count_segments(body)
    assert (counted.encoding, counted.units, counted.segments) == (encoding, units, segments)


def test_smtp_urls():
    plain = SmtpConfig.from_url("smtp://127.0.0.1:2525")
    assert (plain.scheme, plain.host, plain.port, plain.username) == (
        "smtp",
        "127.0.0.1",
        2525,
        None,
    )
    tls = SmtpConfig.from_url("smtp+starttls://user%40x:p%3Ass@mail.example.org")
    assert (tls.port, tls.username, tls.password) == (587, "user@x", "p:ss")
    assert "p:ss" not in tls.redacted()
    assert SmtpConfig.from_url("smtps://mail.example.org").port == 465
    with pytest.raises(ConfigError, match="SMTP_URL scheme"):
        SmtpConfig.from_url("http://mail.example.org")
    with pytest.raises(ConfigError, match="SMTP_URL must name a host"):
        SmtpConfig.from_url("smtp://")


def test_message_id_is_stable_per_delivery():
    first = message_id("5b0c-1", "m-1", "example.org")
    assert first == message_id("5b0c-1", "m-1", "example.org")
    assert first != message_id("5b0c-1", "m-2", "example.org")
    assert first.startswith("<") and first.endswith("@example.org>")


def test_unsubscribe_tokens_are_signed():
    url = links.unsubscribe_url("https://councils.example/", SECRET, "m-1", "polls")
    assert url.startswith("https://councils.example/api/v1/unsubscribe/")
    token = url.rsplit("/", 1)[1]
    assert links.read_unsubscribe_token(SECRET, token) == ("m-1", "polls")
    with pytest.raises(links.BadToken):
        links.read_unsubscribe_token("another-secret-key-0123", token)
    with pytest.raises(links.BadToken):
        links.read_unsubscribe_token(SECRET, token[:-2] + "xx")


def test_unsubscribe_links_sent_before_a_secret_rotation_keep_working():
    token = links.unsubscribe_token(SECRET, "m-1", "polls")
    rotated = ("a-newer-secret-key-0123", SECRET)  # SECRET_KEY, then SECRET_KEY_PREVIOUS
    assert links.read_unsubscribe_token(rotated, token) == ("m-1", "polls")
    with pytest.raises(links.BadToken):  # once the old secret is dropped, so are its links
        links.read_unsubscribe_token(rotated[:1], token)


def test_languages():
    assert language_of("es-AR") == "es"
    assert language_of("FR_ca") == "fr"
    assert language_of("de") == "en"
    assert language_of(None) == "en"
    assert set(LANGUAGES) >= {"en", "es", "fr"}


RECALL_STEPS = ("petition_opened", "threshold_reached", "vote_opened", "decided", "expired")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_template_renders_in_every_language(kind, language):
    context = {**CONTEXT, **KIND_CONTEXT.get(kind, {})}
    rendered = render_email(
        kind, language, "polls", context, name="Zoé", unsubscribe_url="https://x/u"
    )
    assert rendered.subject and "\n" not in rendered.subject
    assert "Zoé" in rendered.text and "https://x/u" in rendered.html
    assert "<b>" not in rendered.html  # escaped
    assert render_sms(kind, language, "polls", context, name="Zoé")


@pytest.mark.parametrize("step", RECALL_STEPS)
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_recall_step_renders_translated(step, language):
    context = {**CONTEXT, **KIND_CONTEXT["recall"], "step": step}
    rendered = render_email(
        "recall", language, "recall", context, name="Zoé", unsubscribe_url="https://x/u"
    )
    english = render_email(
        "recall", "en", "recall", context, name="Zoé", unsubscribe_url="https://x/u"
    )
    assert "Ada" in rendered.subject and "<b>" not in rendered.html
    assert "https://x/r/p1" in rendered.text or step == "vote_opened"
    if language != "en":  # every string of every step has its translation
        assert rendered.subject != english.subject
        body = rendered.text.split("\n\n")[1]
        assert body not in english.text, body
    sms = render_sms("recall", language, "recall", context, name="Zoé")
    assert sms and (
        language == "en" or sms != render_sms("recall", "en", "recall", context, name="Zoé")
    )


@pytest.mark.parametrize(
    ("step", "reason"),
    [("opened", ""), ("filled", ""), ("needed", "no_candidates"), ("needed", "term_over")],
)
@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_by_election_notice_renders_translated(step, reason, language):
    context = {**CONTEXT, **KIND_CONTEXT["by_election"], "step": step, "reason": reason}
    rendered = render_email(
        "by_election", language, "recall", context, name="Zoé", unsubscribe_url="https://x/u"
    )
    english = render_email(
        "by_election", "en", "recall", context, name="Zoé", unsubscribe_url="https://x/u"
    )
    assert "Leeds" in rendered.subject and "<b>" not in rendered.html
    assert rendered.subject != english.subject
    body = rendered.text.split("\n\n")[1]
    assert body not in english.text, body
    sms = render_sms("by_election", language, "recall", context, name="Zoé")
    assert sms != render_sms("by_election", "en", "recall", context, name="Zoé")


def test_category_labels_come_from_the_catalogue():
    # (placeholders and completeness of every .po: tests/unit/common/test_translations.py)
    assert category_label("fr", "polls") == "annonces de scrutins"
    assert category_label("es", "polls") == "anuncios de votaciones"
    assert category_label("en", "polls") == "poll announcements"
    assert category_label("fr", "unknown") == "unknown"


def test_rate_limiter_spaces_sends():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(10, clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        limiter.acquire()
    assert now[0] == pytest.approx(2.0, abs=0.15)  # 10 at once, then 20 at 10 per second
    unlimited = RateLimiter(0, clock=lambda: 0.0, sleep=sleep)
    before = len(slept)
    for _ in range(100):
        unlimited.acquire()
    assert len(slept) == before


def test_mail_dates_and_plurals_in_the_members_language():
    context = {
        **CONTEXT,
        **KIND_CONTEXT["recall"],
        "step": "petition_opened",
        "expires_at": "2030-01-02 18:00 UTC",
        "threshold": 1,
    }
    french = render_email("recall", "fr", "recall", context, name="Zoé", unsubscribe_url=None)
    assert "Il lui faut 1 signature avant le 2 janv. 2030, 18:00 UTC." in french.text
    assert "Il lui faut 1 signature avant le 2 janv. 2030, 18:00 UTC." in french.html
    spanish = render_email(
        "recall", "es", "recall", {**context, "threshold": 5}, name="Zoé", unsubscribe_url=None
    )
    assert "Necesita 5 firmas antes del 2 ene 2030, 18:00 UTC." in spanish.text
    english = render_email(
        "recall",
        "en",
        "recall",
        {**context, "expires_at": "2030-01-02T18:00:00Z"},
        name="Zoé",
        unsubscribe_url=None,
    )
    assert "It needs 1 signature by Jan 2, 2030, 6:00\u202fPM UTC." in english.text
