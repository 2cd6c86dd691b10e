"""Events through the bus per second, on each transport: outbox → relay → consumer, end to end.

    python bench/bench_bus.py [--quick] [--events N] [--transports postgres,rabbitmq]

Uses the PostgreSQL of the tests (DATABASE_URL, else 127.0.0.1:5432) in a throw-away database,
and RabbitMQ at AMQP_URL, else 127.0.0.1:5672 (skipped when absent).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.bus import Consumer, Relay, add_event  # noqa: E402
from services.common.bus.pgqueue import PgTransport  # noqa: E402
from services.common.bus.rabbitmq import RabbitMQTransport  # noqa: E402
from services.common.bus.transport import Transport  # noqa: E402
from services.common.db import Database  # noqa: E402
from services.common.migrate import migrate  # noqa: E402
from tests.support import servers  # noqa: E402


def write_outbox(db: Database, n: int, per_tx: int = 100) -> float:
    """Write `n` events, `per_tx` per transaction; returns the seconds it took."""
    started = time.perf_counter()
    for first in range(0, n, per_tx):
        with db.transaction() as cur:
            for i in range(first, min(n, first + per_tx)):
                add_event(cur, "system.ping.sent", {"message": f"bench {i}"}, producer="bench")
    return time.perf_counter() - started


def run_one(kind: str, transport, members: Database, notify: Database, n: int) -> dict:
    done = threading.Event()
    count = 0
    lock = threading.Lock()

    def handler(cur, event):
        nonlocal count
        with lock:
            count += 1
            if count >= n:
                done.set()

    name = f"bench{uuid.uuid4().hex[:6]}"
    consumer = Consumer(notify, transport, name, {"system.ping.sent": handler}, prefetch=50)
    consumer.declare()
    write_s = write_outbox(members, n)

    stop = threading.Event()
    relay = Relay(members, transport, batch_size=500, poll_s=0.05)
    relayed_at: list[float] = []
    started = time.perf_counter()

    def relay_all(stop_event):
        relay.run(stop_event)

    relay_thread = threading.Thread(target=relay_all, args=(stop,), daemon=True)
    consumer_thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    relay_thread.start()
    consumer_thread.start()

    def watch_outbox():
        deadline = time.monotonic() + max(60.0, n / 50)
        while time.monotonic() < deadline:
            with members.transaction() as cur:
                cur.execute("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
                row = cur.fetchone()
                if row is not None and row["n"] == 0:
                    relayed_at.append(time.perf_counter())
                    return
            time.sleep(0.01)

    watcher = threading.Thread(target=watch_outbox, daemon=True)
    watcher.start()
    finished = done.wait(timeout=max(60.0, n / 50))
    elapsed = time.perf_counter() - started
    watcher.join(30)
    stop.set()
    for t in (relay_thread, consumer_thread):
        t.join(10)
    if isinstance(transport, RabbitMQTransport):
        transport.delete(consumer.queue)
    relay_s = (relayed_at[0] - started) if relayed_at else float("nan")
    return {
        "transport": kind,
        "events": n if finished else count,
        "write/s": n / write_s,
        "relay/s": n / relay_s,
        "end-to-end/s": (n if finished else count) / elapsed,
        "seconds": elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few events, for a smoke run")
    parser.add_argument("--events", type=int, help="events per transport")
    parser.add_argument("--transports", default="postgres,rabbitmq")
    args = parser.parse_args(argv)
    n = args.events or (300 if args.quick else 3000)

    admin = servers.admin_pg_url()
    url = servers.create_database(admin, prefix="councils_bench")
    rows = []
    try:
        for target in ("bus", "members", "notify"):
            migrate(url, target)
        members, notify = Database(url, "members"), Database(url, "notify")
        exchange = f"councils.bench.{uuid.uuid4().hex[:8]}"
        for kind in args.transports.split(","):
            transport: Transport
            if kind == "postgres":
                transport = PgTransport(url, exchange=exchange)
            elif kind == "rabbitmq":
                amqp = servers.amqp_url()
                if amqp is None:
                    print("rabbitmq: skipped (no broker at AMQP_URL or 127.0.0.1:5672)")
                    continue
                transport = RabbitMQTransport(amqp, exchange=exchange)
            else:
                parser.error(f"unknown transport {kind!r}")
            try:
                rows.append(run_one(kind, transport, members, notify, n))
            finally:
                if isinstance(transport, RabbitMQTransport):
                    transport.delete_exchange()
                transport.close()
        members.close()
        notify.close()
    finally:
        servers.drop_database(admin, url)

    headers = ["transport", "events", "write/s", "relay/s", "end-to-end/s", "seconds"]
    print(" | ".join(f"{h:>12}" for h in headers))
    print("-+-".join("-" * 12 for _ in headers))
    for row in rows:
        cells = [
            f"{row[h]:>12,.0f}"
            if isinstance(row[h], float) and h != "seconds"
            else f"{row[h]:>12.2f}"
            if h == "seconds"
            else f"{row[h]:>12}"
            for h in headers
        ]
        print(" | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
