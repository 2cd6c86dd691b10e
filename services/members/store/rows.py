"""Rows a transaction relies on."""

from __future__ import annotations


def existing(row: dict | None) -> dict:
    """`row`, which this transaction just wrote or holds locked: its absence is a bug (a 500),
    never a client's mistake."""
    if row is None:
        raise LookupError("a row this transaction relies on is missing")
    return row
