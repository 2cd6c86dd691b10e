"""Apply numbered, forward-only SQL migrations: `python -m services.common.migrate [service ...]`.

Each service's schema gets the shared tables (outbox, inbox) from `services/common/migrations`
and then its own `services/<service>/migrations`; the PostgreSQL event transport keeps its
tables in the `bus` schema. Applied files are recorded per schema, under an advisory lock so
that two migrators never race.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import zlib
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
COMMON_DIR = ROOT / "services" / "common" / "migrations"
BUS_DIR = ROOT / "services" / "common" / "bus" / "migrations"
SERVICES = ("members", "polls", "notify")
_NUMBERED = re.compile(r"^(\d{3,})_[a-z0-9_]+\.sql$")

log = logging.getLogger("councils.migrate")


def plan_for(target: str) -> list[tuple[str, Path]]:
    """(label, file) pairs in the order they must run for one schema."""
    if target == "bus":
        dirs = [("bus", BUS_DIR)]
    elif target in SERVICES:
        dirs = [("common", COMMON_DIR), (target, ROOT / "services" / target / "migrations")]
    else:
        raise ValueError(f"unknown migration target {target!r}")
    steps: list[tuple[str, Path]] = []
    for label, directory in dirs:
        if not directory.is_dir():
            continue
        files = sorted(p for p in directory.iterdir() if _NUMBERED.match(p.name))
        steps.extend((f"{label}/{p.name}", p) for p in files)
    return steps


def migrate(dsn: str, target: str) -> list[str]:
    """Apply what is missing in schema `target`; returns the names applied."""
    applied: list[str] = []
    conn = psycopg2.connect(dsn, connect_timeout=10)
    try:
        with conn:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (zlib.crc32(target.encode()),))
                cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{target}"')
                cur.execute(f'SET LOCAL search_path = "{target}", public')
                cur.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                cur.execute("SELECT name FROM schema_migrations")
                done = {row[0] for row in cur.fetchall()}
                for name, path in plan_for(target):
                    if name in done:
                        continue
                    cur.execute(path.read_text())
                    cur.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))
                    applied.append(name)
    finally:
        conn.close()
    return applied


def migrate_all(dsn: str, targets: list[str] | None = None) -> dict[str, list[str]]:
    return {t: migrate(dsn, t) for t in (targets or ["bus", *SERVICES])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="bus and/or service names (default: all)")
    args = parser.parse_args(argv)
    dsn = os.environ.get("DATABASE_URL")
    if not dsn:
        print("migrate: DATABASE_URL is required but not set", file=sys.stderr)
        return 2
    try:
        result = migrate_all(dsn, args.targets or None)
    except (ValueError, psycopg2.Error) as exc:
        print(f"migrate: {str(exc).strip()}", file=sys.stderr)
        return 1
    for target, names in result.items():
        print(f"{target}: {len(names)} applied" + (f" ({', '.join(names)})" if names else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
