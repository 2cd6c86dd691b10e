"""Whole numbers typed in forms and links, read as ASCII digits only: `str.isdigit()` is true
for "²" or "𝟙", which `int()` then refuses or reads unexpectedly (pure functions)."""

from __future__ import annotations


def whole_number(text: str | None) -> int | None:
    """The number written in `text` with the digits 0-9 alone, else None."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def page_number(text: str | None, most: int = 10_000) -> int:
    """A page asked for in a link: a number from 1 to `most`; anything else is page 1."""
    number = whole_number(text)
    return number if number is not None and 0 < number <= most else 1
