"""Email: messages built from rendered templates, sent over SMTP or kept in a local outbox.

`SMTP_URL` is `smtp://[user:pass@]host:port` (plain, STARTTLS when the server offers it is *not*
assumed), `smtp+starttls://...` (STARTTLS required) or `smtps://...` (TLS from the first byte).
With no `SMTP_URL`, mail is written as `.eml` files into `MAIL_DIR` (default `.run/mail/`).
"""

from __future__ import annotations

import email.charset
import hashlib
import logging
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlparse

from services.common.config import ConfigError
from services.notify.render import Rendered

log = logging.getLogger("councils.notify.mail")

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
# Headers are written unfolded up to RFC 5322's 998 characters: folding a long URL without
# spaces would turn `List-Unsubscribe` into RFC 2047 encoded words that clients do not read.
WIRE_POLICY = compat32.clone(max_line_length=998, linesep="\r\n")
_UTF8_QP = email.charset.Charset("utf-8")
_UTF8_QP.header_encoding = email.charset.QP
_UTF8_QP.body_encoding = email.charset.QP


class DeliveryError(Exception):
    """A failed attempt; `permanent` ones are recorded and never retried."""

    permanent = False


class TransientFailure(DeliveryError):
    pass


class ConnectionFailure(TransientFailure):
    """The server cannot be reached at all: the rest of the batch would fail the same way."""


class PermanentFailure(DeliveryError):
    permanent = True


