"""pref_voting as an independent oracle on random profiles (weighted and truncated).

We compare only what does not depend on a tie-break: sets of possible winners, exact scores,
or single winners where the oracle's answer is unique and our count broke no tie.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given

from services.polls.voting import count

from .profiles import SETTINGS, election, index_of, profiles

pref_voting = pytest.importorskip("pref_voting")
from pref_voting.iterative_methods import (  # noqa: E402
    instant_runoff_for_truncated_linear_orders,
    instant_runoff_put,
)
from pref_voting.margin_based_methods import beat_path  # noqa: E402
from pref_voting.profiles import Profile  # noqa: E402
from pref_voting.profiles_with_ties import ProfileWithTies  # noqa: E402
from pref_voting.proportional_methods import stv_scottish  # noqa: E402
from pref_voting.scoring_methods import symmetric_borda_scores  # noqa: E402


def with_ties(profile) -> ProfileWithTies:
    """Their profile with truncation: ranked options above unranked ones, as ours."""
    m, groups = profile
    oracle = ProfileWithTies(
        [{o: rank + 1 for rank, o in enumerate(r)} for r, _ in groups],
        rcounts=[w for _, w in groups],
        candidates=list(range(m)),
    )
    oracle.use_extended_strict_preference()
    return oracle


def winner_indices(result: dict) -> list[int]:
    return [index_of(name) for name in result["winners"]]


@SETTINGS
@given(profiles())
def test_schulze_possible_winners_match_beat_path_with_winning_votes(profile):
    ours = count(election("schulze", profile))
    oracle = with_ties(profile)
    theirs = beat_path(oracle, strength_function=oracle.support)
    assert sorted(index_of(n) for n in ours["potential_winners"]) == theirs
    assert winner_indices(ours)[0] in theirs


@SETTINGS
@given(profiles())
def test_borda_scores_match_symmetric_borda(profile):
    # Symmetric Borda (below minus above) is 2 × our averaged score − (n − 1) per ballot.
    m, groups = profile
    ours = count(election("borda", profile))
    theirs = symmetric_borda_scores(with_ties(profile))
    total_weight = sum(w for _, w in groups)
    for name, value in ours["totals"].items():
        assert 2 * Fraction(value) - (m - 1) * total_weight == theirs[index_of(name)]


@SETTINGS
@given(profiles(truncated=False))
def test_irv_winner_is_among_parallel_universe_winners(profile):
    m, groups = profile
    ours = count(election("irv", profile))
    theirs = instant_runoff_put(
        Profile([list(r) for r, _ in groups], rcounts=[w for _, w in groups])
    )
    assert winner_indices(ours)[0] in theirs
    if len(theirs) == 1:
        assert winner_indices(ours) == theirs


@SETTINGS
@given(profiles())
def test_irv_on_truncated_ballots_matches_where_no_tie_was_broken(profile):
    ours = count(election("irv", profile))
    theirs = instant_runoff_for_truncated_linear_orders(with_ties(profile))
    if not ours["tie_broken"] and len(theirs) == 1:
        assert winner_indices(ours) == theirs


@SETTINGS
@given(profiles(min_options=3, max_options=6, max_groups=15))
def test_stv_matches_scottish_stv_where_no_lot_decides(profile):
    m, groups = profile
    seats = 2 if m < 5 else 3
    ours = count(election("stv", profile, seats=seats))
    first = stv_scottish(with_ties(profile), num_seats=seats, rng=random.Random(1))
    second = stv_scottish(with_ties(profile), num_seats=seats, rng=random.Random(2))
    if not ours["tie_broken"] and first == second:
        assert sorted(winner_indices(ours)) == sorted(first)
