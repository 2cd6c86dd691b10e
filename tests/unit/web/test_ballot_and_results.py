"""Ballot forms into answers, the review step, results in words and SVG charts (no I/O)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from gateway.web import ballot
from gateway.web.charts import bar_chart, fmt
from gateway.web.i18n import Translator, best_language
from gateway.web.results import explain

_ = Translator("en")
QUESTIONS = [
    {"id": "q1", "method": "plurality", "options": ["A", "B"], "text": "One"},
    {"id": "q2", "method": "approval", "options": ["A", "B", "C"], "text": "Approve"},
    {"id": "q3", "method": "irv", "options": ["A", "B", "C", "D"], "text": "Rank"},
    {"id": "q4", "method": "consensus", "options": list(ballot.RESPONSES), "text": "Agree?"},
]


def form(**fields) -> MultiDict:
    items = []
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key.replace("_", "-"), v))
    return MultiDict(items)


def test_every_method_is_turned_into_the_apis_answer_shapes():
    parsed = ballot.parse(_, QUESTIONS, form(
        q_q1="B", q_q2=["C", "A"], rank_q3_2="1", rank_q3_0="2", rank_q3_3="",
        q_q4="concern", reason_q4="  too fast "))
    assert parsed.errors == {}
    assert parsed.answers == [
        {"question_id": "q1", "choice": "B"},
        {"question_id": "q2", "approve": ["A", "C"]},
        {"question_id": "q3", "ranking": ["C", "A"]},
        {"question_id": "q4", "response": "concern", "reason": "too fast"},
    ]


def test_problems_are_named_per_question_and_the_draft_is_kept():
    parsed = ballot.parse(_, QUESTIONS, form(
        q_q1="Z", rank_q3_0="1", rank_q3_1="1", q_q4="block"))
    assert set(parsed.errors) == {"q1", "q3", "q4"}
    assert "Rank 1 is given to more than one option (A, B)" in parsed.errors["q3"]
    assert parsed.errors["q4"] == "Please give a reason for your block."
    assert parsed.draft["q4"] == {"response": "block", "reason": ""}


def test_skipped_questions_are_left_out_and_the_review_says_so():
    parsed = ballot.parse(_, QUESTIONS, form(rank_q3_1="1"))
    rows = ballot.review(_, QUESTIONS, parsed.answers)
    assert rows[0]["warning"].startswith("Not answered")
    assert rows[1]["lines"][0] == "0 of 3 selected"
    assert rows[2]["ranked"] == ["B"]
    assert rows[2]["warning"].startswith("3 of 4 options unranked")


def test_rules_are_stated_for_every_method():
    for method in ("plurality", "majority", "approval", "irv", "stv", "schulze", "borda",
                   "consensus", "consensus_vote"):
        assert ballot.rules(_, {"method": method, "options": ["A", "B", "C"], "seats": 2})
    assert "0 to 3" in ballot.rules(_, {"method": "approval", "options": ["A", "B", "C"]})


IRV = {
    "question_id": "q", "method": "irv", "text": "Rank", "options": ["A", "B", "C"],
    "winners": ["A"],
    "rounds": [
        {"round": 1, "totals": {"A": 4, "B": 3, "C": 2}, "eliminated": ["C"],
         "continuing_ballots": 9, "exhausted": 0},
        {"round": 2, "totals": {"A": 5, "B": 3}, "elected": ["A"], "continuing_ballots": 8,
         "exhausted": 1},
    ],
}


def test_irv_results_start_with_the_winner_and_tell_each_round():
    view = explain(_, IRV)
    assert view["headline"] == "Winner: A"
    first, second = view["rounds"]
    assert first["sentence"] == ("A 4; B 3; C 2. Nobody has more than half (4.5). C, with the "
                                 "fewest votes, is eliminated; those ballots go to their next "
                                 "choices.")
    assert "A has more than half" in second["sentence"]
    assert "1 ballots had no further choice" in second["sentence"]
    assert view["table"]["columns"] == ["Round 1", "Round 2"]
    assert view["table"]["rows"] == [("A", ["4", "5"]), ("B", ["3", "3"]), ("C", ["2", "—"])]
    assert 'class="chart-threshold"' in first["chart"]  # the half line
    assert "<title" in first["chart"] and "<desc" in first["chart"]


def test_schulze_comparisons_in_sentences_and_consensus_outcomes():
    schulze = explain(_, {"method": "schulze", "winners": ["B"], "options": ["A", "B"],
                          "pairwise": {"A": {"B": 2}, "B": {"A": 5}}, "rounds": []})
    assert schulze["pairwise"] == ["B beats A by 5 to 2."]
    consensus = explain(_, {"method": "consensus", "status": "blocked",
                            "totals": {"agree": 3, "block": 1},
                            "rounds": [{"round": 1, "outcome": "blocked",
                                        "why_not": ["1 block"]}]})
    assert consensus["headline"] == "Blocked: no consensus."
    assert consensus["table"]["rows"][0] == ("Agree", ["3"])


def test_charts_escape_names_and_use_no_inline_style():
    svg = bar_chart({"<b>&": 2.5, "B": 1}, title="T", description="D", threshold=1.5,
                    threshold_label="half")
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert "style=" not in svg
    assert 'role="img"' in svg
    assert fmt(2.0) == "2" and fmt(1 / 3) == "0.33"


def test_translations_fall_back_to_english():
    assert Translator("fr")("Move up") == "Monter"
    assert Translator("es")("{count} of {n} selected", count=1, n=3) == "1 de 3 seleccionadas"
    assert Translator("de")("Move up") == "Move up"
    assert best_language(None, ["de-DE", "fr-FR"]) == "fr"
