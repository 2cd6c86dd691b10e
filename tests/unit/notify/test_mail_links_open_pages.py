"""Every link a mail carries opens a page of the web front end, never the API's JSON.

Every kind of mail notify sends (`render.KINDS`), in every step its templates tell apart and
in every language shipped, is rendered (text, HTML and SMS parts) from the context its handler
builds; each link found is asked of the gateway's web app, with its real routing, by a reader
who is not logged in: the answer is an HTML page (200, holding the anchor the link points to) or
the login page that returns to it — never an /api/ address, JSON, or a 404."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest

from services.notify import links, render
from services.notify.handlers.by_elections import by_election_context
from services.notify.handlers.challenges import challenge_context
from services.notify.handlers.polls import poll_context
from services.notify.handlers.recall import recall_context
from services.notify.handlers.upward import upward_context
from tests.support.webfakes import (
    CHAPTER_ID,
    PETITION,
    PETITION_ID,
    POLL,
    PROPOSAL,
    PROPOSAL_ID,
    REQUEST_ID,
    RESULTS,
    UPWARD_REQUEST,
    WHEN,
    RoutedGateway,
    web_client,
)

PUBLIC = "https://councils.example"
POLL_ID = POLL["id"]
COMMENT_ID = "77777777-7777-4777-8777-777777777777"
UNSUBSCRIBE = links.unsubscribe_url("", "secret", "m", "polls")
URL = re.compile(r"https?://[^\s<>\"]+")
LANGUAGES = ("en", "es", "fr")


def _contexts() -> dict[str, list[dict]]:
    """Sample contexts of every kind, one per step its templates tell apart."""
    poll = poll_context(PUBLIC, {"poll_id": POLL_ID, "title": "Picnic", "closes_at": WHEN})
    recall = {
        "petition_id": PETITION_ID,
        "poll_id": POLL_ID,
        "delegate_name": "Dana",
        "chapter_name": "Lyon",
        "reason": "Never reports back.",
        "threshold": 5,
        "signatures": 3,
        "expires_at": WHEN,
        "closes_at": WHEN,
        "votes_for": 4,
        "votes_against": 2,
    }
    upward = {"request_id": REQUEST_ID, "poll_id": POLL_ID, "title": "Rent", "answer_due_at": WHEN}
    challenge = {"poll_id": POLL_ID, "title": "Picnic", "count": 2, "needed": 5, "opens_at": WHEN}
    steps = ("petition_opened", "threshold_reached", "vote_opened", "expired", "decided")
    return {
        "verification": [{"verify_url": links.verify_url(PUBLIC, "tok")}],
        "password_reset": [{"reset_url": links.reset_url(PUBLIC, "tok")}],
        "welcome": [{"reset_url": links.reset_url(PUBLIC, "tok")}],
        "email_changed": [{"old_email": "old@example.org", "new_email": "new@example.org"}],
        "poll_opened": [poll],
        "poll_closing_soon": [poll],
        "poll_closed": [poll],
        "newsletter": [{"subject": "News", "body": "**Hello** _all_.", "translations": {}}],
        "recall": [recall_context(PUBLIC, step, recall) for step in steps]
        + [recall_context(PUBLIC, "decided", {**recall, "outcome": "revoked"})],
        "by_election": [
            by_election_context(PUBLIC, kind, {"poll_id": POLL_ID, "filled": filled})
            for kind, filled in (
                ("polls.by_election.needed", False),
                ("polls.by_election.opened", False),
                ("polls.by_election.opened", True),
            )
        ],
        "upward_request": [
            upward_context(PUBLIC, step, upward) for step in ("filed", "opened", "refused", "late")
        ],
        "challenge": [challenge_context(PUBLIC, s, challenge) for s in ("filed", "set_aside")],
        "mention": [
            {
                "title": "Picnic",
                "author_name": "Ana",
                "comment_url": links.comment_url(PUBLIC, "poll", POLL_ID, COMMENT_ID),
            },
            {
                "title": "Fridge",
                "author_name": "Ana",
                "comment_url": links.comment_url(PUBLIC, "proposal", PROPOSAL_ID, COMMENT_ID),
            },
        ],
    }


def _mail_links() -> dict[str, set[str]]:
    """Every link of every mail, with the mails (kind/language) that carry it."""
    found: dict[str, set[str]] = {}
    contexts = _contexts()
    assert set(contexts) == set(render.KINDS)  # a new kind needs its sample here
    unsubscribe = PUBLIC + UNSUBSCRIBE
    for kind, samples in contexts.items():
        for language in LANGUAGES:
            for context in samples:
                mail = render.render_email(
                    kind, language, "polls", context, name="Mo", unsubscribe_url=unsubscribe
                )
                sms = render.render_sms(kind, language, "polls", context, name="Mo")
                for part in (mail.text, unescape(mail.html), sms):
                    for link in URL.findall(part):
                        found.setdefault(link, set()).add(f"{kind}/{language}")
    return found


class Site(RoutedGateway):
    """The API as the linked pages ask it: a closed poll with results and affected weights,
    a proposal, an upward request, a recall petition."""

    def routes(self) -> dict:
        poll = {
            **POLL,
            "status": "closed",
            "affected": [{"chapter_id": CHAPTER_ID, "chapter_name": "Lyon", "weight": 2}],
        }
        comment = {"id": COMMENT_ID, "author_id": "x", "author_name": "Ana", "text": "Hi"}
        comment.update(created_at=WHEN, editable_until=WHEN, hidden=False)
        challenges = {"count": 1, "threshold": {"needed": 5}, "challenges": []}
        return {
            ("GET", f"/api/v1/polls/{POLL_ID}"): (200, poll),
            ("GET", f"/api/v1/polls/{POLL_ID}/results"): (200, RESULTS),
            ("GET", f"/api/v1/polls/{POLL_ID}/challenges"): (200, challenges),
            ("GET", f"/api/v1/polls/{POLL_ID}/comments"): (
                200,
                {"comments": [comment], "threads": 1, "total": 1},
            ),
            ("GET", f"/api/v1/proposals/{PROPOSAL_ID}"): (200, PROPOSAL),
            ("GET", f"/api/v1/proposals/{PROPOSAL_ID}/comments"): (
                200,
                {"comments": [comment], "threads": 1, "total": 1},
            ),
            ("GET", f"/api/v1/polls/upward-requests/{REQUEST_ID}"): (200, UPWARD_REQUEST),
            ("GET", f"/api/v1/recalls/{PETITION_ID}"): (200, PETITION),
            ("POST", "/api/v1/auth/verify"): (200, {"email": "mo@example.org"}),
            ("GET", UNSUBSCRIBE): (200, {"category": "polls", "subscribed": True}),
        }


def test_the_results_link_opens_the_polls_page_at_its_results():
    url = links.results_url("https://councils.example/", "0b6c2d9e-0000-4000-8000-000000000001")
    assert url == ("https://councils.example/polls/0b6c2d9e-0000-4000-8000-000000000001#results-h")
    assert "/api/" not in url


def test_a_recall_mail_links_to_the_petitions_page():
    url = links.petition_url("https://councils.example/", PETITION_ID)
    assert url == f"https://councils.example/recalls/{PETITION_ID}"


MAIL_LINKS = _mail_links()


def test_the_mails_carry_a_link_of_every_builder():
    paths = {urlsplit(link).path.split("/")[1] for link in MAIL_LINKS}
    assert {"polls", "proposals", "recalls", "requests", "verify", "reset", "unsubscribe"} <= paths


@pytest.mark.parametrize("link", sorted(MAIL_LINKS))
def test_every_link_in_a_mail_opens_a_page(link):
    carried_by = sorted(MAIL_LINKS[link])
    assert link.startswith(PUBLIC + "/"), carried_by
    parts = urlsplit(link)
    assert not parts.path.startswith("/api/"), carried_by
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = web_client(Site()).get(path, headers={"Accept": "text/html"})
    if response.status_code in (302, 303):
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login", carried_by
        assert parts.path in unquote(location.query), carried_by
        return
    assert response.status_code == 200, (carried_by, response.status_code)
    assert response.headers["Content-Type"].startswith("text/html"), carried_by
    if parts.fragment:
        assert f'id="{parts.fragment}"' in response.get_data(as_text=True), carried_by
