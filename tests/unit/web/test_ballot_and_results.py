"""Ballot forms into answers, the review step, results in words and SVG charts (no I/O)."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from gateway.web import WebSettings, ballot, create_web_app
from gateway.web.charts import bar_chart, fmt
from gateway.web.i18n import Translator, best_language
from gateway.web.results import explain
from tests.support.webfakes import IRV, METHOD_TABLE, METHODS, SCHULZE, FakeResponse

_ = Translator("en")
QUESTIONS = ballot.with_forms(
    [
        {"id": "q1", "method": "plurality", "options": ["A", "B"], "text": "One"},
        {"id": "q2", "method": "approval", "options": ["A", "B", "C"], "text": "Approve"},
        {"id": "q3", "method": "irv", "options": ["A", "B", "C", "D"], "text": "Rank"},
        {"id": "q4", "method": "consensus", "options": list(ballot.RESPONSES), "text": "Agree?"},
    ],
    METHOD_TABLE,
)


def form(**fields) -> MultiDict:
    items = []
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key.replace("_", "-"), v))
    return MultiDict(items)


def test_every_method_is_turned_into_the_apis_answer_shapes():
    parsed = ballot.parse(
        _,
        QUESTIONS,
        form(
            q_q1="B",
            q_q2=["C", "A"],
            rank_q3_2="1",
            rank_q3_0="2",
            rank_q3_3="",
            q_q4="concern",
            reason_q4="  too fast ",
        ),
    )
    assert parsed.errors == {}
    assert parsed.answers == [
        {"question_id": "q1", "choice": "B"},
        {"question_id": "q2", "approve": ["A", "C"]},
        {"question_id": "q3", "ranking": ["C", "A"]},
        {"question_id": "q4", "response": "concern", "reason": "too fast"},
    ]


def test_problems_are_named_per_question_and_the_draft_is_kept():
    parsed = ballot.parse(_, QUESTIONS, form(q_q1="Z", rank_q3_0="1", rank_q3_1="1", q_q4="block"))
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
    for method in (
        "plurality",
        "majority",
        "approval",
        "irv",
        "stv",
        "schulze",
        "borda",
        "consensus",
        "consensus_vote",
    ):
        assert ballot.rules(_, {"method": method, "options": ["A", "B", "C"], "seats": 2})
    assert "0 to 3" in ballot.rules(_, {"method": "approval", "options": ["A", "B", "C"]})


def test_the_stv_rule_counts_its_seats_in_each_language():
    one = {"method": "stv", "options": ["A", "B", "C"], "seats": 1}
    two = {**one, "seats": 2}
    assert "1 seat is filled;" in ballot.rules(_, one)  # it said "1 seats are filled"
    assert "2 seats are filled;" in ballot.rules(_, two)
    assert "Se cubre 1 puesto;" in ballot.rules(Translator("es"), one)
    assert "Se cubren 2 puestos;" in ballot.rules(Translator("es"), two)
    assert "1 siège est pourvu" in ballot.rules(Translator("fr"), one)
    assert "2 sièges sont pourvus" in ballot.rules(Translator("fr"), two)


def test_irv_results_start_with_the_winner_and_tell_each_round():
    view = explain(_, IRV)
    assert view["headline"] == "Winner: A"
    first, second = view["rounds"]
    assert first["sentence"] == (
        "A: 4 votes (44.4%); B: 3 votes (33.3%); C: 2 votes (22.2%). "
        "Nobody has more than half (4.5). C, with the "
        "fewest votes, is eliminated; those ballots go to their next "
        "choices."
    )
    assert "A has more than half" in second["sentence"]
    assert "1 ballot had no further choice" in second["sentence"]  # singular, not "1 ballots"
    assert view["table"]["columns"] == ["Round 1", "Round 2"]
    assert view["table"]["rows"] == [
        ("A", ["4 (44.4%)", "5 (62.5%)"]),
        ("B", ["3 (33.3%)", "3 (37.5%)"]),
        ("C", ["2 (22.2%)", "—"]),
    ]
    assert 'class="chart-threshold"' in first["chart"]  # the half line
    assert "<title" in first["chart"] and "<desc" in first["chart"]


def test_schulze_comparisons_in_sentences_and_consensus_outcomes():
    schulze = explain(_, SCHULZE)
    assert schulze["pairwise"] == ["B beats A by 5 to 2."]
    consensus = explain(
        _,
        {
            "method": "consensus",
            "status": "blocked",
            "totals": {"agree": 3, "block": 1},
            "rounds": [{"round": 1, "outcome": "blocked", "why_not": ["1 block"]}],
        },
    )
    assert consensus["headline"] == "Blocked: no consensus."
    assert consensus["table"]["rows"][0] == ("Agree", ["3"])


def test_charts_escape_names_and_use_no_inline_style():
    svg = bar_chart(
        {"<b>&": 2.5, "B": 1}, title="T", description="D", threshold=1.5, threshold_label="half"
    )
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert "style=" not in svg
    assert 'role="img"' in svg
    assert fmt(2.0) == "2" and fmt(1 / 3) == "0.33"


def test_translations_fall_back_to_english():
    assert Translator("fr")("Move up") == "Monter"
    assert Translator("es")("{count} of {n} selected", count=1, n=3) == "1 de 3 seleccionadas"
    assert Translator("de")("Move up") == "Move up"
    assert best_language(None, ["de-DE", "fr-FR"]) == "fr"


# Round 1: E, D and C (1 + 2 + 3 < B's 9) are excluded at once. The count records where each
# one's ballots went; the totals alone would only say A gained 3, B 2 and 1 went nowhere.
BULK = {
    "question_id": "qb",
    "method": "irv",
    "text": "Rank",
    "options": ["A", "B", "C", "D", "E"],
    "winners": ["A"],
    "rounds": [
        {
            "round": 1,
            "totals": {"A": 10, "B": 9, "C": 3, "D": 2, "E": 1},
            "continuing_ballots": 25,
            "exhausted": 0,
            "eliminated": ["E", "D", "C"],
            "bulk_exclusion": True,
            "transfers": {
                "E": {"to": {"A": 1}, "exhausted": 0},
                "D": {"to": {"B": 1}, "exhausted": 1},
                "C": {"to": {"A": 2, "B": 1}, "exhausted": 0},
            },
        },
        {
            "round": 2,
            "totals": {"A": 13, "B": 11},
            "continuing_ballots": 24,
            "exhausted": 1,
            "elected": ["A"],
            "reason": "more than half of the continuing ballots",
        },
    ],
}
BULK_FLOWS = {
    ("A", "A", 10),
    ("B", "B", 9),
    ("E", "A", 1),
    ("D", "B", 1),
    ("D", None, 1),
    ("C", "A", 2),
    ("C", "B", 1),
}
BULK_SENTENCES = [
    "From round 1 to round 2: E (1) passed on votes: 1 to A.",
    "From round 1 to round 2: D (2) passed on votes: 1 to B, 1 to no further choice.",
    "From round 1 to round 2: C (3) passed on votes: 2 to A, 1 to B.",
]


def _band_widths(chart: str) -> list[float]:
    """Thickness of each band that moves votes, in drawing order (M x0,ya ... x0,yb Z)."""
    widths = []
    for d in re.findall(r'<path d="([^"]+)" class="flow-band flow-moved"', str(chart)):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        widths.append(numbers[-1] - numbers[1])
    return widths


def test_a_bulk_exclusion_flows_are_the_exact_recorded_transfers():
    view = explain(_, BULK)
    (step,) = view["flow"]["steps"]
    assert step["exact"] is True
    assert set(step["flows"]) == BULK_FLOWS
    assert step["gains"] == {"A": 3, "B": 2, None: 1}
    assert view["flow"]["sentences"] == BULK_SENTENCES
    chart = view["flow"]["chart"]
    # One band per recorded (source, receiver), drawn by source: C→A, C→B, D→B, D→none, E→A.
    widths = _band_widths(chart)
    assert len(widths) == 5
    unit = widths[1]
    assert [round(w / unit, 1) for w in widths] == [2.0, 1.0, 1.0, 1.0, 1.0]
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert "style=" not in chart
    assert " ".join(BULK_SENTENCES) in chart  # the text alternative says the same


def test_results_counted_before_transfers_were_recorded_keep_the_estimate():
    old = {
        **BULK,
        "rounds": [{k: v for k, v in r.items() if k != "transfers"} for r in BULK["rounds"]],
    }
    (step,) = explain(_, old)["flow"]["steps"]
    assert step["exact"] is False
    # C's 3 shared in proportion to the gains (A 3, B 2, nowhere 1 of 6): not what happened.
    assert ("C", "A", 1.5) in step["flows"] and ("C", "B", 1.0) in step["flows"]
    assert explain(_, old)["flow"]["sentences"] == [
        "From round 1 to round 2: C (3), D (2), and E (1) passed on votes: 3 to A, 2 to B, "
        "1 to no further choice."
    ]


def test_stv_flows_come_from_the_stage_that_made_the_transfer():
    stv = {
        "question_id": "qs",
        "method": "stv",
        "text": "Elect",
        "options": ["A", "B", "C"],
        "winners": ["A", "B"],
        "quota": 7,
        "rounds": [
            {
                "round": 1,
                "action": "first preferences",
                "totals": {"A": "11.00000", "B": "4.00000", "C": "5.00000"},
                "exhausted": "0.00000",
                "lost_to_rounding": "0.00000",
                "elected": ["A"],
                "eliminated": [],
            },
            {
                "round": 2,
                "action": "transfer of the surplus of A",
                "transferred_from": "A",
                "surplus": "4.00000",
                "transfer_value": "0.36363",
                "totals": {"A": "7.00000", "B": "7.63630", "C": "5.00000"},
                "exhausted": "0.36363",
                "lost_to_rounding": "0.00007",
                "elected": ["B"],
                "eliminated": [],
                "transfers": {"A": {"to": {"B": "3.63630"}, "exhausted": "0.36363"}},
            },
        ],
    }
    view = explain(_, stv)
    (step,) = view["flow"]["steps"]
    assert step["exact"] is True
    assert step["transfers"] == {"A": {"B": 3.6363, None: 0.36363}}
    assert ("A", "A", 7.0) in step["flows"] and ("A", "B", 3.6363) in step["flows"]
    assert view["flow"]["sentences"] == [
        "From round 1 to round 2: A (4) passed on votes: 3.64 to B, 0.36 to no further choice."
    ]


def test_stv_steps_are_told_in_the_readers_language():
    stv = {
        "question_id": "qs",
        "method": "stv",
        "text": "Elect",
        "options": ["A", "B", "C"],
        "winners": ["A", "B"],
        "quota": 7,
        "rounds": [
            {
                "round": 1,
                "action": "first preferences",
                "totals": {"A": "11.00000"},
                "elected": ["A"],
                "eliminated": [],
            },
            {
                "round": 2,
                "action": "transfer of the surplus of A",
                "transferred_from": "A",
                "surplus": "4.00000",
                "totals": {"B": "7.63630"},
                "elected": [],
                "eliminated": [],
            },
            {
                "round": 3,
                "action": "exclusion of C",
                "transferred_from": "C",
                "totals": {"B": "8.00000"},
                "elected": ["B"],
                "eliminated": ["C"],
            },
        ],
    }
    sentences = " ".join(r["sentence"] for r in explain(Translator("es"), stv)["rounds"])
    assert "Paso: primeras preferencias." in sentences
    assert "Paso: traspaso del excedente de A." in sentences
    assert "Paso: exclusión de C." in sentences
    assert "first preferences" not in sentences and "exclusion of" not in sentences


class ClosedPollGateway:
    """Serves one closed poll and its results, as the API does once the count is stored."""

    POLL = {
        "id": "22222222-2222-2222-2222-222222222222",
        "title": "Cook",
        "status": "closed",
        "closes_at": "2030-01-01T00:00:00+00:00",
        "electorate": 25,
        "voters": 25,
        "questions": [{"id": "qb", "method": "irv", "options": BULK["options"], "text": "Rank"}],
    }

    def request(self, method, url, json=None, params=None, headers=None, **_):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        body = {
            f"/api/v1/polls/{self.POLL['id']}": self.POLL,
            "/api/v1/polls/methods": METHODS,
            f"/api/v1/polls/{self.POLL['id']}/results": {
                "poll_id": self.POLL["id"],
                "voters": 25,
                "electorate": 25,
                "final": True,
                "questions": [BULK],
            },
        }.get(path)
        if body is None:
            return FakeResponse(404, {"error": {"code": "not_found", "message": "nope"}})
        return FakeResponse(200, body)


def test_the_results_page_shows_a_bulk_exclusions_exact_transfers():
    app = create_web_app(
        WebSettings(secret_key="test", gateway_url="http://gw"), http=ClosedPollGateway()
    )
    page = app.test_client().get(f"/polls/{ClosedPollGateway.POLL['id']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    story = re.search(r'<ul class="flow-story">(.*?)</ul>', text, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", story) == BULK_SENTENCES
    chart = re.search(r'<svg[^>]*class="chart flow".*?</svg>', text, re.S).group(0)
    assert 'role="img"' in chart and 'aria-labelledby="' in chart
    assert [round(w / _band_widths(chart)[1], 1) for w in _band_widths(chart)] == [
        2.0,
        1.0,
        1.0,
        1.0,
        1.0,
    ]


UNCONTESTED = {
    "question_id": "q",
    "method": "stv",
    "text": "Delegate",
    "options": ["Ben"],
    "seats": 1,
    "answered": 0,
    "ballots_cast": 0,
    "quota": 1,
    "rounds": [
        {
            "round": 1,
            "action": "first preferences",
            "elected": ["Ben"],
            "elected_without_quota": ["Ben"],
            "eliminated": [],
            "totals": {"Ben": "0.00000"},
        }
    ],
    "winners": ["Ben"],
}


def test_an_uncontested_election_says_who_is_elected_without_a_vote():
    """Found walking the pages: the page said "no winner" just above "Elected: Ben"."""
    view = explain(_, UNCONTESTED, 0)
    assert view["headline"] == "Elected unopposed: Ben"
    assert view["notes"] == ["No more candidates than seats, so no vote was held."]
    assert view["winners"] == ["Ben"] and view["unopposed"]
    # No noisy "0 votes": no round, table, chart or turnout line.
    assert view["rounds"] == [] and view["table"] is None and view["answered"] == ""
    french = explain(Translator("fr"), UNCONTESTED, 0)["headline"]
    assert french == "Élection sans opposition : Ben"
    contested = {**UNCONTESTED, "options": ["Ben", "Ana"], "winners": []}
    assert explain(_, contested, 0)["headline"] == "Nobody answered this question: no winner."
