"""The Borda count: with n options a ballot gives n−1 points to its first choice, … 0 to its last.

A truncated ballot that ranks k options gives n−1 … n−k to them, and the points that are left
(n−k−1 … 0) are shared equally among its unranked options, (n−k−1)/2 each, so every ballot gives
the same total. Points are counted exactly, in halves.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .election import Election
from .exact import render
from .profile import RankedProfile, canonical_digest, positions, weighted_column_sums
from .ranked import ranked_ballots
from .ties import rank_by_score

TRUNCATION_RULE = (
    "a ballot ranking k of n options gives n-1 ... n-k points to them and shares the rest "
    "equally among its unranked options, (n-k-1)/2 each"
)


def count_borda(election: Election) -> dict[str, Any]:
    profile = RankedProfile.from_ballots(
        ranked_ballots(election.ballots, election.options), election.options
    )
    options, m = election.options, profile.size
    placed = positions(profile.matrix, m).astype(np.int64)
    ranked_count = (profile.matrix < m).sum(axis=1, keepdims=True)
    # Doubled points keep the shared halves in integers.
    doubled = np.where(placed < m, 2 * (m - 1 - placed), m - 1 - ranked_count)
    half_points = weighted_column_sums(profile.weights, doubled)
    totals = [Fraction(points, 2 * profile.scale) for points in half_points]
    breaker = election.tie_breaker(lambda: canonical_digest(profile.matrix, profile.weights))
    ranking = rank_by_score(totals, breaker, seats=election.seats)
    named = {name: render(total) for name, total in zip(options, totals, strict=True)}
    return election.result(
        breaker,
        winners=[options[o] for o in ranking[: election.seats]],
        rounds=[{"round": 1, "totals": named}],
        totals=named,
        ranking=[options[o] for o in ranking],
        points=f"{m - 1} for a first choice down to 0 for a last",
        truncated_ballots=TRUNCATION_RULE,
        ballots_cast=profile.ballots_cast,
        abstentions=render(profile.abstentions),
        **election.quorum_fields(profile.turnout),
    )
