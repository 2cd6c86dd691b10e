"""Real servers for notify's tests: PostgreSQL, an aiosmtpd sink, the SMS stand-in."""

from __future__ import annotations

import email
import email.policy
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from services.common.auth import Identity, issue_access_token
from services.common.bus.envelope import make_event
from services.common.embedded_pg import free_port
from services.notify.app import create_app
from services.notify.context import build_context
from services.notify.delivery import Sender
from services.notify.handlers import CONTACTS_AND_ANNOUNCEMENTS
from services.notify.sms_standin import SmsStandIn
from tests.support.runtime import make_runtime, test_keypair


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class SinkHandler:
    """Accepts everything but `bounce*` (550, permanent) and `later*` (451, transient)."""

    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if address.startswith("later"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content or envelope.content,
            )
        )
        return "250 OK"


class SmtpSink:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = SinkHandler()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> SmtpSink:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@pytest.fixture()
def smtp_sink():
    sink = SmtpSink(free_port()).start()
    yield sink
    sink.stop()


@pytest.fixture()
def sms_standin():
    standin = SmsStandIn(account_sid="ACtest", auth_token="sms-secret").start()
    yield standin
    standin.stop()


FAST = {
    "MAIL_FROM": "Councils <councils@example.org>",
    "NOTIFY_RETRY_BASE_S": "0.05",
    "NOTIFY_RETRY_CAP_S": "0.2",
    "NOTIFY_MAX_ATTEMPTS": "5",
    "NOTIFY_IDLE_WAIT_S": "0.05",
}


@pytest.fixture()
def notify(fresh_database_url, smtp_sink, sms_standin):
    """A notify world of its own: runtime, context, handlers, senders and a test client."""
    runtime = make_runtime(
        "notify",
        fresh_database_url,
        SMTP_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
        SMS_API_URL=sms_standin.url,
        SMS_ACCOUNT_SID="ACtest",
        SMS_AUTH_TOKEN="sms-secret",
        SMS_FROM="+15550000000",
        **FAST,
    )
    world = World(runtime, smtp_sink, sms_standin)
    yield world
    world.close()


class World:
    def __init__(self, runtime, sink: SmtpSink, standin: SmsStandIn) -> None:
        self.runtime = runtime
        self.sink = sink
        self.standin = standin
        self.ctx = build_context(runtime)
        self.handlers = CONTACTS_AND_ANNOUNCEMENTS.bind(self.ctx)
        self.email = Sender(self.ctx, "email")
        self.sms = Sender(self.ctx, "sms")
        self.client = create_app(runtime).test_client()

    def handle(
        self, type_: str, data: dict, producer: str | None = None, event: dict | None = None
    ) -> dict:
        event = event or make_event(type_, data, producer or type_.split(".")[0])
        with self.runtime.db.transaction() as cur:
            self.handlers[event["type"]](cur, event)
        return event

    def member(
        self,
        member_id: str,
        email_address: str,
        *,
        language: str = "en",
        active: bool = True,
        phone: str | None = None,
        name: str | None = None,
        verified: bool = True,
    ) -> None:
        self.handle(
            "members.member.registered",
            {
                "member_id": member_id,
                "email": email_address,
                "display_name": name or member_id.title(),
                "country": "ES",
                "language": language,
                "status": "pending",
                "verification_token": None,
            },
        )
        if verified:
            self.handle("members.member.verified", {"member_id": member_id})
        if active:
            self.handle("members.member.activated", {"member_id": member_id})
        if phone:
            self.handle("members.member.contact_changed", {"member_id": member_id, "phone": phone})

    def poll_opened(self, title: str, scope: dict | None = None) -> dict:
        return self.handle(
            "polls.poll.opened",
            {
                "poll_id": f"poll-{time.time_ns()}",
                "title": title,
                "scope": scope or {"type": "organisation"},
                "closes_at": "2030-01-02T18:00:00+00:00",
            },
        )

    def deliveries(self, channel: str | None = None) -> list[dict]:
        with self.runtime.db.transaction() as cur:
            cur.execute(
                "SELECT d.*, n.kind FROM deliveries d JOIN notifications n"
                " ON n.id = d.notification_id WHERE %s::text IS NULL OR d.channel = %s"
                " ORDER BY d.id",
                (channel, channel),
            )
            return cur.fetchall()

    def token(self, member_id: str, admin: bool = False, session_id: str | None = None) -> dict:
        """A token; `admin` also grants the admin mandate in notify's replica (rights are
        checked there, not in the token)."""
        private, _ = test_keypair()
        if admin:
            self.handle(
                "members.mandate.granted",
                {
                    "mandate_id": f"admin-of-{member_id}",
                    "member_id": member_id,
                    "role": "admin",
                    "chapter_id": None,
                },
            )
        token = issue_access_token(private, Identity(member_id, "active", admin, session_id))
        return {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        self.email.gateway.close()
        self.sms.gateway.close()
        self.runtime.close()
