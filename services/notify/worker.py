"""notify's worker: `python -m services.notify.worker`, its composition root.

Threads: the outbox relay; one consumer per registry of `handlers/` (the replica of members,
announcements of polls, recall steps, the deny-list); the email and SMS senders; the newsletter
fan-out.
"""

from __future__ import annotations

import logging

from services.common.bus import Consumer
from services.common.bus.handlers import EventHandlers
from services.common.worker import Loop, periodic, run_worker
from services.notify.context import NotifyContext, build_context
from services.notify.delivery import Sender
from services.notify.handlers import REGISTRIES
from services.notify.service import newsletters

log = logging.getLogger("councils.notify.worker")


def consumer(ctx: NotifyContext, registry: EventHandlers) -> Consumer:
    return Consumer(
        ctx.db,
        ctx.transport,
        registry.consumer,
        registry.bind(ctx),
        max_attempts=8,
        backoff=(1.0, 120.0),
    )


def consumers(ctx: NotifyContext) -> list[Consumer]:
    return [consumer(ctx, registry) for registry in REGISTRIES]


def loops(ctx: NotifyContext) -> list[Loop]:
    email = Sender(ctx, "email")
    sms = Sender(ctx, "sms")
    # Said once at start-up, so a developer knows where to read the mail (no SMTP_URL: files).
    print(
        f"notify: email goes to {email.gateway.describe()}; SMS to {sms.gateway.describe()}",
        flush=True,
    )

    def fan_out() -> None:
        newsletters.fan_out_newsletters(ctx)

    return [email.run, sms.run, periodic(1.0, fan_out, "newsletter fan-out")]


def main() -> None:
    from services.common.logs import configure_logging

    configure_logging("notify-worker")
    ctx = build_context()
    run_worker(ctx.runtime, consumers=consumers(ctx), loops=loops(ctx))


if __name__ == "__main__":
    main()
