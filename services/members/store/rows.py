"""Rows a transaction relies on, and rows changed by column."""

from __future__ import annotations


def existing(row: dict | None) -> dict:
    """`row`, which this transaction just wrote or holds locked: its absence is a bug (a 500),
    never a client's mistake."""
    if row is None:
        raise LookupError("a row this transaction relies on is missing")
    return row


def update_columns(cur, table: str, row_id, changes: dict, allowed: set[str]) -> None:
    """`UPDATE table SET ...` of the row `row_id` with `changes`, whose keys must be among the
    `allowed` columns (the names go into the SQL: never a caller's key); nothing when empty."""
    assignments, values = [], []
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(f"cannot update {key}")
        assignments.append(f"{key} = %s")
        values.append(value)
    if assignments:
        cur.execute(
            f"UPDATE {table} SET {', '.join(assignments)} WHERE id = %s",
            (*values, row_id),
        )
