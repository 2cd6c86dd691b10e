"""Ties: look back to an earlier round first, then a seeded lot; never input order."""

from __future__ import annotations

import random

from services.polls.voting import count

from .helpers import count_ranked, ranked

# Round 1: A 10, B 6, C 5, D 3. D's ballots go 1 to C and 2 to A, so round 2 has B 6, C 6 tied
# for last; in round 1 C had fewer, so C is eliminated (look-back). Round 3: A 12 of 23 wins.
LOOKBACK = (["A", "B", "C", "D"], [(10, "A"), (6, "B"), (5, "C>B"), (1, "D>C"), (2, "D>A")])


def test_irv_lookback_excludes_the_option_lower_in_the_last_unequal_round():
    result = count_ranked("irv", *LOOKBACK)
    assert result["rounds"][1]["totals"] == {"A": 12, "B": 6, "C": 6}
    assert result["rounds"][1]["eliminated"] == ["C"]
    assert result["tie_broken"] is True
    assert result["tie_breaks"] == [
        {
            "round": 2,
            "for": "elimination",
            "between": ["B", "C"],
            "method": "lookback",
            "chosen": "C",
            "lookback_round": 1,
        }
    ]
    assert result["rounds"][2]["totals"] == {"A": 12, "B": 11}
    assert result["rounds"][2]["exhausted"] == 1
    assert result["winners"] == ["A"]
    assert result["seed"] is None  # no lot was drawn, so no seed was needed


SYMMETRIC = (["A", "B", "C"], [(3, "A>C"), (3, "B>C"), (1, "C")])


def test_lot_is_reproducible_from_the_published_seed():
    first = count_ranked("irv", *SYMMETRIC, seed="assembly-2024-05")
    again = count_ranked("irv", *SYMMETRIC, seed="assembly-2024-05")
    assert first == again
    assert first["seed"] == "assembly-2024-05"
    lot = [record for record in first["tie_breaks"] if record["method"] == "lot"]
    assert lot and lot[0]["between"] == ["A", "B"]


def test_different_seeds_can_draw_differently():
    winners = {count_ranked("irv", *SYMMETRIC, seed=seed)["winners"][0] for seed in range(20)}
    assert winners == {"A", "B"}


def test_without_a_seed_one_is_derived_published_and_reproducible():
    result = count_ranked("irv", *SYMMETRIC)
    assert isinstance(result["seed"], str) and len(result["seed"]) == 16
    replay = count_ranked("irv", *SYMMETRIC, seed=result["seed"])
    assert replay["winners"] == result["winners"]
    assert replay["tie_breaks"] == result["tie_breaks"]


def test_lot_ignores_ballot_order_and_option_order():
    options, groups = SYMMETRIC
    base = count(ranked("irv", options, groups, seed=7))
    shuffled_groups = list(groups)
    random.Random(3).shuffle(shuffled_groups)
    reordered = count(ranked("irv", list(reversed(options)), shuffled_groups, seed=7))
    assert reordered["winners"] == base["winners"]
    assert reordered["tie_breaks"] == base["tie_breaks"]


def test_winners_has_exactly_seats_entries_or_every_option():
    assert len(count_ranked("borda", ["A", "B", "C"], [(1, "A")], seats=2)["winners"]) == 2
    result = count_ranked("stv", ["A", "B"], [(1, "A")], seats=5)
    assert sorted(result["winners"]) == ["A", "B"]
    result = count({"method": "approval", "options": ["A", "B", "C"], "seats": 3, "ballots": []})
    assert sorted(result["winners"]) == ["A", "B", "C"]


def test_a_tie_below_the_winners_does_not_mark_the_result():
    result = count(
        {
            "method": "plurality",
            "options": ["A", "B", "C"],
            "ballots": [{"choice": "A", "weight": 3}, {"choice": "B"}, {"choice": "C"}],
        }
    )
    assert result["winners"] == ["A"]
    assert result["tie_broken"] is False
    assert result["tie_breaks"][0]["affects_winners"] is False


def test_stv_exclusion_tie_with_no_earlier_difference_goes_to_lot():
    # Stage 1 (20 votes, 2 seats, quota 7): A 9 is elected; B 4, C 3, D 4.
    options = ["A", "B", "C", "D"]
    groups = [(9, "A>C"), (4, "B"), (3, "C"), (4, "D")]
    result = count_ranked("stv", options, groups, seats=2)
    assert result["quota"] == 7
    # A's surplus (2 of 9) goes to C: C 3 + 9 × 0.22222 = 4.99998. B and D tie on 4 in every
    # stage, so the lot decides between them; C is not excluded first as it is higher.
    stage_two = result["rounds"][1]
    assert stage_two["totals"]["C"] == "4.99998"
    assert stage_two["lost_to_rounding"] == "0.00002"
    exclusion = result["rounds"][2]
    assert exclusion["eliminated"][0] in {"B", "D"}
    assert result["tie_breaks"][0]["method"] == "lot"
    assert result["tie_breaks"][0]["between"] == ["B", "D"]
