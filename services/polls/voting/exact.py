"""Exact numbers in, exact numbers out: parsing weights and fractions, rendering results.

Binary floats never take part in a count. Inputs written as decimals (``0.6``, ``"1.5"``) or
fractions (``"2/3"``) become `Fraction`s read from their written form, so ``0.1`` means one tenth.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .errors import InvalidElection

Number = int | Fraction


def parse_exact(value: object, field: str) -> Number:
    """A JSON number or numeric string as an exact int or Fraction."""
    if isinstance(value, bool):  # bool is an int in Python, never a number in a poll
        raise InvalidElection(field, f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidElection(field, f"expected a finite number, got {value!r}")
        number = Fraction(repr(value))  # repr is the shortest decimal that reads back as value
    elif isinstance(value, str):
        try:
            number = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise InvalidElection(field, f"expected a number, got {value!r}") from None
    else:
        raise InvalidElection(field, f"expected a number, got {type(value).__name__}")
    return number.numerator if number.denominator == 1 else number


def parse_weight(value: object, field: str) -> Number:
    """A ballot weight: a positive exact number (usually an int)."""
    if type(value) is int and value > 0:  # the common case, kept cheap
        return value
    weight = parse_exact(value, field)
    if weight <= 0:
        raise InvalidElection(field, f"weight must be positive, got {value!r}")
    return weight


def parse_share(value: object, field: str, *, allow_zero: bool = False) -> Fraction:
    """A fraction in (0, 1] (or [0, 1] with allow_zero), e.g. a threshold or a quorum."""
    share = Fraction(parse_exact(value, field))
    low_ok = share >= 0 if allow_zero else share > 0
    if not (low_ok and share <= 1):
        bounds = "[0, 1]" if allow_zero else "(0, 1]"
        raise InvalidElection(field, f"must be a fraction in {bounds}, got {value!r}")
    return share


def render(value: Number) -> int | str:
    """An exact value for JSON: an int when whole, else the exact decimal or "p/q" string."""
    value = Fraction(value)
    if value.denominator == 1:
        return value.numerator
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:  # no terminating decimal: say it as a fraction
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    return render_fixed(value * 10**places, places)


def render_fixed(units: int | Fraction, places: int) -> str:
    """An integer count of 10**-places units as a decimal string, e.g. (123456, 5) → "1.23456"."""
    units = int(units)
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**places)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"
