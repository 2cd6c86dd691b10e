"""The senders: pending delivery rows become email or SMS, in batches, over reused connections.

Each batch is claimed with `FOR UPDATE SKIP LOCKED` (several senders never take the same row)
and its outcomes are written in the same transaction. If the process dies mid-batch the rows
stay pending and are sent again — with the same Message-ID, so mail systems drop the copies.
Transient failures come back after an exponential back-off; permanent ones are recorded.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass

import psycopg2

from services.common.backoff import Backoff, retry_delay
from services.common.sealing import SealError, unseal
from services.common.text import printable_one_line
from services.notify import links
from services.notify.compose import Composer
from services.notify.context import NotifyContext
from services.notify.mail import (
    ConnectionFailure,
    DeliveryError,
    FileMailbox,
    PermanentFailure,
    SmtpMailer,
    domain_of,
    message_id,
)
from services.notify.render import render_sms
from services.notify.settings import NotifySettings
from services.notify.sms import FileSms, TwilioSms, count_segments
from services.notify.store import deliveries

log = logging.getLogger("councils.notify.delivery")

BULK_KINDS = {"newsletter", "poll_opened", "poll_closing_soon", "poll_closed"}
RECORD_CHUNK = 100  # outcomes written at a time while a large batch is still being sent


@dataclass(frozen=True)
class Policy:
    batch_size: int = 200
    retry_base_s: float = 30.0
    retry_cap_s: float = 3600.0
    max_attempts: int = 12
    rate_per_s: float = 0.0  # 0: as fast as the server takes them
    require_verified: bool = True
    idle_wait_s: float = 1.0

    @classmethod
    def from_settings(cls, settings: NotifySettings, channel: str) -> Policy:
        return cls(
            batch_size=settings.batch_size,
            retry_base_s=settings.retry_base_s,
            retry_cap_s=settings.retry_cap_s,
            max_attempts=settings.max_attempts,
            rate_per_s=settings.email_rate if channel == "email" else settings.sms_rate,
            require_verified=settings.require_verified,
            idle_wait_s=settings.idle_wait_s,
        )


def mailer(settings: NotifySettings) -> SmtpMailer | FileMailbox:
    """SMTP when `SMTP_URL` is set, else `.eml` files a developer can open."""
    if settings.smtp is not None:
        return SmtpMailer(settings.smtp)
    return FileMailbox(settings.mail_dir)


def sms_gateway(settings: NotifySettings) -> TwilioSms | FileSms:
    """The SMS API when `SMS_API_URL` is set, else lines in a local file."""
    api = settings.sms_api
    if api is not None:
        return TwilioSms(api.url, api.account_sid, api.auth_token, api.sender)
    return FileSms(settings.sms_dir)


class RateLimiter:
    """At most `rate` sends per second on average (a token bucket of one second's worth)."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.clock = clock
        self.sleep = sleep
        self.updated = clock()

    def acquire(self) -> None:
        if self.rate <= 0:
            return
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            self.sleep((1 - self.tokens) / self.rate)
            self.updated = self.clock()
            self.tokens = 0.0
        else:
            self.tokens -= 1


class Sender:
    """Sends the due deliveries of one channel ("email" or "sms")."""

    def __init__(
        self, ctx: NotifyContext, channel: str, gateway=None, policy: Policy | None = None
    ) -> None:
        if channel not in ("email", "sms"):
            raise ValueError(f"unknown channel {channel!r}")
        self.db = ctx.db
        self.settings = ctx.settings
        self.channel = channel
        self.policy = policy or Policy.from_settings(ctx.settings, channel)
        if gateway is None:
            gateway = mailer(ctx.settings) if channel == "email" else sms_gateway(ctx.settings)
        self.gateway = gateway
        self.limiter = RateLimiter(self.policy.rate_per_s)
        self.mail_from = ctx.settings.mail_from
        self.envelope_from = ctx.settings.mail_envelope_from
        self.domain = domain_of(self.mail_from)
        self.composer = Composer(self.mail_from)
        self.public_url = ctx.settings.public_url

    # --- one batch ---------------------------------------------------------------------

    def send_batch(self) -> int:
        """Claim, send and record one batch; returns how many rows it settled."""
        with self.db.transaction() as cur:
            rows = deliveries.claim_due(cur, self.channel, self.policy.batch_size)
            outcomes = []
            down: DeliveryError | None = None
            recorder = _Recorder(cur) if len(rows) > 2 * RECORD_CHUNK else None
            try:
                for row in rows:
                    outcome, down = self._deliver(row, down)
                    outcomes.append(outcome)
                    if recorder is not None and len(outcomes) >= RECORD_CHUNK:
                        recorder.submit(outcomes)
                        outcomes = []
            except BaseException:
                if recorder is not None:
                    recorder.wait(quiet=True)
                raise
            if recorder is not None:
                recorder.wait()
            deliveries.record_outcomes(cur, outcomes)
            deliveries.forget_sealed_tokens(
                cur, [row["notification_id"] for row in rows if row["category"] == "account"]
            )
        if down is not None:
            log.warning("%s channel unavailable, %d deferred: %s", self.channel, len(rows), down)
        return len(rows)

    def _deliver(self, row: dict, down: DeliveryError | None):
        skip = self._reason_to_skip(row)
        if skip:
            return _outcome(row, "skipped", error=skip), down
        if down is not None:
            return self._failure(row, down), down
        try:
            if self.channel == "email":
                address, mid = self._send_email(row)
                segments = None
            else:
                address, segments = self._send_sms(row)
                mid = None
        except ConnectionFailure as exc:
            return self._failure(row, exc), exc
        except DeliveryError as exc:
            return self._failure(row, exc), None
        except Exception as exc:  # noqa: BLE001 - one bad row must not hold up the batch
            return self._unsendable(row, exc), None
        return _outcome(row, "sent", address=address, message_id=mid, segments=segments), None

    def _reason_to_skip(self, row: dict) -> str | None:
        to = _account_address(row)
        if row["deleted"] or row["email"] is None and row["phone"] is None and not to:
            return "member has no contact details"
        essential = row["category"] == "account"
        if self.channel == "email":
            if not (to or row["email"]):
                return "no email address"
            if (row["context"] or {}).get("to_self"):  # an admin's test: own verified address
                return None if row["email_verified"] else "email address not verified"
            if not essential and row["pref_email"] is False:
                return "member turned email off for this category"
            if not essential and self.policy.require_verified and not row["email_verified"]:
                return "email address not verified"
        else:
            if not row["phone"]:
                return "no phone number"
            if not essential and row["pref_sms"] is not True:
                return "member turned SMS off for this category"
        return None

    def _unsendable(self, row: dict, exc: Exception) -> tuple:
        """A row the message could not be built or sent for (stored data no mail library
        takes): recorded as failed, never retried, and the connection starts afresh."""
        log.warning("%s delivery %s unsendable: %s", self.channel, row["id"], type(exc).__name__)
        reset = getattr(self.gateway, "reset", None)
        if reset is not None:
            reset()
        return self._failure(row, PermanentFailure(f"unsendable: {type(exc).__name__}: {exc}"))

    def _failure(self, row: dict, exc: DeliveryError) -> tuple:
        attempts = row["attempts"] + 1
        # The address tried goes in the log: the one that bounced, should the member change it.
        address = row["email"] if self.channel == "email" else row["phone"]
        if exc.permanent:
            return _outcome(row, "failed", attempts=attempts, error=str(exc)[:500], address=address)
        if attempts >= self.policy.max_attempts:
            return _outcome(
                row,
                "failed",
                attempts=attempts,
                address=address,
                error=f"gave up after {attempts} attempts: {exc}"[:500],
            )
        delay = retry_delay(attempts, self.policy.retry_base_s, self.policy.retry_cap_s)
        delay *= random.uniform(0.8, 1.2)  # rows failed together do not come back together
        return _outcome(
            row, "pending", attempts=attempts, retry_in=delay, error=str(exc)[:500], address=address
        )

    def _send_email(self, row: dict) -> tuple[str, str]:
        category = row["category"]
        unsubscribe = links.unsubscribe_url(
            self.public_url,
            self.settings.secret_key,
            row["member_id"],
            "all" if category == "account" else category,
        )
        mid = message_id(row["notification_id"], row["member_id"], self.domain)
        address = _account_address(row) or row["email"]
        # Rendered once per (notification, language); per member only the varying bits.
        data = self.composer.compose(
            kind=row["kind"],
            language=row["language"],
            category=category,
            context=self._context(row),
            notification_id=row["notification_id"],
            name=printable_one_line(row["display_name"]),
            to_address=address,
            message_id_value=mid,
            unsubscribe_url=unsubscribe,
            bulk=row["kind"] in BULK_KINDS,
            reuse=row["kind"] in BULK_KINDS,
        )
        self.limiter.acquire()
        self.gateway.send(self.envelope_from, address, data)
        return address, mid

    def _context(self, row: dict) -> dict:
        """The notification's context; an account mail's sealed token becomes its link here,
        in memory only (the link is never written to a table or a log)."""
        context = row["context"] or {}
        sealed = context.get("sealed_token")
        if not sealed or row["category"] != "account":
            return context
        key, make = links.ACCOUNT_LINKS[context.get("purpose") or "verify_email"]
        try:
            token = unseal(
                self.settings.secret_keys, context.get("purpose") or "verify_email", sealed
            )
        except SealError:
            raise PermanentFailure("the account link was sealed with another SECRET_KEY") from None
        return {**context, "sealed_token": None, key: make(self.public_url, token)}

    def _send_sms(self, row: dict) -> tuple[str, int]:
        body = render_sms(
            row["kind"],
            row["language"],
            row["category"],
            row["context"],
            name=printable_one_line(row["display_name"]),
        )
        segments = count_segments(body).segments
        self.limiter.acquire()
        self.gateway.send(row["phone"], body)
        return row["phone"], segments

    # --- the loop ----------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        log.info("%s sender: delivering through %s", self.channel, self.gateway.describe())
        backoff = Backoff(1.0, 30.0)
        try:
            while not stop.is_set():
                try:
                    settled = self.send_batch()
                    backoff.reset()
                except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
                    log.warning(
                        "%s sender: database unavailable, retrying in %.1fs: %s",
                        self.channel,
                        backoff.delay,
                        str(exc).strip(),
                    )
                    backoff.wait(stop)
                    continue
                except Exception:  # noqa: BLE001 - the loop must outlive a bad batch
                    log.exception("%s sender: batch failed", self.channel)
                    backoff.wait(stop)
                    continue
                if settled < self.policy.batch_size:
                    stop.wait(self.policy.idle_wait_s)
        finally:
            self.gateway.close()

    def drain(self, timeout_s: float = 30.0) -> None:
        """Send until nothing is due (tests and benchmarks)."""
        deadline = time.monotonic() + timeout_s
        while self.send_batch() and time.monotonic() < deadline:
            pass


class _Recorder:
    """Writes a batch's outcomes, chunk by chunk, in the batch's own transaction from a second
    thread while the sender goes on sending: PostgreSQL updates rows while SMTP talks (the
    connection is idle meanwhile). Nothing commits before the batch ends, so a crash still
    leaves the whole batch pending, as before."""

    def __init__(self, cur) -> None:
        self.connection = cur.connection
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def submit(self, outcomes: list) -> None:
        self.wait()

        def record() -> None:
            try:
                with self.connection.cursor() as cur:
                    deliveries.record_outcomes(cur, outcomes)
            except BaseException as exc:  # noqa: BLE001 - handed to the sender's thread
                self.error = exc

        self.thread = threading.Thread(target=record, name="notify-record", daemon=True)
        self.thread.start()

    def wait(self, quiet: bool = False) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        error, self.error = self.error, None
        if error is not None and not quiet:
            raise error


def _outcome(
    row,
    status,
    *,
    attempts=None,
    retry_in=0.0,
    error=None,
    address=None,
    message_id=None,
    segments=None,
) -> tuple:
    if attempts is None:
        attempts = row["attempts"] + (1 if status == "sent" else 0)
    return (row["id"], status, attempts, retry_in, error, address, message_id, segments)


def _account_address(row: dict) -> str | None:
    """The address an account mail was made for (a reset, a verification of a new address,
    the notice to the old one), which may not be the contact's current one."""
    if row["category"] != "account" or not row["context"]:
        return None
    return row["context"].get("to") or None
