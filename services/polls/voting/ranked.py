"""Ranked ballots into a matrix of distinct rankings, fast enough for a million ballots.

The common shape — ``{"ranking": [...]}`` or ``{"ranking": [...], "weight": <int>}`` — is read in
chunks with C-level passes only: all names of a chunk are mapped to indices in one `map`, each
ranking becomes an integer key, and numpy groups identical keys. Memory beyond the input stays
proportional to one chunk plus the distinct rankings. Anything else (fractional weights, other
ballot forms, abstentions, errors) is read by the general path in `ballots`, which names the
first offending ballot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np

from .arrays import EXACT_FLOAT_LIMIT, integer_array
from .ballots import RANKING, BallotGroups, Key, _Duplicate, _read
from .exact import Number

CHUNK = 131_072
_get_ranking = itemgetter("ranking")


@dataclass
class RankedBallots:
    """Distinct rankings as rows of option indices (padded with m), with their weights.

    The first ``len(whole_weights)`` rows carry whole weights; the others carry one fractional
    weight each (``fractional[k] = (weight, copies)``). Empty rankings are not rows: their weight
    is `abstentions`.
    """

    matrix: np.ndarray
    whole_weights: np.ndarray  # int64, or object (Python ints) for huge totals
    fractional: list[tuple[Fraction, int]]
    abstentions: Number
    ballots_cast: int

    def turnout(self) -> Number:
        total: Number = int(sum(self.whole_weights.tolist())) + self.abstentions
        return total + sum(weight * copies for weight, copies in self.fractional)


class _NotSimple(Exception):
    """This chunk is not in the common shape: use the general path."""


def ranked_ballots(ballots: object, options: list[str]) -> RankedBallots:
    """Read ranked ballots into distinct rankings with their total weights."""
    index = {name: position for position, name in enumerate(options)}
    if isinstance(ballots, list) and (len(options) + 1) ** len(options) < 2**63:
        try:
            return _read_fast(ballots, index)
        except _NotSimple:
            pass
    return _read(ballots, options, RANKING, _from_groups)


def _from_groups(by_names: BallotGroups, index: dict[str, int]) -> RankedBallots:
    abstentions: Number = by_names.whole.pop((), 0)
    fractional = []
    for (names, weight), copies in by_names.fractional.items():
        if names:
            fractional.append((names, weight, copies))
        else:
            abstentions += weight * copies
    name_keys = list(by_names.whole) + [names for names, _, _ in fractional]
    return RankedBallots(
        matrix=ranking_matrix(name_keys, index),
        whole_weights=integer_array(list(by_names.whole.values())),
        fractional=[(weight, copies) for _, weight, copies in fractional],
        abstentions=abstentions,
        ballots_cast=by_names.ballots_cast,
    )


def ranking_matrix(name_keys: list[Key], index: dict[str, int]) -> np.ndarray:
    """Rankings of names as an (n, m) int16 matrix of option indices, padded with m.

    One C-level pass maps all names (a KeyError means an unknown option); repeats are found by
    sorting each row, instead of a Python set per ballot.
    """
    m = len(index)
    lengths = np.fromiter(map(len, name_keys), dtype=np.int64, count=len(name_keys))
    if len(name_keys) and lengths.max() > m:
        raise _Duplicate  # longer than the option list: something repeats or is unknown
    flat = np.fromiter(
        map(index.__getitem__, chain.from_iterable(name_keys)),
        dtype=np.int16,
        count=int(lengths.sum()),
    )
    if len(name_keys) and lengths.min() == m:
        matrix = flat.reshape(len(name_keys), m)  # full rankings: no padding to place
    else:
        matrix = np.full((len(name_keys), m), m, dtype=np.int16)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        row_of = np.repeat(np.arange(len(name_keys)), lengths)
        matrix[row_of, np.arange(flat.size) - starts] = flat
    if _has_repeats(matrix, lengths, m):
        raise _Duplicate
    return matrix


def _has_repeats(matrix: np.ndarray, lengths: np.ndarray, m: int) -> bool:
    """Whether any row names an option twice."""
    if m <= 62:
        # The set of a row's options as bits: a repeat leaves fewer bits than places filled.
        bits = np.left_shift(np.int64(1), matrix.astype(np.int64))
        bits[matrix == m] = 0
        return bool(np.any(np.bitwise_count(np.bitwise_or.reduce(bits, axis=1)) != lengths))
    ordered = np.sort(matrix, axis=1)
    return bool(np.any((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] < m)))


def _read_fast(ballots: list[Any], index: dict[str, int]) -> RankedBallots:
    m = len(index)
    # A ranking is the base-(m+1) number of its option indices, padding m filling the tail.
    place_values = (m + 1) ** np.arange(m - 1, -1, -1, dtype=np.int64)
    keys, weights = [], []
    grouped = _grouped_whole(ballots, index, place_values)
    if grouped is not None:  # few distinct rankings: grouped in one pass, no chunks
        keys.append(grouped[0])
        weights.append(grouped[1])
        ballots_seen, ballots = len(ballots), []
    else:
        ballots_seen = len(ballots)
    for start in range(0, len(ballots), CHUNK):
        chunk_keys, chunk_weights = _chunk_keys(ballots[start : start + CHUNK], index, place_values)
        if chunk_weights.sum(dtype=np.float64) >= EXACT_FLOAT_LIMIT / 2:
            raise _NotSimple  # huge weights: let the general path sum them as Python ints
        # Merge each chunk at once, so memory follows the distinct rankings, not the ballots.
        distinct, totals = _merge(chunk_keys, chunk_weights)
        keys.append(distinct)
        weights.append(totals)
    if not keys:
        keys, weights = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    distinct, totals = _merge(np.concatenate(keys), np.concatenate(weights))
    if totals.sum(dtype=np.float64) >= EXACT_FLOAT_LIMIT / 2:
        raise _NotSimple
    matrix = (distinct[:, None] // place_values[None, :] % (m + 1)).astype(np.int16)
    blank = distinct == m * place_values.sum()  # every place padded: an empty ranking
    return RankedBallots(
        matrix=matrix[~blank],
        whole_weights=totals[~blank],
        fractional=[],
        abstentions=int(totals[blank].sum()),
        ballots_cast=ballots_seen,
    )


def _merge(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys with their summed weights (sums below 2**53, so float64 is exact)."""
    distinct, where = np.unique(keys, return_inverse=True)
    sums = np.bincount(where.ravel(), weights=weights.astype(np.float64), minlength=distinct.size)
    return distinct, np.rint(sums).astype(np.int64)


