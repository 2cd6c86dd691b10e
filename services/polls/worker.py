"""`python -m services.polls.worker`: outbox relay, the electorate replica's consumer, and the
scheduler (opens polls at `opens_at`, closes them at `closes_at` — also after a restart, since
it acts on whatever is due in the database — and announces polls closing soon).

Environment (besides the shared ones): `POLLS_SCHEDULER_INTERVAL` seconds between scheduler
turns (default 2), `POLLS_CLOSING_SOON_HOURS` (default 24), `POLLS_SCRUB_INTERVAL` seconds
between VACUUMs of the tables that held keys and sealed ballots (default 300). The API reads
`POLLS_LIVE_RESULTS_BATCH` (default 10, at least 2): live results are refreshed only after that
many new voters (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import logging

from services.common.bus import Consumer
from services.common.config import env_float, env_int
from services.common.logs import configure_logging
from services.common.runtime import Runtime, build_runtime
from services.common.worker import periodic, run_worker
from services.polls import delegate_polls, events
from services.polls.service import PollsService

log = logging.getLogger("councils.polls.worker")


def electorate_consumer(runtime: Runtime) -> Consumer:
    return Consumer(runtime.db, runtime.transport, "electorate", events.handlers())


def delegates_consumer(runtime: Runtime, service: PollsService | None = None) -> Consumer:
    """Delegate mandates and recall thresholds (issue 7; see delegate_polls.py)."""
    env = runtime.settings.extra
    min_hours = env_float(env, "POLLS_RECALL_MIN_HOURS", 1.0)
    handlers = delegate_polls.handlers(service or PollsService(runtime), min_hours)
    return Consumer(runtime.db, runtime.transport, "delegates", handlers)


def scheduler_turn(service: PollsService, closing_soon: dt.timedelta) -> dict:
    """One turn: open what is due, close what is due, announce what closes soon."""
    turn = {
        "opened": service.open_due(),
        "closed": service.close_due(),
        "closing_soon": service.announce_closing_soon(closing_soon),
    }
    if any(turn.values()):
        log.info("scheduler: %s", turn)
    return turn


def loops(runtime: Runtime, service: PollsService | None = None) -> list:
    env = runtime.settings.extra
    service = service or PollsService(runtime)
    horizon = dt.timedelta(hours=env_float(env, "POLLS_CLOSING_SOON_HOURS", 24.0))
    interval = env_float(env, "POLLS_SCHEDULER_INTERVAL", 2.0)
    scrub_every = env_int(env, "POLLS_SCRUB_INTERVAL", 300, minimum=1)

    scheduler = periodic(interval, lambda: scheduler_turn(service, horizon), "polls.scheduler")
    scheduler.__name__ = "scheduler"
    scrub = periodic(scrub_every, service.scrub, "polls.scrub")
    scrub.__name__ = "scrub"
    return [scheduler, scrub]


def main() -> None:
    configure_logging("polls-worker")
    runtime = build_runtime("polls")
    run_worker(
        runtime,
        consumers=[electorate_consumer(runtime), delegates_consumer(runtime)],
        loops=loops(runtime),
    )


if __name__ == "__main__":
    main()
