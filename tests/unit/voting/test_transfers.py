"""Where each eliminated option's ballots (or each surplus) went: exact, and adding up.

IRV: for each eliminated option, its transfers sum to its total in that round, and the next
round's totals are this round's plus what each option received. STV: every stage that moves
votes says where they went, and the totals after it are the totals before plus the transfers.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given

from services.polls.voting import count

from .blt import ELECTIONS, read_blt
from .helpers import count_ranked
from .profiles import SETTINGS, election, profiles


def exact(value: object) -> Fraction:
    """A rendered amount (int, "2.5", "1/3", "3.63630") as the exact number it says."""
    return Fraction(str(value))


def check_irv_transfers(result: dict) -> None:
    rounds = result["rounds"]
    for this, after in zip(rounds, rounds[1:] + [None], strict=True):
        if "eliminated" not in this:
            assert "transfers" not in this
            continue
        transfers = this["transfers"]
        assert list(transfers) == this["eliminated"]
        received: dict[str, Fraction] = defaultdict(Fraction)
        nowhere = Fraction(0)
        for option, moved in transfers.items():
            assert all(exact(amount) > 0 for amount in moved["to"].values())
            sent = sum(exact(amount) for amount in moved["to"].values())
            assert sent + exact(moved["exhausted"]) == exact(this["totals"][option])
            assert set(moved["to"]) <= set(after["totals"])
            for receiver, amount in moved["to"].items():
                received[receiver] += exact(amount)
            nowhere += exact(moved["exhausted"])
        for option, total in after["totals"].items():
            assert exact(total) == exact(this["totals"][option]) + received[option], option
        assert exact(after["exhausted"]) == exact(this["exhausted"]) + nowhere


def check_stv_transfers(result: dict) -> None:
    rounds = result["rounds"]
    assert "transfers" not in rounds[0]
    out: set[str] = set(rounds[0]["elected"])
    for before, stage in zip(rounds, rounds[1:], strict=False):
        (source, moved), *others = stage["transfers"].items()  # every later stage moves votes
        assert not others and source == stage["transferred_from"]
        assert all(exact(amount) > 0 for amount in moved["to"].values())
        out |= set(stage["eliminated"])
        assert not set(moved["to"]) & out, "votes only go to continuing candidates"
        for option, total in stage["totals"].items():
            if option != source:
                assert exact(total) == exact(before["totals"][option]) + exact(
                    moved["to"].get(option, 0)
                ), (stage["round"], option)
        assert exact(stage["exhausted"]) == exact(before["exhausted"]) + exact(moved["exhausted"])
        sent = sum(exact(amount) for amount in moved["to"].values()) + exact(moved["exhausted"])
        lost = exact(stage["lost_to_rounding"]) - exact(before["lost_to_rounding"])
        if stage["eliminated"]:
            assert sent == exact(before["totals"][source]) and lost == 0
            assert exact(stage["totals"][source]) == 0
        else:
            assert sent + lost == exact(stage["surplus"])
            assert exact(stage["totals"][source]) == result["quota"]
        out |= set(stage["elected"])


# Round 1: A 10, B 9, C 3, D 2, E 1. E + D + C = 6 < 9: all three go at once. C's ballots go
# 2 to A and 1 to B; D's 1 to B and 1 nowhere; E's skip C (also out) and reach A.
BULK = (
    ["A", "B", "C", "D", "E"],
    [(10, "A"), (9, "B"), (2, "C>A"), (1, "C>B"), (1, "D>B"), (1, "D"), (1, "E>C>A")],
)


def test_irv_bulk_exclusion_says_where_each_eliminated_options_ballots_went():
    result = count_ranked("irv", *BULK)
    first, second = result["rounds"]
    assert first["bulk_exclusion"] is True
    assert first["eliminated"] == ["E", "D", "C"]
    assert first["transfers"] == {
        "E": {"to": {"A": 1}, "exhausted": 0},
        "D": {"to": {"B": 1}, "exhausted": 1},
        "C": {"to": {"A": 2, "B": 1}, "exhausted": 0},
    }
    assert second["totals"] == {"A": 13, "B": 11}
    assert "transfers" not in second  # A wins: nothing moves
    check_irv_transfers(result)


def test_irv_tie_broken_eliminations_record_their_transfers():
    # The look-back example of test_ties: D goes first, then C after a tie with B.
    lookback = count_ranked(
        "irv", ["A", "B", "C", "D"], [(10, "A"), (6, "B"), (5, "C>B"), (1, "D>C"), (2, "D>A")]
    )
    assert [r.get("transfers") for r in lookback["rounds"]] == [
        {"D": {"to": {"A": 2, "C": 1}, "exhausted": 0}},
        {"C": {"to": {"B": 5}, "exhausted": 1}},
        None,
    ]
    check_irv_transfers(lookback)
    by_lot = count_ranked("irv", ["A", "B", "C"], [(3, "A>C"), (3, "B>C"), (1, "C")], seed=3)
    assert by_lot["tie_broken"] is True
    check_irv_transfers(by_lot)


def test_irv_transfers_are_exact_with_fractional_and_huge_weights():
    fractional = count(
        {
            "method": "irv",
            "options": ["A", "B", "C", "D"],
            "ballots": [
                {"ranking": ["A"], "weight": 2},
                {"ranking": ["B", "A"], "weight": "3/2"},
                {"ranking": ["C", "B"], "weight": "1/3"},
                {"ranking": ["C", "A"], "weight": 0.25},
                {"ranking": ["D", "C", "B"], "weight": "1/7"},
            ],
        }
    )
    # D (1/7) and C (7/12) together trail B (3/2): both go at once, D's ballot skipping C.
    first = fractional["rounds"][0]
    assert first["transfers"] == {
        "D": {"to": {"B": "1/7"}, "exhausted": 0},
        "C": {"to": {"A": "0.25", "B": "1/3"}, "exhausted": 0},
    }
    check_irv_transfers(fractional)
    huge = count_ranked(
        "irv", ["A", "B", "C"], [(2**60, "A"), (2**60 - 1, "B"), (3, "C>B"), (2, "C")]
    )
    assert huge["rounds"][0]["transfers"] == {"C": {"to": {"B": 3}, "exhausted": 2}}
    check_irv_transfers(huge)


def test_stv_surplus_transfer_names_receivers_and_the_non_transferable():
    result = count_ranked(
        "stv",
        ["A", "B", "C", "D"],
        [(10, "A>B>C"), (4, "B>C"), (3, "C>D"), (2, "D>A"), (1, "A")],
        seats=2,
    )
    surplus = result["rounds"][1]
    # Quota 7; A's 11 carry 4 on at 4/11 each, truncated: 10 × 0.36363 to B, 1 × 0.36363 nowhere.
    assert surplus["transfers"] == {"A": {"to": {"B": "3.63630"}, "exhausted": "0.36363"}}
    assert surplus["lost_to_rounding"] == "0.00007"
    check_stv_transfers(result)


def random_profile(size: int, m: int, seed: int) -> tuple[list[str], list[dict]]:
    """Truncated random rankings with a lean, so counts run several rounds."""
    rng = np.random.default_rng(seed)
    options = [f"Option {i}" for i in range(m)]
    utility = rng.normal(size=(size, m)) + np.linspace(0, 1, m)
    orders = np.argsort(-utility, axis=1)
    lengths = rng.integers(1, m + 1, size=size)
    ballots = [
        {"ranking": [options[i] for i in order[:length]]}
        for order, length in zip(orders.tolist(), lengths.tolist(), strict=True)
    ]
    return options, ballots


def test_transfers_add_up_on_a_larger_random_count():
    options, ballots = random_profile(5000, 9, seed=11)
    irv = count({"method": "irv", "options": options, "ballots": ballots})
    assert len(irv["rounds"]) > 2
    check_irv_transfers(irv)
    stv = count({"method": "stv", "options": options, "seats": 3, "ballots": ballots})
    assert len(stv["rounds"]) > 2
    check_stv_transfers(stv)


@SETTINGS
@given(profiles(max_options=6))
def test_irv_transfers_add_up(profile):
    check_irv_transfers(count(election("irv", profile)))


@SETTINGS
@given(profiles(min_options=3, max_options=6))
def test_stv_transfers_add_up(profile):
    check_stv_transfers(count(election("stv", profile, seats=2)))


@pytest.mark.parametrize("ward", range(1, 18))
def test_stv_transfers_add_up_in_every_edinburgh_ward(ward):
    result = count(read_blt(ELECTIONS / "edinburgh-2017" / f"ward-{ward:02d}.blt"))
    check_stv_transfers(result)
