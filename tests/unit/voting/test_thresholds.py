"""Plurality and majority: thresholds, abstentions and quorum, with hand-checked numbers."""

from __future__ import annotations

import pytest

from services.polls.voting import InvalidElection, count


def vote(yes: int, no: int, abstain: int = 0, **extra) -> dict:
    ballots = [{"choice": "Yes", "weight": yes}, {"choice": "No", "weight": no}]
    if abstain:
        ballots.append({"choice": None, "weight": abstain})
    return {"method": "majority", "options": ["Yes", "No"], "ballots": ballots, **extra}


@pytest.mark.parametrize(
    ("yes", "no", "threshold", "met"),
    [
        (51, 49, "simple", True),
        (50, 50, "simple", False),  # exactly half is not more than half
        (66, 34, "two_thirds", False),
        (2, 1, "two_thirds", True),  # exactly two thirds is enough
        (59, 41, "3/5", False),
        (60, 40, 0.6, True),
        (1, 99, "plurality", True),  # No wins with most votes
    ],
)
def test_thresholds_on_valid_votes(yes, no, threshold, met):
    result = count(vote(yes, no, threshold=threshold))
    assert result["threshold_met"] is met


def test_abstentions_are_apart_from_valid_votes():
    result = count(vote(6, 5, abstain=10))
    assert result["valid_votes"] == 11
    assert result["abstentions"] == 10
    assert result["threshold_met"] is True  # 6 of 11 valid votes


def test_absolute_majority_counts_the_electorate():
    assert count(vote(60, 10, threshold="absolute", electorate=100))["threshold_met"] is True
    assert count(vote(50, 10, threshold="absolute", electorate=100))["threshold_met"] is False


def test_absolute_majority_needs_an_electorate():
    with pytest.raises(InvalidElection) as error:
        count(vote(60, 10, threshold="absolute"))
    assert error.value.field == "electorate"


def test_quorum_counts_abstentions_towards_turnout():
    met = count(vote(10, 5, abstain=5, quorum="1/5", electorate=100))
    assert met["turnout"] == 20 and met["quorum_met"] is True and met["decided"] is True
    short = count(vote(10, 5, abstain=4, quorum=0.2, electorate=100))
    assert short["quorum_met"] is False
    assert short["decided"] is False
    assert short["winners"] == ["Yes"]


def test_plurality_with_several_seats_takes_the_top():
    election = {
        "method": "plurality",
        "options": ["A", "B", "C", "D"],
        "seats": 2,
        "ballots": [
            {"choice": "C", "weight": 5},
            {"choice": "A", "weight": 3},
            {"choice": "B", "weight": 1},
            {"ranking": ["A", "C"]},
        ],
    }
    result = count(election)
    assert result["winners"] == ["C", "A"]
    assert result["totals"] == {"A": 4, "B": 1, "C": 5, "D": 0}
    assert result["tie_broken"] is False


def test_fractional_weights_are_exact():
    election = {
        "method": "majority",
        "options": ["Yes", "No"],
        "ballots": [
            {"choice": "Yes", "weight": 0.1},
            {"choice": "Yes", "weight": 0.2},
            {"choice": "No", "weight": "0.3"},
        ],
    }
    result = count(election)  # 0.1 + 0.2 == 0.3 exactly: a tie, not a float accident
    assert result["totals"] == {"Yes": "0.3", "No": "0.3"}
    assert result["tie_broken"] is True
    assert result["threshold_met"] is False
