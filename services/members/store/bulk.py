"""Bulk loading (generated organisations for tests and benchmarks)."""

from __future__ import annotations


def bulk_insert(cur, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows at once into one of the service's tables."""
    from psycopg2.extras import execute_values

    if table not in {"members", "chapters", "memberships", "meetings", "targets", "mandates"}:
        raise ValueError(f"no bulk loading into {table}")
    for column in columns:
        if not column.isidentifier():
            raise ValueError(f"bad column {column!r}")
    execute_values(
        cur, f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s", rows, page_size=2000
    )


def lock(cur, key: int) -> None:
    """A transaction-wide advisory lock (one bootstrap at a time)."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
