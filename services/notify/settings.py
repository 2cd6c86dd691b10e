"""notify's settings: every variable it reads, typed, read once at the composition root.

Mail: `MAIL_FROM`, `MAIL_ENVELOPE_FROM`, `SMTP_URL` (`smtp://`, `smtp+starttls://`, `smtps://`;
unset: `.eml` files in `MAIL_DIR`, default `$COUNCILS_RUN_DIR/mail`), `SMTP_TIMEOUT_S`,
`SMTP_TLS_VERIFY`. SMS: `SMS_API_URL` (Twilio's Messages API; unset: lines in
`SMS_DIR/outbox.jsonl`, default `$COUNCILS_RUN_DIR/sms`; `COUNCILS_RUN_DIR` is `make run`'s
directory, `.run` unless set), `SMS_ACCOUNT_SID`, `SMS_AUTH_TOKEN`, `SMS_FROM`. Sending:
`NOTIFY_REQUIRE_VERIFIED`, `NOTIFY_BATCH_SIZE`, `NOTIFY_RETRY_BASE_S`, `NOTIFY_RETRY_CAP_S`,
`NOTIFY_MAX_ATTEMPTS`, `NOTIFY_EMAIL_RATE`, `NOTIFY_SMS_RATE`, `NOTIFY_IDLE_WAIT_S`. Links in
mail: `PUBLIC_URL` (shared settings).
A malformed value stops the process at start with a `ConfigError` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlparse

from services.common import config
from services.common.config import ConfigError, Settings, env_bool, env_float
from services.notify.mail import SmtpConfig

DEFAULT_MAIL_FROM = "Councils <councils@localhost>"


@dataclass(frozen=True)
class SmsApi:
    """Twilio's Messages API (or anything speaking it, such as `sms_standin`)."""

    url: str
    account_sid: str = "ACcouncils"
    auth_token: str = ""
    sender: str = "Councils"


@dataclass(frozen=True)
class NotifySettings:
    common: Settings
    mail_from: str = DEFAULT_MAIL_FROM
    mail_envelope_from: str = "councils@localhost"
    smtp: SmtpConfig | None = None  # None: mail goes to files in `mail_dir`
    mail_dir: str = ".run/mail"
    sms_api: SmsApi | None = None  # None: SMS go to `sms_dir/outbox.jsonl`
    sms_dir: str = ".run/sms"
    require_verified: bool = True  # optional mail only to verified addresses
    batch_size: int = 200
    retry_base_s: float = 30.0
    retry_cap_s: float = 3600.0
    max_attempts: int = 12
    email_rate: float = 0.0  # sends a second; 0: as fast as the server takes them
    sms_rate: float = 10.0
    idle_wait_s: float = 1.0

    @property
    def public_url(self) -> str:
        return self.common.public_url

    @property
    def secret_key(self) -> str:
        return self.common.secret_key

    @property
    def secret_keys(self) -> tuple[str, ...]:
        return self.common.secret_keys


def load_settings(
    env: Mapping[str, str] | None = None, common: Settings | None = None
) -> NotifySettings:
    """notify's settings from `env` (the process environment by default); `common` when the
    shared settings were built already (tests, a runtime passed in)."""
    env = dict(os.environ if env is None else env)
    common = common or config.load_settings("notify", env)
    _check_public_url(common.public_url)
    mail_from = _text(env, "MAIL_FROM", DEFAULT_MAIL_FROM)
    run_dir = _text(env, "COUNCILS_RUN_DIR", ".run")  # where `make run` keeps its files
    return NotifySettings(
        common=common,
        mail_from=mail_from,
        mail_envelope_from=_text(env, "MAIL_ENVELOPE_FROM", parseaddr(mail_from)[1] or mail_from),
        smtp=_smtp(env),
        mail_dir=_text(env, "MAIL_DIR", os.path.join(run_dir, "mail")),
        sms_api=_sms_api(env),
        sms_dir=_text(env, "SMS_DIR", os.path.join(run_dir, "sms")),
        require_verified=env_bool(env, "NOTIFY_REQUIRE_VERIFIED", True),
        batch_size=int(_non_negative(env, "NOTIFY_BATCH_SIZE", 200)) or 1,
        retry_base_s=_non_negative(env, "NOTIFY_RETRY_BASE_S", 30.0),
        retry_cap_s=_non_negative(env, "NOTIFY_RETRY_CAP_S", 3600.0),
        max_attempts=int(_non_negative(env, "NOTIFY_MAX_ATTEMPTS", 12)) or 1,
        email_rate=_non_negative(env, "NOTIFY_EMAIL_RATE", 0.0),
        sms_rate=_non_negative(env, "NOTIFY_SMS_RATE", 10.0),
        idle_wait_s=_non_negative(env, "NOTIFY_IDLE_WAIT_S", 1.0),
    )


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name)
    return value.strip() if value and value.strip() else default


def _non_negative(env: Mapping[str, str], name: str, default: float) -> float:
    value = env_float(env, name, default)
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {env.get(name)!r}")
    return value


def _smtp(env: Mapping[str, str]) -> SmtpConfig | None:
    url = _text(env, "SMTP_URL", "")
    if not url:
        return None
    timeout = env_float(env, "SMTP_TIMEOUT_S", 30.0)
    if timeout <= 0:
        raise ConfigError(f"SMTP_TIMEOUT_S must be positive, got {env.get('SMTP_TIMEOUT_S')!r}")
    return SmtpConfig.from_url(
        url, timeout=timeout, verify_tls=env_bool(env, "SMTP_TLS_VERIFY", True)
    )


def _sms_api(env: Mapping[str, str]) -> SmsApi | None:
    url = _text(env, "SMS_API_URL", "")
    if not url:
        return None
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).hostname:
        raise ConfigError(f"SMS_API_URL must be an http(s) URL, got {url!r}")
    return SmsApi(
        url=url,
        account_sid=_text(env, "SMS_ACCOUNT_SID", "ACcouncils"),
        auth_token=_text(env, "SMS_AUTH_TOKEN", ""),
        sender=_text(env, "SMS_FROM", "Councils"),
    )


def _check_public_url(url: str) -> None:
    """Every link in mail starts with it: a wrong one would send members nowhere."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"PUBLIC_URL must be an http(s) URL such as https://example.org, got {url!r}"
        )
