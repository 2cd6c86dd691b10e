"""`python -m services.polls.worker`: outbox relay, the consumers of handlers/ (the electorate
replica with the deny-list; delegate mandates and recall thresholds), and the scheduler (opens
polls at `opens_at`, closes them at `closes_at` — also after a restart, since it acts on
whatever is due in the database — announces polls closing soon, and upward requests left
unanswered past their deadline). Its settings: settings.py.
"""

from __future__ import annotations

import datetime as dt

from services.common.bus import Consumer
from services.common.logs import configure_logging
from services.common.worker import periodic, run_worker
from services.polls.context import PollsContext, build_context
from services.polls.handlers.delegates import DELEGATES
from services.polls.handlers.electorate import ELECTORATE
from services.polls.service import schedule
from services.polls.service.schedule import scheduler_turn

REGISTRIES = (ELECTORATE, DELEGATES)  # one consumer (queue) each


def consumers(ctx: PollsContext) -> list[Consumer]:
    return [Consumer(ctx.db, ctx.transport, reg.consumer, reg.bind(ctx)) for reg in REGISTRIES]


def loops(ctx: PollsContext) -> list:
    horizon = dt.timedelta(hours=ctx.settings.closing_soon_hours)
    scheduler = periodic(
        ctx.settings.scheduler_interval, lambda: scheduler_turn(ctx, horizon), "polls.scheduler"
    )
    scheduler.__name__ = "scheduler"
    scrub = periodic(ctx.settings.scrub_interval, lambda: schedule.scrub(ctx), "polls.scrub")
    scrub.__name__ = "scrub"
    return [scheduler, scrub]


def main() -> None:
    configure_logging("polls-worker")
    ctx = build_context()
    run_worker(ctx.runtime, consumers=consumers(ctx), loops=loops(ctx))


if __name__ == "__main__":
    main()