def _grouped_whole(
    ballots: list[Any], index: dict[str, int], place_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """(distinct keys, counts) of unweighted ballots that repeat a few rankings, grouped in
    C-level passes over the whole list (no chunk copies, no list of rankings: memory follows
    the distinct rankings); None when the ballots do not look like that."""
    head = ballots[:1024]
    try:
        if sum(map(len, head)) != len(head) or not _few_distinct(list(map(_get_ranking, head))):
            return None
        # Only {"ranking": [...]}: one field each, and every ranking a list (a tuple, a dict
        # or a string would be grouped as a tuple too, so their type is checked first).
        if sum(map(len, ballots)) != len(ballots):
            return None
        if set(map(type, map(_get_ranking, ballots))) != {list}:
            return None
        grouped = Counter(map(tuple, map(_get_ranking, ballots)))
        matrix = ranking_matrix(list(grouped), index)
    except (KeyError, TypeError, OverflowError, _Duplicate):
        raise _NotSimple from None
    keys = matrix.astype(np.int64) @ place_values
    return _merge(keys, np.fromiter(grouped.values(), dtype=np.int64, count=len(grouped)))


def _chunk_keys(
    chunk: list[Any], index: dict[str, int], place_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, weights) of one chunk of ballots in the common shape, else _NotSimple."""
    try:
        rankings = list(map(_get_ranking, chunk))
        fields = sum(map(len, chunk))
        # One field each can only be the ranking; beyond that, the extras must be weights.
        has_weight = fields > len(chunk) and sum(map(dict.__contains__, chunk, repeat("weight")))
        if fields != len(chunk) + has_weight:
            raise _NotSimple  # some ballot has other fields (abstain, choice, ...)
        if set(map(type, rankings)) - {list}:
            raise _NotSimple
        if has_weight:
            raw_weights = [ballot.get("weight", 1) for ballot in chunk]
            if set(map(type, raw_weights)) != {int}:
                raise _NotSimple  # fractional, textual or bool weights
            weights = np.array(raw_weights, dtype=np.int64)
            if weights.min() <= 0:
                raise _NotSimple
        elif _few_distinct(rankings):
            # Polls with few options repeat the same rankings: count them first (C speed),
            # then check and translate only the distinct ones.
            grouped = Counter(map(tuple, rankings))
            matrix = ranking_matrix(list(grouped), index)
            return matrix.astype(np.int64) @ place_values, np.fromiter(
                grouped.values(), dtype=np.int64, count=len(grouped)
            )
        else:
            weights = np.ones(len(chunk), dtype=np.int64)
        matrix = ranking_matrix(rankings, index)
    except (KeyError, TypeError, OverflowError, _Duplicate):
        raise _NotSimple from None
    return matrix.astype(np.int64) @ place_values, weights


def _few_distinct(rankings: list[list[Any]], sample: int = 1024) -> bool:
    """Whether a sample of the chunk repeats itself enough for grouping first to pay."""
    head = rankings[:sample]
    return len(set(map(tuple, head))) * 4 <= len(head)
