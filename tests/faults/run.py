"""`make test-faults`: the stack on its own PostgreSQL and RabbitMQ (never the machine's), each
behind a proxy; every scenario prints one line (ballots, then the members registered while it
ran) and must lose nothing, double nothing, answer no 500 and recover within its bound.
`--quick` (inside `make test`): the PostgreSQL transport, a gunicorn worker killed, PostgreSQL
restarted, poison."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2

from services.common.bus import transport_from_settings
from services.common.bus.parking import CONSUMER_QUEUES
from tests.faults import scenarios
from tests.faults.load import ADMIN
from tests.faults.servers import OwnServers
from tests.faults.smtp import FlakySmtp
from tests.support.stack import start_stack, stop_stack
from tests.support.wait import within

QUICK = [scenarios.gunicorn_worker_kill, scenarios.postgres_restart, scenarios.poison_everywhere]
FULL = [
    # First: its newsletter goes to every member, and each scenario's registrations add some.
    scenarios.smtp_flaky_newsletter,
    *QUICK,
    scenarios.worker_kill("members"),
    scenarios.worker_kill("polls"),
    scenarios.worker_kill("notify"),
    scenarios.gateway_kill,
    scenarios.consumer_stopped,
    scenarios.sessions_terminated,
    scenarios.rabbitmq_kill,
    scenarios.broker_cut,
    scenarios.broker_blackhole,
    scenarios.crash_while_closing,
]


def _database(servers: OwnServers) -> str:
    name = f"faults_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(servers.pg.admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return name


def _direct_transport(servers: OwnServers, database: str):
    class Settings:
        amqp_url = servers.rabbit.direct_url if servers.rabbit else None
        database_url = servers.pg.admin_url.rsplit("/", 1)[0] + f"/{database}"
        bus_exchange = "councils.events"
        bus_queue_prefix = ""

        @staticmethod
        def get(name, default=None):
            return default

    return transport_from_settings(Settings)


def _voters(h: scenarios.Harness, n: int) -> list[str]:
    tokens = h.api.voters(n, "voter")
    if within(h.settled, 60, interval=0.5):  # every voter in polls' replica before the first poll
        return tokens
    raise RuntimeError("the voters did not reach polls' replica within 60 s")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--quick", action="store_true")
    args.add_argument("--voters", type=int, default=0)
    args.add_argument("--only", help="run the scenarios whose function name contains this")
    opts = args.parse_args(argv)
    started = time.monotonic()
    servers = OwnServers(with_rabbit=not opts.quick)
    database = _database(servers)
    extra = {
        "COUNCILS_ADMIN_EMAIL": ADMIN[0],
        "COUNCILS_ADMIN_PASSWORD": ADMIN[1],
        "RATE_LIMITS": "off",
        "RATE_LIMIT_IP": "100000/minute",
        "RATE_LIMIT_MEMBER": "100000/minute",
        "MEMBER_ACTIVATION": "either",
    }
    if servers.rabbit:
        extra["AMQP_URL"] = servers.rabbit.url
    smtp = FlakySmtp()
    extra.update(
        SMTP_URL=smtp.url,
        NOTIFY_REQUIRE_VERIFIED="false",
        NOTIFY_RETRY_BASE_S="0.5",
        NOTIFY_RETRY_CAP_S="2",
        NOTIFY_MAX_ATTEMPTS="40",
    )
    run_dir = Path(tempfile.mkdtemp(prefix="councils-faults-run-"))
    stack = start_stack(run_dir, servers.pg.url(database), extra)
    transport = _direct_transport(servers, database)
    failures = []
    try:
        h = scenarios.Harness(stack, servers, database, transport)
        h.smtp = smtp
        for queue in CONSUMER_QUEUES:
            transport.declare(queue, [])  # so that depths can be asked before workers start
        voters = _voters(h, opts.voters or (24 if opts.quick else 40))
        chosen = QUICK if opts.quick else FULL
        if opts.only:
            chosen = [s for s in FULL if opts.only in s.__name__]
        for scenario in chosen:
            outcome = scenario(h, voters)
            print(outcome.line(), flush=True)
            failures += [f"{outcome.name}: {f}" for f in outcome.failures()]
    finally:
        transport.close()
        stop_stack(stack)
        servers.close()
        smtp.close()
    print(
        f"faults: {len(failures)} failure(s) in {time.monotonic() - started:.0f} s; "
        f"stack log {stack.log_path}",
        flush=True,
    )
    for failure in failures:
        print("FAIL", failure, flush=True)
    if not failures:
        shutil.rmtree(run_dir, ignore_errors=True)  # kept for a look when something failed
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
