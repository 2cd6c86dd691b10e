"""Every CSV the API and the CLI write neutralises formula cells (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import pathlib

import pytest

from gateway.cli.main import results_csv as cli_results_csv
from services.common.csvcells import safe_cell
from services.polls.api.results import results_csv as api_results_csv

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_cells_get_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "", "1/3", " =x", "a=b", 3, -1, 0.5, None])
def test_other_cells_stay_as_they_are(value):
    assert safe_cell(value) == value


def _question():
    totals = {option: n for n, option in enumerate(HOSTILE + ["yes"], start=1)}
    return {
        "question_id": "q1",
        "text": "=1+1",
        "method": "plurality",
        "winners": ["+cmd"],
        "rounds": [{"round": 1, "totals": totals}],
        "answered": 28,
    }


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize(
    "render",
    [
        lambda q: api_results_csv({"questions": [q], "voters": 28, "electorate": 30}),
        lambda q: cli_results_csv({"questions": [q]}),
    ],
    ids=["polls export", "councils poll results --format csv"],
)
def test_results_csv_has_no_formula_cell(render):
    cells = _cells(render(_question()))
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert '\'=HYPERLINK("http://x","y")' in cells and "'+cmd" in cells
    assert "'=1+1" in cells and "yes" in cells


def test_csv_is_written_only_through_the_helper():
    """csv.writer anywhere else would bypass the neutralising (the polls store's COPY buffer
    feeds PostgreSQL, not a person, and must keep values exact)."""
    root = pathlib.Path(__file__).resolve().parents[3]
    allowed = {"services/common/csvcells.py", "services/polls/store/ballots.py"}
    found = {
        str(p.relative_to(root))
        for folder in ("services", "gateway")
        for p in (root / folder).rglob("*.py")
        if "csv.writer(" in p.read_text() or "csv.DictWriter(" in p.read_text()
    }
    assert found <= allowed, found - allowed
