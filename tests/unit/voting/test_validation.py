"""Malformed elections and ballots are rejected with the field and the reason."""

from __future__ import annotations

import json

import pytest

from services.polls.voting import METHODS, InvalidElection, count, validate_ballot


def election(**changes) -> dict:
    base = {
        "method": "irv",
        "options": ["A", "B", "C"],
        "ballots": [{"ranking": ["A", "B"]}, {"ranking": ["B"]}],
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


BAD = [
    (election(method="dictator"), "method", "unknown method 'dictator'"),
    (election(method=None), "method", "missing field 'method'"),
    (election(options=None), "options", "missing field 'options'"),
    (election(ballots=None), "ballots", "missing field 'ballots'"),
    (election(options=[]), "options", "non-empty list"),
    (election(options=["A", "A"]), "options[1]", "appears twice"),
    (election(seats=0), "seats", "positive whole number"),
    (election(seats=2), "seats", "use stv"),
    (
        election(ballots=[{"ranking": ["A"]}, {"ranking": ["A", "Z"]}]),
        "ballots[1].ranking",
        "option 'Z' is not one of the options",
    ),
    (
        election(ballots=[{"ranking": ["A", "B", "A"]}]),
        "ballots[0].ranking",
        "option 'A' appears more than once",
    ),
    (
        election(ballots=[{"ranking": ["A"]}, {"weight": 2}]),
        "ballots[1]",
        "missing field 'ranking'",
    ),
    (election(ballots=[{"ranking": ["A"], "weight": 0}]), "ballots[0].weight", "positive"),
    (
        election(ballots=[{"ranking": ["A"], "weight": "lots"}]),
        "ballots[0].weight",
        "expected a number",
    ),
    (
        election(ballots=[{"ranking": ["A"], "weight": True}]),
        "ballots[0].weight",
        "expected a number",
    ),
    (election(ballots=[{"ranking": "A"}]), "ballots[0].ranking", "expected a list"),
    (
        election(ballots=[{"approve": ["A", "B"]}]),
        "ballots[0].approve",
        "equal ranks are not allowed",
    ),
    (election(ballots=["A"]), "ballots[0]", "must be an object"),
    (election(ballots=[{"ranking": [1]}]), "ballots[0].ranking", "strings"),
    (
        election(method="approval", ballots=[{"ranking": ["A", "B"]}]),
        "ballots[0].ranking",
        "needs 'approve'",
    ),
    (
        election(method="majority", ballots=[{"choice": "D"}]),
        "ballots[0].choice",
        "option 'D' is not one of the options",
    ),
    (election(quorum=0.5), "electorate", "needs the size of the electorate"),
    (election(quorum=2, electorate=10), "quorum", "fraction"),
    (election(method="majority", threshold="most", ballots=[]), "threshold", "number"),
    (
        election(method="stv", ballots=[{"ranking": ["A"], "weight": "1/3"}]),
        "ballots[0].weight",
        "units of 0.00001",
    ),
    ("not an election", "election", "JSON object"),
]


@pytest.mark.parametrize(("bad", "field", "reason"), BAD)
def test_rejected_with_field_and_reason(bad, field, reason):
    with pytest.raises(InvalidElection) as error:
        count(bad)
    assert error.value.field == field
    assert reason in str(error.value)
    assert str(error.value).startswith(f"{field}: ")


def test_the_first_bad_ballot_is_named_even_in_a_large_poll():
    ballots = [{"ranking": ["A", "B", "C"]} for _ in range(5000)]
    ballots[3210] = {"ranking": ["C", "Q"]}
    ballots[4000] = {"ranking": ["C", "C"]}
    with pytest.raises(InvalidElection) as error:
        count(election(ballots=ballots))
    assert str(error.value) == "ballots[3210].ranking: option 'Q' is not one of the options"


def test_invalid_election_is_a_value_error():
    assert issubclass(InvalidElection, ValueError)


def test_methods_registry_names_every_method():
    assert set(METHODS) == {"plurality", "majority", "approval", "irv", "stv", "schulze", "borda"}
    assert all(callable(method) for method in METHODS.values())


def test_results_are_json_without_floats():
    result = count(election(ballots=[{"ranking": ["A"], "weight": "2.5"}, {"ranking": ["B"]}]))
    text = json.dumps(result)
    assert json.loads(text) == result

    def no_floats(value):
        if isinstance(value, dict):
            return all(no_floats(v) for v in value.values())
        if isinstance(value, list):
            return all(no_floats(v) for v in value)
        return not isinstance(value, float)

    assert no_floats(result)
    assert result["rounds"][0]["totals"]["A"] == "2.5"


def test_fields_that_do_not_apply_are_noted():
    result = count(election(threshold="simple"))
    assert result["notes"] == ["'threshold' does not apply to irv and was ignored"]


class TestValidateBallot:
    QUESTION = {"method": "stv", "options": ["A", "B", "C"], "seats": 2}

    def test_a_good_ranking_comes_back_normalised(self):
        assert validate_ballot(self.QUESTION, {"ranking": ["C", "A"]}) == {
            "ranking": ["C", "A"],
            "weight": 1,
        }

    def test_a_single_choice_is_a_ranking_of_one(self):
        assert validate_ballot(self.QUESTION, {"choice": "B", "weight": 3}) == {
            "ranking": ["B"],
            "weight": 3,
        }

    def test_approvals_come_back_in_option_order(self):
        question = {"method": "approval", "options": ["A", "B", "C"]}
        assert validate_ballot(question, {"approve": ["C", "A"]}) == {
            "approve": ["A", "C"],
            "weight": 1,
        }

    def test_abstention(self):
        question = {"method": "majority", "options": ["Yes", "No"]}
        assert validate_ballot(question, {"choice": None}) == {"abstain": True, "weight": 1}

    @pytest.mark.parametrize(
        ("answer", "field"),
        [
            ({"ranking": ["A", "Z"]}, "answer.ranking"),
            ({"ranking": ["A", "A"]}, "answer.ranking"),
            ({"ranking": ["A"], "weight": -1}, "answer.weight"),
            ({}, "answer"),
            ([], "answer"),
        ],
    )
    def test_bad_answers_name_the_field(self, answer, field):
        with pytest.raises(InvalidElection) as error:
            validate_ballot(self.QUESTION, answer)
        assert error.value.field == field

    def test_bad_question_settings(self):
        with pytest.raises(InvalidElection) as error:
            validate_ballot({"method": "lottery", "options": ["A"]}, {"choice": "A"})
        assert error.value.field == "method"
