"""Polls benchmarks, printing figures: casting (open loop), closing and counting a big poll, and
the machine's raw PostgreSQL single-row insert rate beside them (the ceiling).

    python bench/bench_polls.py [--rate 500] [--seconds 60] [--voters 100] [--ballots 100000]

Casting goes to `POLLS_BENCH_URL` (e.g. the gateway of `make run`, http://127.0.0.1:8080) when
set, else to the polls app served in this process by a threaded server. Voters are seeded
through the store (never registered through argon2). PostgreSQL: DATABASE_URL, else
127.0.0.1:5432, else an embedded server (as the tests find one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
from psycopg2.extras import execute_values  # noqa: E402

from services.common.auth import Identity, issue_access_token  # noqa: E402
from services.polls import store  # noqa: E402
from services.polls.secrecy import PollKey, receipt_hash  # noqa: E402
from services.polls.service import PollsService  # noqa: E402
from tests.support import servers  # noqa: E402
from tests.support.runtime import make_runtime, test_keypair  # noqa: E402

ADMIN = Identity(str(uuid.uuid4()), "active", admin=True)


def seed_members(runtime, n: int) -> list[str]:
    members = [str(uuid.uuid4()) for _ in range(n)]
    with runtime.db.transaction() as cur:
        execute_values(
            cur,
            "INSERT INTO replica_members (member_id, status) VALUES %s",
            [(m, "active") for m in members],
            page_size=5000,
        )
    return members


def new_poll(service: PollsService, method="irv", options=("A", "B", "C", "D", "E")) -> dict:
    closes = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    return service.create_poll(
        ADMIN,
        {
            "title": "Bench",
            "scope": {"type": "organisation"},
            "closes_at": closes,
            "questions": [{"text": "Q", "method": method, "options": list(options)}],
        },
    )


def raw_insert_rate(runtime, seconds: float = 3.0) -> float:
    conn = runtime.db.connect()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_raw (id uuid PRIMARY KEY, v jsonb)")
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            cur.execute("INSERT INTO bench_raw VALUES (%s, '{}')", (uuid.uuid4(),))
            done += 1
    conn.close()
    return done / seconds


def serve_in_process(runtime) -> str:
    from services.polls.app import create_app
    from tests.integration.polls.test_concurrency import BoundedServer

    server = BoundedServer("127.0.0.1", 0, create_app(runtime))  # <= 8 requests at once
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def bench_casting(runtime, service, base: str, rate: float, seconds: float, voters: int):
    """Open loop: requests leave on schedule whatever the answers' latency."""
    total = int(rate * seconds)
    members = seed_members(runtime, total)
    poll = new_poll(service)
    qid = poll["questions"][0]["id"]
    url = f"{base}/api/v1/polls/{poll['id']}/ballots"
    private = test_keypair()[0]
    tokens = [issue_access_token(private, Identity(m, "active")) for m in members]
    latencies: list[float] = []
    errors = 0
    local = threading.local()

    def cast(i: int, due: float) -> None:
        nonlocal errors
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        started = time.perf_counter()
        try:
            r = session.post(
                url,
                timeout=30,
                headers={"Authorization": f"Bearer {tokens[i]}"},
                json={"answers": [{"question_id": qid, "ranking": ["A", "C"]}]},
            )
            ok = r.status_code == 201
        except requests.RequestException:
            ok = False
        latencies.append(time.perf_counter() - due if delay > 0 else time.perf_counter() - started)
        if not ok:
            errors += 1

    start = time.perf_counter() + 0.5
    with ThreadPoolExecutor(max_workers=voters) as pool:
        for i in range(total):
            pool.submit(cast, i, start + i / rate)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "offered_per_s": rate,
        "achieved_per_s": round((total - errors) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "errors": errors,
    }


def bench_close(runtime, service, n: int) -> dict:
    """Seed n cast ballots as casting writes them (roll + sealed), then close and count."""
    members = seed_members(runtime, n)
    poll = new_poll(service)
    qid = poll["questions"][0]["id"]
    import random

    rng = random.Random(1)  # noqa: S311 - a benchmark's profile, not a secret
    with runtime.db.transaction() as cur:
        key = PollKey(runtime.settings.secret_key, poll["id"], store.poll_salt(cur, poll["id"]))
        roll, sealed = [], []
        for m in members:
            ranking = rng.sample(["A", "B", "C", "D", "E"], k=rng.randint(1, 5))
            answers = [{"question_id": qid, "ranking": ranking}]
            roll.append((poll["id"], m))
            sealed.append(
                (uuid.uuid4(), poll["id"], key.seal(receipt_hash(key.receipt(m)), answers, 1))
            )
        execute_values(cur, "INSERT INTO roll (poll_id, member_id) VALUES %s", roll, page_size=5000)
        execute_values(
            cur,
            "INSERT INTO sealed_ballots (id, poll_id, sealed) VALUES %s",
            sealed,
            page_size=5000,
        )
    started = time.perf_counter()
    service.close(ADMIN, poll["id"])
    took = time.perf_counter() - started
    results = service.results(poll["id"])
    assert results["ballots"] == n
    return {
        "ballots": n,
        "close_and_count_s": round(took, 2),
        "winner": results["questions"][0]["winners"],
    }


def main() -> int:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--voters", type=int, default=100)
    parser.add_argument("--ballots", type=int, default=100_000)
    args = parser.parse_args()
    admin_url = servers.admin_pg_url()
    url = servers.create_database(admin_url, prefix="councils_bench_polls")
    try:
        runtime = make_runtime("polls", url)
        service = PollsService(runtime)
        base = os.environ.get("POLLS_BENCH_URL") or serve_in_process(runtime)
        rows = [("raw PostgreSQL single-row inserts/s (ceiling)", round(raw_insert_rate(runtime)))]
        cast = bench_casting(runtime, service, base, args.rate, args.seconds, args.voters)
        rows += [(f"cast {k}", v) for k, v in cast.items()]
        rows.append(
            ("cast achieved / raw insert ceiling", round(cast["achieved_per_s"] / rows[0][1], 3))
        )
        close = bench_close(runtime, service, args.ballots)
        rows += [(f"close {k}", v) for k, v in close.items()]
        width = max(len(k) for k, _ in rows)
        print(f"{'polls benchmark':<{width}}  value")
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
        runtime.db.close()
    finally:
        servers.drop_database(admin_url, url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
