"""The CLI's file reading and CSV writing (issue 16): words stay words, winners in their round,
countries by name or code."""

from __future__ import annotations

import csv
import datetime as dt
import io

from gateway.cli.documents import load_yaml
from gateway.cli.main import poll_from_document, results_csv
from gateway.cli.members import country_code

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def test_yes_no_on_off_numbers_and_dates_stay_as_typed():
    document = load_yaml("""
title: 2030
closes_at: 2030-05-01
live_results: true
questions:
  - text: Adopt?
    method: majority
    threshold: 0.6
    seats: 1
    options: [Yes, No, On, Off, y, n, 1.50, 007, 2030-01-01, ~maybe]
""")
    question = document["questions"][0]
    assert question["options"] == [
        "Yes",
        "No",
        "On",
        "Off",
        "y",
        "n",
        "1.50",
        "007",
        "2030-01-01",
        "~maybe",
    ]
    assert document["title"] == "2030" and document["live_results"] is True
    assert question["threshold"] == 0.6 and question["seats"] == 1
    body = poll_from_document(document, NOW)
    assert body["closes_at"] == "2030-05-01T23:59:00+00:00"
    assert body["questions"][0]["options"][:2] == ["Yes", "No"]


def test_block_style_options_and_nested_keys_keep_their_text():
    document = load_yaml(
        "title: T\nquestions:\n  - text: Q\n    method: plurality\n"
        "    options:\n      - yes\n      - NO\n      - off\n"
    )
    assert document["questions"][0]["options"] == ["yes", "NO", "off"]


def _rows(document: dict) -> list[dict]:
    return list(csv.DictReader(io.StringIO(results_csv(document))))


def test_a_winner_is_marked_only_in_the_round_that_elected_it():
    document = {
        "questions": [
            {
                "question_id": "q",
                "text": "Board",
                "method": "stv",
                "winners": ["Ana", "Bo"],
                "rounds": [
                    {"round": 1, "totals": {"Ana": 10, "Bo": 4, "Cy": 3}, "elected": ["Ana"]},
                    {"round": 2, "totals": {"Ana": 6, "Bo": 6, "Cy": 3}, "elected": []},
                    {"round": 3, "totals": {"Ana": 6, "Bo": 8}, "elected": ["Bo"]},
                ],
            }
        ]
    }
    marked = [(r["round"], r["option"]) for r in _rows(document) if r["winner"] == "yes"]
    assert marked == [("1", "Ana"), ("3", "Bo")]


def test_without_elections_per_round_the_winner_is_marked_in_the_last_round_only():
    document = {
        "questions": [
            {
                "question_id": "q",
                "text": "Pick",
                "method": "irv",
                "winners": ["B"],
                "rounds": [
                    {"round": 1, "totals": {"A": 4, "B": 3, "C": 2}},
                    {"round": 2, "totals": {"A": 4, "B": 5}},
                ],
            }
        ]
    }
    marked = [(r["round"], r["option"]) for r in _rows(document) if r["winner"] == "yes"]
    assert marked == [("2", "B")]


def test_countries_by_name_or_code_and_a_hint_for_a_typo():
    assert country_code("Spain") == ("ES", "")
    assert country_code("es") == ("ES", "")
    assert country_code("DEU") == ("DE", "")
    assert country_code("united kingdom")[0] == "GB"
    code, hint = country_code("Narnia")
    assert code is None and "'Narnia' is not a country name or ISO code" in hint


def test_a_newsletter_file_keeps_its_text_and_refuses_unknown_keys():
    import pytest

    from gateway.cli.main import CliError
    from gateway.cli.newsletters import newsletter_from_document, preview_lines

    document = load_yaml(
        "subject: Yes\nbody: |\n  On\n\n  Off\nchannels: [email, sms]\n"
        "translations:\n  fr: {subject: Oui, body: Non}\n"
    )
    body = newsletter_from_document(document, "n.yaml")
    assert body == {
        "subject": "Yes",
        "body": "On\n\nOff",
        "scope": {"type": "organisation"},
        "channels": ["email", "sms"],
        "translations": {"fr": {"subject": "Oui", "body": "Non"}},
    }
    with pytest.raises(CliError, match="unknown key.*sujet"):
        newsletter_from_document({"subject": "a", "body": "b", "sujet": "c"}, "n.yaml")
    with pytest.raises(CliError, match="missing body"):
        newsletter_from_document({"subject": "a"}, "n.yaml")
    with pytest.raises(CliError, match="channels are email and sms, not fax"):
        newsletter_from_document({"subject": "a", "body": "b", "channels": "fax"}, "n.yaml")
    lines = preview_lines(
        {
            "recipients": {"email": 7, "sms": 1},
            "unreachable": {"email": {"unverified": 2, "opted_out": 0}, "sms": {"no_phone": 8}},
        },
        ["email", "sms"],
    )
    assert lines == [
        "by email: 7 members will get it",
        "  not by email: 2 (address not verified)",
        "by sms: 1 member will get it",
        "  not by sms: 8 (no phone number)",
    ]
