"""notify's settings fail fast, naming the variable; the consumed events are all catalogued."""

from __future__ import annotations

import pytest

from services.common.bus.catalogue import CATALOGUE
from services.common.config import ConfigError
from services.notify.handlers import CONTACTS_AND_ANNOUNCEMENTS
from services.notify.settings import load_settings

BASE = {"DATABASE_URL": "postgresql://nowhere/none", "SECRET_KEY": "s" * 32}


def test_defaults_without_smtp_or_sms_api():
    settings = load_settings(BASE)
    assert settings.smtp is None and settings.mail_dir == ".run/mail"
    assert settings.sms_api is None and settings.sms_dir == ".run/sms"
    assert settings.mail_envelope_from == "councils@localhost"
    assert settings.require_verified is True
    assert (settings.email_rate, settings.sms_rate, settings.batch_size) == (0.0, 10.0, 200)


def test_files_follow_the_run_directory():
    settings = load_settings({**BASE, "COUNCILS_RUN_DIR": "/srv/councils-run"})
    assert settings.mail_dir == "/srv/councils-run/mail"
    assert settings.sms_dir == "/srv/councils-run/sms"
    given = load_settings({**BASE, "COUNCILS_RUN_DIR": "/srv/r", "SMS_DIR": "/var/sms"})
    assert (given.mail_dir, given.sms_dir) == ("/srv/r/mail", "/var/sms")


def test_typed_values():
    settings = load_settings(
        {
            **BASE,
            "SMTP_URL": "smtps://u:p@mail.example.org",
            "SMTP_TIMEOUT_S": "5",
            "SMTP_TLS_VERIFY": "false",
            "SMS_API_URL": "http://127.0.0.1:9",
            "SMS_FROM": "+1555",
            "MAIL_FROM": "Org <news@example.org>",
            "NOTIFY_REQUIRE_VERIFIED": "no",
            "NOTIFY_BATCH_SIZE": "0",
            "NOTIFY_EMAIL_RATE": "2.5",
        }
    )
    assert settings.smtp is not None
    assert (settings.smtp.port, settings.smtp.timeout, settings.smtp.verify_tls) == (
        465,
        5.0,
        False,
    )
    assert settings.sms_api is not None and settings.sms_api.sender == "+1555"
    assert settings.mail_envelope_from == "news@example.org"
    assert settings.require_verified is False
    assert settings.batch_size == 1  # never zero: a sender must make progress
    assert settings.email_rate == 2.5


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMTP_URL", "http://mail.example.org"),
        ("SMTP_URL", "smtp://"),
        ("SMTP_TIMEOUT_S", "soon"),
        ("SMTP_TLS_VERIFY", "maybe"),
        ("SMS_API_URL", "twilio"),
        ("NOTIFY_REQUIRE_VERIFIED", "perhaps"),
        ("NOTIFY_BATCH_SIZE", "many"),
        ("NOTIFY_RETRY_BASE_S", "-1"),
        ("NOTIFY_EMAIL_RATE", "fast"),
        ("NOTIFY_SMS_RATE", "-2"),
        ("PUBLIC_URL", "example.org"),
    ],
)
def test_a_malformed_variable_is_named(name, value):
    env = {**BASE, name: value}
    if name == "SMTP_TIMEOUT_S" or name == "SMTP_TLS_VERIFY":
        env["SMTP_URL"] = "smtp://127.0.0.1:25"
    with pytest.raises(ConfigError, match=name):
        load_settings(env)


def test_every_consumed_event_is_catalogued():
    assert set(CONTACTS_AND_ANNOUNCEMENTS.event_types) <= set(CATALOGUE)