@dataclass(frozen=True)
class SmtpConfig:
    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    verify_tls: bool = True

    @classmethod
    def from_url(cls, url: str, timeout: float = 30.0, verify_tls: bool = True) -> SmtpConfig:
        parts = urlparse(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise ConfigError(
                f"SMTP_URL scheme must be smtp, smtp+starttls or smtps, got {parts.scheme!r}"
            )
        if not parts.hostname:
            raise ConfigError("SMTP_URL must name a host: smtp://[user:pass@]host:port")
        return cls(
            scheme=scheme,
            host=parts.hostname,
            port=parts.port or DEFAULT_PORTS[scheme],
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=timeout,
            verify_tls=verify_tls,
        )

    def redacted(self) -> str:
        user = f"{self.username}:***@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


def message_id(notification_id, member_id: str, domain: str) -> str:
    """The same for every attempt of one delivery, so receivers drop duplicates after a crash."""
    digest = hashlib.sha256(f"{notification_id}|{member_id}".encode()).hexdigest()[:32]
    return f"<councils.{digest}@{domain}>"


def domain_of(address: str) -> str:
    _, addr = parseaddr(address)
    return addr.rpartition("@")[2] or "localhost"


def _header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode(maxlinelen=998)


def build_email(
    *,
    rendered: Rendered,
    mail_from: str,
    to_address: str,
    to_name: str,
    message_id_value: str,
    unsubscribe_url: str | None,
    bulk: bool,
    extra_headers: dict[str, str] | None = None,
) -> Message:
    """multipart/alternative (text, then HTML), quoted-printable UTF-8.

    Built with the compat32 MIME classes: about four times faster than `EmailMessage`, which
    matters when a newsletter goes to a hundred thousand members."""
    msg = MIMEMultipart("alternative")
    msg["From"] = _header(mail_from)
    msg["To"] = formataddr((to_name, to_address), charset="utf-8") if to_name else to_address
    msg["Subject"] = _header(rendered.subject)
    msg["Date"] = format_datetime(_now())
    msg["Message-ID"] = message_id_value
    msg["Content-Language"] = rendered.language
    msg["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        # RFC 8058: one-click unsubscribe by a POST to the URL, no login.
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if bulk:
        msg["Precedence"] = "bulk"
    for name, value in (extra_headers or {}).items():
        msg[name] = _header(value)
    for body, subtype in ((rendered.text, "plain"), (rendered.html, "html")):
        # typeshed says str, but the email package takes a Charset (quoted-printable here)
        part = MIMEText(body, subtype, _UTF8_QP)  # type: ignore[arg-type]
        del part["MIME-Version"]
        msg.attach(part)
    return msg


def to_wire(message: Message) -> bytes:
    return message.as_bytes(policy=WIRE_POLICY)


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


_CODE = re.compile(r"^\d{3}$")


def _classify(code: int, text: bytes | str) -> DeliveryError:
    message = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    summary = f"{code} {message}".strip()
    if 500 <= code < 600:
        return PermanentFailure(summary)
    return TransientFailure(summary)


class SmtpMailer:
    """One SMTP connection reused for many messages; reconnects when the server dropped it."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._conn: smtplib.SMTP | None = None
        self._last_used = 0.0

    def describe(self) -> str:
        return f"SMTP {self.config.redacted()}"

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if not self.config.verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        try:
            if cfg.scheme == "smtps":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=cfg.timeout, context=self._tls_context()
                )
            else:
                conn = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            conn.ehlo()
            if cfg.scheme == "smtp+starttls":
                conn.starttls(context=self._tls_context())
                conn.ehlo()
            if cfg.username:
                conn.login(cfg.username, cfg.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            # A configuration fault, not the recipient's: retried until an operator fixes it.
            raise ConnectionFailure(f"SMTP authentication failed: {exc.smtp_code}") from exc
        except smtplib.SMTPResponseException as exc:
            raise ConnectionFailure(
                f"SMTP greeting failed: {exc.smtp_code} {exc.smtp_error!r}"
            ) from exc
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            raise ConnectionFailure(f"cannot reach {cfg.redacted()}: {exc}") from exc
        return conn

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None and time.monotonic() - self._last_used > 30:
            # Servers drop idle clients; check before reusing a connection that sat a while.
            try:
                if self._conn.noop()[0] != 250:
                    self.close()
            except (OSError, smtplib.SMTPException):
                self.close()
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def send(self, envelope_from: str, to_address: str, data: bytes) -> None:
        for attempt in (1, 2):
            conn = self._connection()
            try:
                refused = conn.sendmail(envelope_from, [to_address], data)
                self._last_used = time.monotonic()
                if refused:
                    code, text = refused[to_address]
                    raise _classify(code, text)
                return
            except smtplib.SMTPRecipientsRefused as exc:
                self._reset()
                code, text = exc.recipients.get(to_address, (450, b"refused"))
                raise _classify(code, text) from exc
            except smtplib.SMTPServerDisconnected as exc:
                self.close()
                if attempt == 1:
                    continue  # a dropped reused connection: one fresh try
                raise ConnectionFailure(f"SMTP server disconnected: {exc}") from exc
            except smtplib.SMTPResponseException as exc:
                self._reset()
                raise _classify(exc.smtp_code, exc.smtp_error) from exc
            except (smtplib.SMTPNotSupportedError, UnicodeError, ValueError) as exc:
                # An address this server cannot take (non-ASCII without SMTPUTF8): the
                # message is not for this server, and the connection must start afresh.
                self._reset()
                raise PermanentFailure(f"cannot send to this address here: {exc}") from exc
            except OSError as exc:
                self.close()
                raise ConnectionFailure(f"SMTP connection failed: {exc}") from exc

    def reset(self) -> None:
        """End whatever transaction the connection was in (after a failure mid-message)."""
        self._reset()

    def _reset(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                try:
                    conn.close()
                except OSError:
                    pass


class FileMailbox:
    """Development outbox: each message an .eml file a developer can open."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory).resolve()

    def describe(self) -> str:
        return f"files in {self.directory}"

    def send(self, envelope_from: str, to_address: str, data: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%S")
            name = f"{stamp}-{time.time_ns() % 10**9:09d}-{_safe(to_address)}.eml"
            tmp = self.directory / (name + ".tmp")
            tmp.write_bytes(data)
            tmp.rename(self.directory / name)
        except OSError as exc:
            raise TransientFailure(f"cannot write mail file: {exc}") from exc

    def close(self) -> None:
        pass


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]", "_", text)[:80]
