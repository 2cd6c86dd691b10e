"""GET /api/v1/polls finds polls by words of the title and by method, a bounded page at a time;
bad filters are 422 naming the field."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.polls.conftest import auth, in_an_hour

ADMIN = str(uuid.uuid4())


def _launch(client, title: str, method: str, options=("A", "B", "C")) -> str:
    answer = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": title,
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": method, "options": list(options)}],
        },
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


@pytest.fixture(scope="module")
def polls(app):
    client = app.test_client()
    return {
        "budget": _launch(client, "Budget 2027 for the Lyon chapter", "majority"),
        "board": _launch(client, "Elect the board", "stv"),
        "percent": _launch(client, "100% renewable_energy", "approval"),
    }


def titles(client, **query) -> set[str]:
    answer = client.get("/api/v1/polls", query_string={"limit": 200, **query})
    assert answer.status_code == 200, answer.json
    return {p["id"] for p in answer.json["polls"]}


def test_search_by_words_of_the_title_case_insensitive(client, polls):
    assert titles(client, q="BUDGET 2027") == {polls["budget"]}
    assert titles(client, q="board") == {polls["board"]}
    assert titles(client, q="nothing like this") == set()


def test_like_wildcards_in_the_search_are_taken_literally(client, polls):
    assert titles(client, q="100%") == {polls["percent"]}
    assert polls["budget"] not in titles(client, q="%")
    assert titles(client, q="renewable_energy") == {polls["percent"]}
    assert polls["board"] not in titles(client, q="_")


def test_filter_by_method_and_status_together(client, polls):
    assert polls["board"] in titles(client, method="stv")
    assert polls["budget"] not in titles(client, method="stv")
    assert polls["board"] in titles(client, method="stv", status="open")
    assert polls["board"] not in titles(client, method="stv", status="closed")


def test_pages_are_bounded(client, polls):
    first = client.get("/api/v1/polls", query_string={"limit": 1}).json["polls"]
    second = client.get("/api/v1/polls", query_string={"limit": 1, "offset": 1}).json["polls"]
    assert len(first) == len(second) == 1 and first[0]["id"] != second[0]["id"]
    assert client.get("/api/v1/polls", query_string={"limit": 201}).status_code == 422


@pytest.mark.parametrize(
    "query, field", [({"method": "dice"}, "method"), ({"q": ""}, "q"), ({"q": "x" * 301}, "q")]
)
def test_bad_filters_are_422_naming_the_field(client, query, field):
    answer = client.get("/api/v1/polls", query_string=query)
    assert answer.status_code == 422
    assert field in str(answer.json)
