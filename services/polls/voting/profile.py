"""Distinct rankings with exact integer weights, and the few array operations counts share."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import numpy as np

from .arrays import EXACT_FLOAT_LIMIT, integer_array
from .exact import Number


class RankedBallots(Protocol):
    """What a profile is made from (ranked.py's RankedBallots), named here so that this module
    does not import ranked.py, which imports it."""

    matrix: np.ndarray
    whole_weights: np.ndarray
    fractional: list[tuple[Fraction, int]]
    abstentions: Number
    ballots_cast: int

    def turnout(self) -> Number: ...


@dataclass
class RankedProfile:
    """Rankings (n × m option indices, padded with m) and weights in units of 1/scale."""

    options: list[str]
    matrix: np.ndarray
    weights: np.ndarray  # int64 when every sum stays below 2**53, else Python ints (object)
    scale: int
    abstentions: Number
    turnout: Number
    ballots_cast: int

    @classmethod
    def from_ballots(cls, ranked: RankedBallots, options: list[str]) -> RankedProfile:
        # Fractional weights are put on a common denominator so counting stays in integers.
        scale = 1
        for weight, _ in ranked.fractional:
            scale = math.lcm(scale, weight.denominator)
        if not ranked.fractional:
            weights = ranked.whole_weights  # the common case: no copying
        else:
            units = [weight * scale for weight in ranked.whole_weights.tolist()]
            units += [int(weight * copies * scale) for weight, copies in ranked.fractional]
            weights = integer_array(units)
        return cls(
            options=options,
            matrix=ranked.matrix,
            weights=weights,
            scale=scale,
            abstentions=ranked.abstentions,
            turnout=ranked.turnout(),
            ballots_cast=ranked.ballots_cast,
        )

    @property
    def size(self) -> int:
        return len(self.options)

    def value(self, units: int) -> Number:
        """Units of 1/scale back to an exact number."""
        return units if self.scale == 1 else Fraction(units, self.scale)

    def total_units(self) -> int:
        return (
            int(sum(self.weights.tolist()))
            if self.weights.dtype == object
            else int(self.weights.sum())
        )


def exact_bincount(index: np.ndarray, weights: np.ndarray, length: int) -> list[int]:
    """Sum of weights per index in 0..length-1 (index -1 is dropped), exactly."""
    keep = index >= 0
    index, weights = index[keep], weights[keep]
    if weights.dtype == object:
        totals = [0] * length
        for position, weight in zip(index.tolist(), weights.tolist(), strict=True):
            totals[position] += weight
        return totals
    # Safe: the caller's weights sum to less than 2**53, so every float64 partial sum is exact.
    sums = np.bincount(index, weights=weights.astype(np.float64), minlength=length)
    return [int(total) for total in np.rint(sums).tolist()]


def first_continuing(matrix: np.ndarray, continuing: np.ndarray) -> np.ndarray:
    """For each row, the highest-ranked option still continuing, or -1 if none (exhausted).

    `continuing` is a bool mask over options; the padding value m is never continuing.
    """
    if matrix.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    mask = np.append(continuing, False)[matrix]
    position = mask.argmax(axis=1)
    rows = np.arange(matrix.shape[0])
    found = mask[rows, position]
    return np.where(found, matrix[rows, position].astype(np.int64), -1)


def canonical_digest(matrix: np.ndarray, weights: np.ndarray) -> str:
    """A digest of the rankings and weights that ignores the order ballots came in."""
    if matrix.shape[0] == 0:
        return hashlib.sha256(b"").hexdigest()
    order = np.lexsort(matrix.T[::-1])
    data = matrix[order].astype(np.int64).tobytes() + repr(weights[order].tolist()).encode()
    return hashlib.sha256(data).hexdigest()


def positions(matrix: np.ndarray, m: int) -> np.ndarray:
    """(n, m) rank position of each option on each ballot (0 = first); m where unranked."""
    n = matrix.shape[0]
    placed = np.full((n, m + 1), m, dtype=np.int16)
    placed[np.arange(n)[:, None], matrix] = np.arange(m, dtype=np.int16)
    return placed[:, :m]


def weighted_column_sums(weights: np.ndarray, values: np.ndarray) -> list[int]:
    """Σ weight × value per column, exactly (values are small non-negative integers)."""
    if weights.dtype == object or values.size == 0:
        totals = [0] * values.shape[1]
        for weight, row in zip(weights.tolist(), values.tolist(), strict=True):
            for column, value in enumerate(row):
                totals[column] += weight * value
        return totals
    bound = int(values.max()) * int(weights.sum())
    if bound < EXACT_FLOAT_LIMIT:  # every float64 partial sum is an exact integer
        sums = weights.astype(np.float64) @ values.astype(np.float64)
        return [int(total) for total in np.rint(sums).tolist()]
    return weighted_column_sums(weights.astype(object), values)


def pairwise_counts(matrix: np.ndarray, weights: np.ndarray, m: int) -> list[list[int]]:
    """d[i][j] = total weight of rows ranking option i above option j (ranked beats unranked).

    One (n, m) comparison per option, summed with a BLAS matrix-vector product. float32 sums are
    exact below 2**24 and float64 below 2**53; beyond that, Python integers.
    """
    placed = positions(matrix, m)
    n = placed.shape[0]
    total = (
        0
        if n == 0
        else int(sum(weights.tolist()))
        if weights.dtype == object
        else int(weights.sum())
    )
    if weights.dtype == object or total >= EXACT_FLOAT_LIMIT:
        return [
            weighted_column_sums(weights, (placed[:, [i]] < placed).view(np.uint8))
            for i in range(m)
        ]
    dtype = np.float32 if total < 2**24 else np.float64
    placed = placed.astype(np.int8) if m < 127 else placed
    as_float = weights.astype(dtype)
    above = np.empty((n, m), dtype=dtype)
    rows = []
    for option in range(m):
        np.less(placed[:, option : option + 1], placed, out=above, casting="unsafe")
        rows.append([int(value) for value in np.rint(as_float @ above).tolist()])
    return rows
