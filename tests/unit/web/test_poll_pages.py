"""The poll pages against a fake gateway: /polls search, questions readable without voting,
the real rule of each question, the vote change's review keeping the edits, results in words
(blanks, percentages, points, ties), safe paragraphs and links, /polls/<id>/ballots."""

from __future__ import annotations

import json
import re

import pytest

from gateway.web.i18n import Translator
from gateway.web.results import explain
from tests.support.webfakes import METHODS, RESULTS, FakeResponse, csrf, login, web_client

PID = "22222222-2222-2222-2222-222222222222"
CHAPTER = "33333333-3333-3333-3333-333333333333"
ENTRY = "ab" * 32
RECEIPT = "A" * 24
QUESTION = {
    "id": "q1",
    "method": "majority",
    "threshold": "two_thirds",
    "quorum": "0.5",
    "options": ["Yes", "No"],
    "text": "Adopt the charter?\r\n\r\nRead it at "
    "https://example.org/charter <script>alert(1)</script>",
}
OPEN = {
    "id": PID,
    "title": "Charter",
    "status": "open",
    "scope": {"type": "organisation"},
    "opens_at": "2026-01-01T00:00:00+00:00",
    "opened_at": "2026-01-01T00:00:00+00:00",
    "closes_at": "2030-01-01T00:00:00+00:00",
    "electorate": 12,
    "voters": 0,
    "live_results": True,
    "live_results_rule": {"kind": "batches", "min_new_voters": 5},
    "text": "First paragraph.\r\n\r\nSecond paragraph.",
    "questions": [QUESTION],
}


class Gateway:
    def __init__(self, poll: dict, me: dict | None = None):
        self.poll, self.me, self.calls = poll, me, []

    def request(self, method, url, json=None, params=None, headers=None, **_):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        self.calls.append((method, path, json, params))
        base = f"/api/v1/polls/{PID}"
        routes = {
            ("POST", "/api/v1/auth/login"): (200, {"access_token": "tok", "refresh_token": "r"}),
            ("GET", "/api/v1/polls"): (200, {"polls": [self.poll]}),
            ("GET", "/api/v1/polls/methods"): (200, METHODS),
            ("GET", "/api/v1/currents"): (200, [{"id": CHAPTER, "name": "Greens"}]),
            ("GET", base): (200, self.poll),
            ("GET", f"{base}/results"): (200, RESULTS),
            ("GET", f"{base}/ballots"): (
                200,
                {
                    "ballots": [
                        {
                            "id": "b1",
                            "weight": 1,
                            "answers": [{"question_id": "q1", "choice": "Yes"}],
                        },
                        {"id": "b2", "weight": 1, "answers": []},
                    ],
                    "next": None,
                },
            ),
            ("GET", f"{base}/commitments"): (
                200,
                {"commitments": ["01" * 32, ENTRY], "next": None},
            ),
            ("POST", f"{base}/ballots/check"): (200, {"status": "counted", "entry": ENTRY}),
        }
        if path == "/api/v1/members/me":
            ok = self.me and (headers or {}).get("Authorization")
            return (
                FakeResponse(200, self.me)
                if ok
                else FakeResponse(401, {"error": {"code": "unauthorized", "message": "no"}})
            )
        status, body = routes.get(
            (method, path), (404, {"error": {"code": "not_found", "message": "nope"}})
        )
        return FakeResponse(status, body)


def make_client(poll: dict, me: dict | None = None):
    gateway = Gateway(poll, me)
    client = web_client(gateway)
    if me:
        login(client)
    return client, gateway


ACTIVE = {
    "id": "m",
    "display_name": "Mo",
    "status": "active",
    "admin": False,
    "chapter_ids": [],
    "currents": [],
    "activated_at": "2026-03-01T00:00:00+00:00",
}


