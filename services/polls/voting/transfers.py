"""Where moving ballots went: per source option, the exact amount each receiver got.

A round that eliminates options (or passes on a surplus) moves ballots from their holder to
their next continuing preference. The record says, per source, how much each receiving option
got (``"to"``) and how much went nowhere (``"exhausted"``), so the count's story needs no
estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .profile import exact_bincount

EXHAUSTED = "exhausted"


def transfer_units(
    from_options: Sequence[int],
    targets: np.ndarray,
    amounts: np.ndarray,
    m: int,
    sources: np.ndarray | None = None,
) -> dict[int, list[int]]:
    """Σ amount per (source, target), exactly: {source: [units to option 0..m-1, exhausted]}.

    `targets` and `amounts` are per moving row (a target of -1: no continuing preference).
    `sources`, the option each row came from, is needed only when several options' ballots
    moved together; one bincount covers them all.
    """
    order = sorted(from_options)
    # A block of m + 1 cells per source: no one (exhausted) first, then options 0..m-1.
    cells = targets + 1
    if len(order) > 1:
        assert sources is not None, "several sources: say which row came from which"
        cells += np.searchsorted(np.array(order, dtype=np.int64), sources) * (m + 1)
    size = len(order) * (m + 1)
    if amounts.dtype == object:
        sums = exact_bincount(cells, amounts, size)
    else:
        # Exact: the amounts are part of a count whose total is below 2**53 (see `profile`).
        sums = np.rint(np.bincount(cells, weights=amounts, minlength=size)).astype(int).tolist()
    blocks = {}
    for k, source in enumerate(order):
        block = sums[k * (m + 1) : (k + 1) * (m + 1)]
        blocks[source] = block[1:] + block[:1]
    return blocks


def named_transfers(
    units: dict[int, list[int]],
    from_options: Sequence[int],
    options: Sequence[str],
    render_units: Callable[[int], object],
) -> dict[str, dict[str, object]]:
    """{source name: {"to": {receiver name: rendered amount}, "exhausted": rendered amount}}:
    receivers with non-zero amounts, in option order; sources in the order given. Receivers sit
    apart from "exhausted" so that no option's name can be mistaken for it."""
    named = {}
    for source in from_options:
        row = units[source]
        moved = {options[t]: render_units(row[t]) for t in range(len(options)) if row[t]}
        named[options[source]] = {"to": moved, EXHAUSTED: render_units(row[-1])}
    return named
