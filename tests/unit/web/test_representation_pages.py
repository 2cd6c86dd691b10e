"""A delegate poll's representation on its pages (issue 18): /polls/<id> and the admin's desk say
per chapter "weight 11: voted 9, unrepresented 2 (Munich: no delegate since …)", the whole
scope likewise, and turnout by people and by weight; in the reader's language."""

from __future__ import annotations

import pytest

from gateway.web.i18n import Translator
from gateway.web.representation import representation_view
from tests.support.webfakes import RoutedGateway, login, web_client

POLL_ID = "11111111-1111-4111-8111-111111111111"
BAVARIA = {
    "chapter_id": "c-bavaria",
    "chapter_name": "Bavaria",
    "kind": "chapter",
    "members": 11,
    "seats": 3,
    "filled": 2,
    "weight": 9,
    "electors": 2,
    "voted": 2,
    "voted_weight": 9,
    "unrepresented": [{"weight": 2, "reason": "resigned", "since": "2026-03-03T10:00:00Z"}],
    "unrepresented_weight": 2,
}
DIRECT = {
    "chapter_id": "c-germany",
    "chapter_name": "Germany",
    "kind": "direct",
    "members": 3,
    "seats": 0,
    "filled": 0,
    "weight": 3,
    "electors": 3,
    "voted": 1,
    "voted_weight": 1,
    "unrepresented": [],
    "unrepresented_weight": 0,
}
SUMMARY = {
    "chapters": [DIRECT, BAVARIA],
    "scope_members": 14,
    "represented_weight": 12,
    "unrepresented_weight": 2,
    "elector_count": 5,
    "voters": 3,
    "voted_weight": 10,
    "turnout_people": 0.6,
    "turnout_weight": 0.7143,
}
POLL = {
    "id": POLL_ID,
    "title": "Federal budget",
    "status": "open",
    "purpose": "delegate_poll",
    "scope": {"type": "chapter", "id": "c-germany"},
    "opens_at": "2026-03-01T00:00:00Z",
    "opened_at": "2026-03-01T00:00:00Z",
    "closes_at": "2099-01-01T00:00:00Z",
    "electorate": 5,
    "voters": 3,
    "live_results": False,
    "questions": [{"id": "q1", "text": "Adopt?", "method": "plurality", "options": ["yes"]}],
}


class Gateway(RoutedGateway):
    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/polls/{POLL_ID}"): (200, POLL),
            ("GET", f"/api/v1/polls/{POLL_ID}/roll-call"): (
                200,
                {"poll_id": POLL_ID, "electors": [], **SUMMARY},
            ),
            ("GET", "/api/v1/mandates"): (200, []),
            ("GET", "/api/v1/members/me"): (
                200,
                {"id": "m", "display_name": "Ada", "status": "active", "admin": True},
            ),
        }


@pytest.fixture()
def gateway():
    return Gateway()


def test_the_poll_page_says_who_is_represented(client):
    text = client.get(f"/polls/{POLL_ID}").get_data(as_text=True)
    assert "Who is represented" in text
    assert "weight 11: voted 9, unrepresented 2 (Bavaria: no delegate since" in text
    assert "the delegate resigned" in text
    assert "Direct members of Germany" in text and "weight 3: voted 1" in text
    assert "Turnout: 60% of the electors (3 of 5), 71.4% of the members by weight" in text


def test_the_admin_desk_shows_it_beside_the_roll_call(client):
    login(client)
    text = client.get(f"/admin/polls/{POLL_ID}").get_data(as_text=True)
    assert "weight 14: voted 10, unrepresented 2 (Bavaria: no delegate since" in text


def test_other_polls_show_no_representation(gateway):
    ordinary = {**POLL, "purpose": None}
    gateway.routes = lambda: {("GET", f"/api/v1/polls/{POLL_ID}"): (200, ordinary)}
    text = web_client(gateway).get(f"/polls/{POLL_ID}").get_data(as_text=True)
    assert "Who is represented" not in text
    assert not [c for c in gateway.calls if c[1].endswith("/roll-call")]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", "poids 11 : a voté 9, non représenté 2 (Bavaria : aucun délégué depuis le"),
        ("es", "peso 11: votó 9, sin representación 2 (Bavaria: sin delegado desde el"),
    ],
)
def test_in_the_readers_language(language, words):
    view = representation_view(Translator(language), SUMMARY)
    assert view is not None and words in view["rows"][1]["line"]
    assert view["turnout"]
    assert representation_view(Translator(language), {"chapters": []}) is None


def test_a_chapter_that_never_elected_a_delegate_is_said_once():
    """Found walking the pages: "London North: no delegate, no delegate was elected"."""
    summary = {
        "chapters": [
            {
                "chapter_name": "London North",
                "members": 2,
                "voted_weight": 0,
                "unrepresented_weight": 2,
                "unrepresented": [{"reason": "never_elected"}],
            }
        ],
        "scope_members": 2,
        "voted_weight": 0,
        "unrepresented_weight": 2,
    }
    view = representation_view(Translator("en"), summary)
    assert view["rows"][0]["line"] == (
        "weight 2: voted 0, unrepresented 2 (London North: no delegate was ever elected)"
    )
    french = representation_view(Translator("fr"), summary)["rows"][0]["line"]
    assert "London North : aucun délégué n’a jamais été élu" in french


def test_a_member_represented_by_a_delegate_is_told_why_they_do_not_vote(client):
    """Found walking the pages: a represented member read "you are not in this poll's
    electorate", as if left out, with no word of their delegate."""
    login(client)
    text = client.get(f"/polls/{POLL_ID}").get_data(as_text=True)
    assert "In a delegate poll the chapters&#39; delegates vote for their members" in text
    assert "not in this poll&#39;s electorate" not in text
