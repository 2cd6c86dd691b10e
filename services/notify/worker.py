"""notify's worker: `python -m services.notify.worker`.

Threads: the outbox relay; the consumer of members' and polls' events (contact replica,
delivery rows); the email and SMS senders; the newsletter fan-out.
"""

from __future__ import annotations

import logging

from services.common.bus import Consumer
from services.common.runtime import Runtime, build_runtime
from services.common.worker import Loop, periodic, run_worker
from services.notify import events, service
from services.notify.delivery import Sender

log = logging.getLogger("councils.notify.worker")


def consumer(runtime: Runtime) -> Consumer:
    return Consumer(runtime.db, runtime.transport, "contacts_and_announcements",
                    events.handlers(runtime.settings), max_attempts=8, backoff=(1.0, 120.0))


def loops(runtime: Runtime) -> list[Loop]:
    email = Sender(runtime.db, runtime.settings, "email")
    sms = Sender(runtime.db, runtime.settings, "sms")
    # Said once at start-up, so a developer knows where to read the mail (no SMTP_URL: files).
    print(f"notify: email goes to {email.gateway.describe()}; SMS to {sms.gateway.describe()}",
          flush=True)

    def fan_out() -> None:
        service.fan_out_newsletters(runtime)

    return [email.run, sms.run, periodic(1.0, fan_out, "newsletter fan-out")]


def main() -> None:
    from services.common.logs import configure_logging

    configure_logging("notify-worker")
    runtime = build_runtime("notify")
    run_worker(runtime, consumers=[consumer(runtime)], loops=loops(runtime))


if __name__ == "__main__":
    main()
