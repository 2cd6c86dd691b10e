"""The members service on a generated organisation: how fast the public figures answer.

    python bench/bench_members.py [--quick] [--members 10000] [--chapters 300] [--repeat 30]

Loads the organisation in bulk into a throw-away database on the PostgreSQL of the tests
(DATABASE_URL, else 127.0.0.1:5432, else an embedded one) and times, through the Flask app:
GET /api/v1/targets, /api/v1/chapters/working, /api/v1/chapters (one page), one chapter's
status, and a login (argon2id, default profile).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.members import seed  # noqa: E402
from services.members.app import create_app  # noqa: E402
from services.members.store import targets as targets_store  # noqa: E402
from tests.support import servers  # noqa: E402
from tests.support.runtime import make_runtime  # noqa: E402

TARGETS = [
    ("Online membership", "members", 3500),
    ("Working chapters", "working_chapters", 20),
    ("Women overall (%)", "women_share", 30),
    ("Nation states", "countries", 5),
    ("Continents", "continents", 3),
]


def timed(client, path: str, repeat: int, method: str = "GET", body=None) -> dict:
    client.open(path, method=method, json=body)  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.open(path, method=method, json=body)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 400, (path, response.status_code, response.get_json())
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    repeat = 10 if args.quick else args.repeat

    admin_url = servers.admin_pg_url(tempfile.mkdtemp(prefix="councils-bench-pg-"))
    url = servers.create_database(admin_url, prefix="councils_bench")
    try:
        runtime = make_runtime("members", url, ARGON2_PROFILE="default", RATE_LIMITS="off")
        started = time.perf_counter()
        org = seed.generate(args.members, args.chapters)
        seed.load(runtime, org)
        load_s = time.perf_counter() - started
        with runtime.db.transaction() as cur:
            for position, (name, kind, target) in enumerate(TARGETS):
                targets_store.insert_target(
                    cur,
                    name=name,
                    kind=kind,
                    target=target,
                    deadline=None,
                    position=position,
                    created_by=None,
                )
        client = create_app(runtime).test_client()
        chapter_id = next(iter(org.chapters))
        login = {
            "email": f"seed-{next(iter(org.members))}@seed.example",
            "password": seed.SEED_PASSWORD,
        }
        rows = [
            ("GET /api/v1/targets", timed(client, "/api/v1/targets", repeat)),
            ("GET /api/v1/chapters/working", timed(client, "/api/v1/chapters/working", repeat)),
            ("GET /api/v1/chapters?limit=50", timed(client, "/api/v1/chapters?limit=50", repeat)),
            (
                "GET /api/v1/chapters/{intl}/status",
                timed(client, f"/api/v1/chapters/{chapter_id}/status", repeat),
            ),
        ]
        rows.append(
            (
                "POST /api/v1/auth/login (argon2id)",
                timed(client, "/api/v1/auth/login", max(3, repeat // 5), "POST", login),
            )
        )
        targets = client.get("/api/v1/targets").get_json()
        print(
            f"members: {args.members} members in {args.chapters} chapters "
            f"(loaded in {load_s:.1f} s), {repeat} requests each"
        )
        print(f"{'request':<40} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}")
        for name, figures in rows:
            print(
                f"{name:<40} {figures['median']:>10.1f} {figures['p95']:>10.1f} "
                f"{figures['max']:>10.1f}"
            )
        print(
            "targets: "
            + "; ".join(
                f"{t['name']} {t['current']}/{t['target']}{' met' if t['met'] else ''}"
                for t in targets
            )
        )
        runtime.close()
    finally:
        servers.drop_database(admin_url, url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
