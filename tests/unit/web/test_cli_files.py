"""The CLI's file handling: poll documents, CSV of results and of members (no I/O but files)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from gateway.cli.main import CliError, poll_from_document, results_csv
from gateway.cli.members import read_members_csv

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def test_a_poll_document_becomes_the_apis_body():
    body = poll_from_document(
        {
            "title": "T",
            "closes_in": "2d",
            "questions": [{"text": "Q", "method": "irv", "options": [1, 2]}],
        },
        now=NOW,
    )
    assert body["closes_at"] == "2030-01-03T00:00:00+00:00"
    assert body["scope"] == {"type": "organisation"}
    assert body["questions"][0]["options"] == ["1", "2"]
    assert "closes_in" not in body


def test_a_bad_poll_document_lists_every_problem():
    with pytest.raises(CliError) as caught:
        poll_from_document({"questions": [{"method": "approval", "options": ["A"]}]}, now=NOW)
    message = str(caught.value)
    assert "title: missing" in message and "closes_at (or closes_in): missing" in message
    assert "questions[1].text: missing" in message
    with pytest.raises(CliError, match="ISO date-time"):
        poll_from_document(
            {
                "title": "T",
                "closes_at": "next week",
                "questions": [{"text": "Q", "method": "consensus"}],
            },
            now=NOW,
        )


def test_results_as_csv_rows_per_round():
    text = results_csv(
        {
            "questions": [
                {
                    "question_id": "q",
                    "text": "Q",
                    "method": "irv",
                    "winners": ["A"],
                    "rounds": [{"round": 1, "totals": {"A": 2, "B": 1}}],
                }
            ]
        }
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {
        "question_id": "q",
        "question": "Q",
        "method": "irv",
        "round": "1",
        "option": "A",
        "votes": "2",
        "winner": "yes",
    }


def test_members_csv_is_checked_line_by_line(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("email,display_name,country\na@x.org,A,FR\nA@x.org,A2,FR\nbad,B,FR\n")
    rows, problems = read_members_csv(str(path))
    assert [r["body"]["email"] for r in rows] == ["a@x.org"]
    assert problems == ["line 3: a@x.org appears twice", "line 4: 'bad' is not an email address"]
    path.write_text("email,name\n")
    with pytest.raises(CliError, match="missing column"):
        read_members_csv(str(path))


def test_the_gateway_keeps_its_paths_when_the_pages_are_mounted():
    from gateway.config import GatewaySettings
    from gateway.web import WebSettings
    from gateway.wsgi import create_app

    app = create_app(
        GatewaySettings(
            service_urls={
                "members": "http://127.0.0.1:9",
                "polls": "http://127.0.0.1:9",
                "notify": "http://127.0.0.1:9",
            },
            jwt_public_key=None,
        ),
        WebSettings(secret_key="t"),
    )
    client = app.test_client()
    assert client.get("/livez").get_json()["service"] == "gateway"
    login = client.get("/login")
    assert login.status_code == 200 and b"<form" in login.data
    assert client.get("/static/councils.css").status_code == 200
