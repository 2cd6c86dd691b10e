"""Properties every count must keep, on random profiles."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from services.polls.voting import count

from .profiles import SETTINGS, election, names, profiles

RANKED = ["irv", "stv", "schulze", "borda"]


def condorcet_winner(profile) -> int | None:
    """The option that beats every other head to head (ranked above unranked), if any."""
    m, groups = profile

    def prefers(a: int, b: int) -> int:
        total = 0
        for ranking, weight in groups:
            pos = {o: i for i, o in enumerate(ranking)}
            if a in pos and (b not in pos or pos[a] < pos[b]):
                total += weight
        return total

    for a in range(m):
        if all(prefers(a, b) > prefers(b, a) for b in range(m) if b != a):
            return a
    return None


@SETTINGS
@given(profiles())
def test_a_condorcet_winner_wins_schulze(profile):
    winner = condorcet_winner(profile)
    result = count(election("schulze", profile))
    if winner is not None:
        assert result["winners"] == [names(profile[0])[winner]]
        assert result["potential_winners"] == result["winners"]
        assert result["tie_broken"] is False


@SETTINGS
@given(profiles(min_options=2, max_options=2))
def test_irv_with_two_options_is_a_majority_vote(profile):
    irv = count(election("irv", profile))
    choices = election("majority", profile)
    choices["ballots"] = [
        {"choice": b["ranking"][0], "weight": b["weight"]} for b in choices["ballots"]
    ]
    majority = count(choices)
    first, second = majority["totals"].values()
    if first != second:
        assert irv["winners"] == majority["winners"]
        assert majority["threshold_met"] is True
        assert irv["tie_broken"] is False


@SETTINGS
@given(profiles())
def test_stv_with_one_seat_is_irv(profile):
    stv = count(election("stv", profile, seats=1))
    irv = count(election("irv", profile))
    if not stv["tie_broken"] and not irv["tie_broken"]:
        assert stv["winners"] == irv["winners"]


@SETTINGS
@given(profiles(), st.sampled_from(RANKED), st.integers(0, 2**32))
def test_the_result_does_not_depend_on_ballot_order(profile, method, shuffle_seed):
    seats = 2 if method in ("stv", "borda") and profile[0] > 2 else 1
    forward = election(method, profile, seats=seats)
    backward = election(method, profile, seats=seats)
    random.Random(shuffle_seed).shuffle(backward["ballots"])
    assert count(forward) == count(backward)  # derived seeds included


@SETTINGS
@given(profiles(max_groups=6), st.sampled_from(RANKED))
def test_a_weight_equals_repeated_ballots(profile, method):
    seats = 2 if method == "stv" and profile[0] > 2 else 1
    weighted = election(method, profile, seats=seats, seed="s")
    repeated = dict(weighted)
    repeated["ballots"] = [
        {"ranking": b["ranking"]} for b in weighted["ballots"] for _ in range(b["weight"])
    ]
    one, other = count(weighted), count(repeated)
    one.pop("ballots_cast"), other.pop("ballots_cast")
    assert one == other


@SETTINGS
@given(profiles(), st.sampled_from(RANKED))
def test_fast_and_general_ballot_readers_agree(profile, method):
    fast = election(method, profile, seed=1)
    general = election(method, profile, seed=1)
    # An extra field on one ballot sends the whole read down the general, per-ballot path.
    general["ballots"][0] = {**general["ballots"][0], "cast_at": "2024-05-01"}
    assert count(fast) == count(general)


@SETTINGS
@given(profiles(max_options=4))
def test_plurality_winner_has_the_most_first_preferences(profile):
    choices = election("plurality", profile)
    choices["ballots"] = [
        {"choice": b["ranking"][0], "weight": b["weight"]} for b in choices["ballots"]
    ]
    result = count(choices)
    best = max(result["totals"].values())
    assert result["totals"][result["winners"][0]] == best
    assert sum(result["totals"].values()) == sum(w for _, w in profile[1])
