"""Rows a use case knows exist (it has just written or locked them in its transaction)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(row: T | None) -> T:
    """`row`, which the caller's transaction has just read, written or locked: it exists."""
    if row is None:
        raise LookupError("a row vanished inside the transaction that holds it")
    return row