def test_polls_page_searches_by_title_filters_and_pages_without_unbounded_lists():
    client, gateway = make_client(OPEN)
    page = client.get(f"/polls?q=charter&status=open&method=majority&chapter={CHAPTER}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Charter" in text and f"/polls/{PID}" in text
    (call,) = [c for c in gateway.calls if c[1] == "/api/v1/polls"]
    assert call[3] == {
        "limit": 21,
        "offset": 0,
        "q": "charter",
        "status": "open",
        "method": "majority",
        "scope": "chapter",
        "scope_id": CHAPTER,
    }
    bad = client.get("/polls?status=nope&chapter=x")
    assert bad.status_code == 422
    assert 'id="f-status-error"' in bad.get_data(as_text=True)
    assert 'id="f-chapter-error"' in bad.get_data(as_text=True)


def test_questions_are_readable_logged_out_and_the_rule_is_the_real_one():
    client, _ = make_client(OPEN)
    text = client.get(f"/polls/{PID}").get_data(as_text=True)
    assert "Log in to vote" in text and "Adopt the charter?" in text and "<li>No</li>" in text
    assert "at least two thirds of the votes" in text and "more than half" not in text
    assert "at least 50% of the members who may vote take part: 6 of 12" in text
    assert "only once at least 5 members have voted" in text  # the live results rule
    # Paragraphs kept, links clickable, markup shown as text.
    assert "<p>First paragraph.</p>\n<p>Second paragraph.</p>" in text
    assert '<a href="https://example.org/charter" rel="nofollow noopener noreferrer ugc">' in text
    assert "<script>alert(1)" not in text and "&lt;script&gt;" in text
    assert '{% include "_discussion.html"' not in text


@pytest.mark.parametrize(
    "me, reason",
    [
        (
            {**ACTIVE, "activated_at": "2026-02-01T00:00:00+00:00"},
            "You were approved after this poll opened",
        ),
        ({**ACTIVE, "status": "pending"}, "Your membership is still pending"),
    ],
)
def test_a_member_who_cannot_vote_reads_the_questions_and_is_told_why(me, reason):
    poll = {**OPEN, "eligible": False, "voted": False, "opened_at": "2026-01-15T00:00:00+00:00"}
    client, _ = make_client(poll, me)
    text = client.get(f"/polls/{PID}").get_data(as_text=True)
    assert reason in text and "Adopt the charter?" in text and 'name="q-q1"' not in text


def test_not_a_member_of_the_polls_chapter_is_said_so():
    poll = {**OPEN, "eligible": False, "voted": False, "scope": {"type": "chapter", "id": CHAPTER}}
    client, _ = make_client(poll, {**ACTIVE, "activated_at": None})
    text = client.get(f"/polls/{PID}").get_data(as_text=True)
    assert "you are not a member of this chapter" in text


def test_review_of_a_vote_change_links_back_with_change_kept():
    poll = {**OPEN, "eligible": True, "voted": True}
    client, _ = make_client(poll, ACTIVE)
    token = csrf(client.get(f"/polls/{PID}?change=1"))
    review = client.post(f"/polls/{PID}/review", data={"csrf_token": token, "q-q1": "No"})
    link = re.search(r'href="([^"]+)">Change<', review.get_data(as_text=True)).group(1)
    assert "change=1" in link
    back = client.get(link.replace("&amp;", "&").split("#")[0]).get_data(as_text=True)
    assert re.search(r'value="No"\s+checked', back)  # the edit is still there


def test_closed_results_say_blanks_percentages_the_rule_and_offer_csv():
    closed = {
        **OPEN,
        "status": "closed",
        "closes_at": "2025-12-31T00:00:00+00:00",
        "closed_at": "2026-06-01T10:00:00+00:00",
    }
    client, _ = make_client(closed)
    text = client.get(f"/polls/{PID}").get_data(as_text=True)
    assert "12 voted; 11 answered this question, 1 left it blank." in text
    assert "6 votes (54.5%)" in text and "6 (54.5%)" in text
    assert "at least two thirds of the votes" in text and "It was not met." in text
    assert "two thirds: 7.33" in text  # the chart's line is at two thirds, not half
    assert f"/api/v1/polls/{PID}/export?format=csv" in text
    assert f"/polls/{PID}/ballots" in text
    assert "Closed Dec 31, 2025" in text  # the deadline, not when it was recreated
    sentence = "Yes: 6 votes (54.5%); No: 5 votes (45.5%)."
    assert text.count(sentence) == 1  # once, not in every caption and chart


def test_borda_counts_points_and_a_tie_by_lot_says_which_tie():
    _ = Translator("en")
    view = explain(
        _,
        {
            "method": "borda",
            "options": ["A", "B"],
            "winners": ["A"],
            "rounds": [{"round": 1, "totals": {"A": 3, "B": 3}}],
            "tie_broken": True,
            "seed": "s33d",
            "tie_breaks": [
                {
                    "round": 1,
                    "for": "ranking",
                    "between": ["A", "B"],
                    "method": "lot",
                    "chosen": "A",
                }
            ],
        },
        voters=3,
    )
    assert view["rounds"][0]["sentence"] == "A: 3 points; B: 3 points."
    assert view["table"]["columns"] == ["Points"]
    assert (
        "In round 1, A and B were tied for the order of the winners; the tie was broken "
        "by lot and A was drawn."
    ) in view["notes"]


def test_ballots_page_finds_my_commitment_by_a_posted_receipt_never_my_answers():
    closed = {**OPEN, "status": "closed", "closed_at": "2026-06-01T10:00:00+00:00"}
    client, gateway = make_client(closed)
    page = client.get(f"/polls/{PID}/ballots")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and ENTRY in text and "A blank ballot." in text
    assert 'method="post"' in text and "/check" in text  # linked to the check page
    found = client.post(
        f"/polls/{PID}/ballots", data={"csrf_token": csrf(page), "receipt": RECEIPT}
    )
    shown = found.get_data(as_text=True)
    assert found.status_code == 200 and f'<li id="e-{ENTRY}" class="mine">' in shown
    assert f"<mark>{ENTRY}</mark>" in shown and RECEIPT not in shown
    check = [c for c in gateway.calls if c[1].endswith("/ballots/check")][0]
    assert check[2] == {"receipt": RECEIPT}
    assert [c for c in gateway.calls if c[1].endswith("/commitments")][-1][3]["after"] == ENTRY[:-1]
    bad = client.post(f"/polls/{PID}/ballots", data={"csrf_token": csrf(page), "receipt": "x"})
    assert bad.status_code == 422 and 'id="receipt-error"' in bad.get_data(as_text=True)


def test_ballots_page_before_close_says_when_they_are_published():
    client, _ = make_client(OPEN)
    text = client.get(f"/polls/{PID}/ballots").get_data(as_text=True)
    assert "Ballots are published when the poll closes" in text
    assert json.dumps(ENTRY) not in text


def test_a_question_nobody_answered_has_no_winner_drawn_by_lot():
    _ = Translator("en")
    view = explain(
        _,
        {
            "method": "plurality",
            "options": ["Sat", "Sun"],
            "winners": ["Sat"],
            "answered": 0,
            "tie_broken": True,
            "seed": "x",
            "tie_breaks": [
                {
                    "round": 1,
                    "for": "ranking",
                    "between": ["Sat", "Sun"],
                    "method": "lot",
                    "chosen": "Sat",
                }
            ],
            "rounds": [{"round": 1, "totals": {"Sat": 0, "Sun": 0}}],
        },
        voters=1,
    )
    assert view["headline"] == "Nobody answered this question: no winner."
    assert view["notes"] == [] and view["answered"].endswith("1 left it blank.")


def test_flow_chart_names_every_block_in_every_round():
    _ = Translator("en")
    view = explain(
        _,
        {
            "method": "irv",
            "options": ["Alexandria", "Bernadette", "Carmen"],
            "winners": ["Alexandria"],
            "rounds": [
                {
                    "round": 1,
                    "totals": {"Alexandria": 40, "Bernadette": 35, "Carmen": 25},
                    "eliminated": ["Carmen"],
                },
                {
                    "round": 2,
                    "totals": {"Alexandria": 55, "Bernadette": 45},
                    "elected": ["Alexandria"],
                },
            ],
        },
    )
    chart = str(view["flow"]["chart"])
    assert chart.count(">Alexandria ") == 2 and chart.count(">Bernadette ") == 2
    assert "Alexandria 55" in chart  # the later column says whose votes these are


def test_poll_pages_speak_french_and_spanish():
    client, _ = make_client(OPEN)
    client.post("/language", data={"lang": "fr", "csrf_token": csrf(client.get("/polls"))})
    listing = client.get("/polls").get_data(as_text=True)
    assert '<html lang="fr">' in listing and "Mots du titre" in listing
    poll = client.get(f"/polls/{PID}").get_data(as_text=True)
    assert "au moins les deux tiers des voix" in poll
    client.post("/language", data={"lang": "es", "csrf_token": csrf(client.get("/polls"))})
    assert "Bulletins" not in client.get(f"/polls/{PID}/ballots").get_data(as_text=True)
    assert "Las papeletas se publican" in client.get(f"/polls/{PID}/ballots").get_data(as_text=True)


def test_a_poll_closed_without_a_ballot_offers_no_ballot_to_check():
    """Found walking the pages: an uncontested election (closed at once, nobody voted) offered
    "Check my ballot" and the published ballots."""
    closed = {**OPEN, "status": "closed", "closed_at": "2026-06-01T10:00:00+00:00"}
    client, gateway = make_client(closed)
    gateway_results = {**RESULTS, "voters": 0, "ballots": 0}
    gateway.request = _with_results(gateway.request, gateway_results)
    text = client.get(f"/polls/{PID}").get_data(as_text=True)
    assert "Results" in text and f"/api/v1/polls/{PID}/export?format=csv" in text
    assert "Check my ballot" not in text and f"/polls/{PID}/ballots" not in text


def _with_results(request, results):
    def answer(method, url, **kwargs):
        if method == "GET" and url.endswith(f"/api/v1/polls/{PID}/results"):
            return FakeResponse(200, results)
        return request(method, url, **kwargs)

    return answer


def _comment(cid: str, name: str, replies: list | None = None) -> dict:
    return {
        "id": cid,
        "parent_id": None,
        "author_id": "a",
        "author_name": name,
        "body": f"Said by {name}",
        "created_at": "2026-11-01T10:00:00+00:00",
        "edited_at": None,
        "editable_until": "2026-11-01T10:15:00+00:00",
        "hidden": False,
        "hidden_reason": None,
        "restored_reason": None,
        "likes": 0,
        "dislikes": 0,
        "my_reaction": None,
        "reply_count": len(replies or []),
        "replies_not_shown": 0,
        "mentions": [],
        "replies": replies or [],
    }


FIRST, SECOND, NESTED = (f"{n}{n}{n}{n}{n}{n}{n}{n}-0000-4000-8000-000000000000" for n in "789")


class DiscussedGateway(Gateway):
    """The poll with a page of its discussion: two threads, one reply."""

    def request(self, method, url, json=None, params=None, headers=None, **kw):
        if url.endswith(f"/api/v1/polls/{PID}/comments") and method == "GET":
            self.calls.append((method, "/comments", json, params))
            nested = _comment(NESTED, "Cy")
            page = [
                _comment(FIRST, "Ana", [{**nested, "parent_id": FIRST}]),
                _comment(SECOND, "Bo"),
            ]
            body = {"comments": page, "threads": 45, "total": 46, "edit_minutes": 15}
            return FakeResponse(200, body)
        return super().request(method, url, json, params, headers, **kw)


def test_a_member_page_has_one_reply_form_opened_by_a_reply_link():
    """No form under every comment: each has a "Reply" link to the same page with
    `reply_to=<id>#reply`, and that page shows the one reply form under that comment; posting
    comes back to the page without it. Readers not logged in get no Reply link."""
    client, _gateway = make_client(OPEN, ACTIVE)
    client.application.extensions["web_http"] = DiscussedGateway(OPEN, ACTIVE)
    page = client.get(f"/polls/{PID}?page=2").get_data(as_text=True)
    assert 'id="reply"' not in page and page.count('name="parent_id"') == 0
    for cid in (FIRST, SECOND, NESTED):
        assert f'href="/polls/{PID}?sort=newest&amp;page=2&amp;reply_to={cid}#reply"' in page
    opened = client.get(f"/polls/{PID}?page=2&reply_to={NESTED}").get_data(as_text=True)
    assert opened.count('id="reply"') == 1 and opened.count('name="parent_id"') == 1
    form = opened.split('id="reply"', 1)[1].split("</form>", 1)[0]
    assert f'value="{NESTED}"' in form and "Your reply to Cy" in form
    assert f'name="back" value="/polls/{PID}?sort=newest&amp;page=2"' in form
    assert f'reply_to={NESTED}#reply"' not in opened  # its own link is the open form
    bad = client.get(f"/polls/{PID}?reply_to=nonsense").get_data(as_text=True)
    assert 'id="reply"' not in bad
    anonymous = web_client(DiscussedGateway(OPEN)).get(f"/polls/{PID}").get_data(as_text=True)
    assert "reply_to=" not in anonymous and "Said by Ana" in anonymous
