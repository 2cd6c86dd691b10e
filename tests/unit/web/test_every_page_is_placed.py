"""Every page a member can open says where they are: one h1 and breadcrumbs from the top
(Home) down to the page itself, the last marked as the current page. The pages are rendered
against one fake of the API that answers all of them; every page of the site that is not an
admin's is listed here, so a new page without its place fails."""

from __future__ import annotations

import re

import pytest

from tests.support.webfakes import (
    CHAPTER,
    CHAPTER_ID,
    DELEGATE_ID,
    ME,
    PENDING,
    PETITION,
    PETITION_ID,
    POLL,
    PREFS,
    RESULTS,
    RoutedGateway,
    login,
    web_client,
)

PID = POLL["id"]
PROPOSAL_ID = "99999999-9999-4999-8999-999999999999"
CURRENT_ID = "77777777-7777-4777-8777-777777777777"
COMMENT_ID = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
WHEN = "2026-11-01T10:00:00+00:00"
COMMENT = {
    "id": COMMENT_ID,
    "author_id": "x",
    "author_name": "Bo",
    "body": "Hello",
    "created_at": WHEN,
    "editable_until": WHEN,
    "hidden": False,
    "mentions": [],
    "likes": 1,
    "dislikes": 0,
    "replies": [],
}
PROPOSAL = {
    "id": PROPOSAL_ID,
    "title": "Plant trees",
    "status": "draft",
    "author_id": "m",
    "author_name": "Mo",
    "scope": {"type": "organisation"},
    "kind": "question",
    "text": "Shall we?",
    "created_at": WHEN,
    "updated_at": WHEN,
    "questions": [{"method": "majority", "text": "Plant?", "options": ["Yes", "No"]}],
}
REQUEST_ID = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
UPWARD = {
    "id": REQUEST_ID,
    "chapter": {"id": CHAPTER_ID, "name": "Lyon"},
    "asks": {"id": "x", "name": "France"},
    "title": "A national campaign",
    "text": "",
    "questions": [{"method": "majority", "text": "Campaign?", "options": ["Yes", "No"]}],
    "basis": "mandate",
    "filed_at": WHEN,
    "answer_due_at": WHEN,
    "status": "pending",
    "overdue": True,
    "may_answer": True,
}
RECORD = {"member_id": DELEGATE_ID, "display_name": "Dana", "mandates": []}
MEMBER = {
    **ME,
    "language": "en",
    "chapters": [{"id": CHAPTER_ID, "name": "Lyon", "level": "local"}],
}

# Each page a member may open, by its endpoint, as a member logged in opens it.
PAGES = {
    "site.home": "/",
    "accounts.login": "/login",
    "accounts.register": "/register",
    "accounts.logout_page": "/logout",
    "accounts.verify_email": "/verify?token=good",
    "passwords.forgot": "/forgot",
    "passwords.reset": "/reset?token=abc",
    "profile.me_page": "/me",
    "profile.delete_account": "/me/delete",
    "settings.notification_preferences": "/me/notifications",
    "vouching.pending": "/members/pending",
    "poll_list.polls": "/polls",
    "polls.poll": f"/polls/{PID}",
    "poll_ballots.ballots": f"/polls/{PID}/ballots",
    "polls.check": f"/polls/{PID}/check",
    "polls.receipt": f"/polls/{PID}/receipt",
    "proposals.proposals": "/proposals",
    "proposals.proposal": f"/proposals/{PROPOSAL_ID}",
    "proposals.new": "/proposals/new",
    "proposals.edit": f"/proposals/{PROPOSAL_ID}/edit",
    "discussion.edit": f"/polls/{PID}/comments/{COMMENT_ID}/edit",
    "discussion.report": f"/polls/{PID}/comments/{COMMENT_ID}/report",
    "discussion.hide": f"/proposals/{PROPOSAL_ID}/comments/{COMMENT_ID}/hide",
    "chapters.directory": "/chapters",
    "chapters.tree": "/chapters/tree",
    "chapters.chapter": f"/chapters/{CHAPTER_ID}",
    "delegates.chapter_recalls": f"/chapters/{CHAPTER_ID}/recalls",
    "currents.currents": "/currents",
    "currents.current": f"/currents/{CURRENT_ID}",
    "people.delegates": "/delegates",
    "people.targets": "/targets",
    "people.member": f"/members/{DELEGATE_ID}",
    "delegates.record": f"/members/{DELEGATE_ID}/record",
    "delegates.recall": f"/recalls/{PETITION_ID}",
    "newsletters.archive": "/newsletters",
    "upward.new": f"/chapters/{CHAPTER_ID}/requests/new",
    "elections.coordinator_election": f"/chapters/{CHAPTER_ID}/coordinator-election",
    "elections.admin_election": "/elections/admin",
    "upward.request_page": f"/requests/{REQUEST_ID}",
    "installable.offline": "/offline",
    "settings.unsubscribe": "/unsubscribe/tok.sig",
}
NOT_PAGES = {
    "static",
    "site.favicon",
    "profile.download_my_data",
    "installable.manifest",
    "installable.service_worker",
}


class Site(RoutedGateway):
    """One answer for every API call the member's pages make."""

    def answer(self, method, path, json=None, params=None, headers=None):
        if method == "POST" and path == "/api/v1/auth/login":
            return None
        if path == "/api/v1/members/me":
            return (200, MEMBER) if (headers or {}).get("Authorization") else None
        if method == "GET" and path.endswith("/comments"):
            return 200, {"comments": [COMMENT], "threads": 1, "total": 1}
        if method == "GET" and "/comments/" in path:
            return 200, COMMENT
        return self.routes().get((method, path)) or self.lists(method, path)

    def lists(self, method, path):
        plain = {
            "/api/v1/chapters": [
                {
                    "id": CHAPTER_ID,
                    "name": "Lyon",
                    "level": "local",
                    "member_count": 6,
                    "working": True,
                }
            ],
            "/api/v1/currents": [{"id": CURRENT_ID, "name": "Greens", "member_count": 3}],
            "/api/v1/mandates": [],
            "/api/v1/recalls": [PETITION],
            "/api/v1/proposals": {"proposals": [PROPOSAL], "total": 1},
            "/api/v1/newsletters/archive": [],
        }
        return (200, plain[path]) if method == "GET" and path in plain else None

    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/polls/{PID}"): (200, {**POLL, "voted": True}),
            ("GET", f"/api/v1/polls/{PID}/results"): (200, RESULTS),
            ("GET", f"/api/v1/polls/{PID}/ballots"): (200, {"ballots": [], "next": None}),
            ("GET", f"/api/v1/polls/{PID}/commitments"): (200, {"commitments": [], "next": None}),
            ("GET", f"/api/v1/proposals/{PROPOSAL_ID}"): (200, PROPOSAL),
            ("GET", f"/api/v1/polls/upward-requests/{REQUEST_ID}"): (200, UPWARD),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (  # its members may elect (issue 18)
                200,
                {**CHAPTER, "coordinators": [{"display_name": "Camille", "interim": True}]},
            ),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/members"): (200, []),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/meetings"): (200, []),
            ("GET", f"/api/v1/currents/{CURRENT_ID}"): (
                200,
                {"id": CURRENT_ID, "name": "Greens", "member_count": 3, "created_at": WHEN},
            ),
            ("GET", f"/api/v1/members/{DELEGATE_ID}"): (
                200,
                {"id": DELEGATE_ID, "display_name": "Dana", "created_at": WHEN, "chapters": []},
            ),
            ("GET", f"/api/v1/members/{DELEGATE_ID}/record"): (200, RECORD),
            ("GET", f"/api/v1/delegates/{DELEGATE_ID}/votes"): (200, {"votes": []}),
            ("GET", f"/api/v1/members/{PENDING}"): (200, {"id": PENDING, "chapters": []}),
            ("GET", f"/api/v1/recalls/{PETITION_ID}"): (200, PETITION),
            ("GET", "/api/v1/targets"): (200, []),
            ("GET", "/api/v1/targets/figures"): (
                200,
                dict.fromkeys(
                    ("members", "chapters", "working_chapters", "countries", "continents"), 1
                ),
            ),
            ("GET", "/api/v1/auth/sessions"): (200, []),
            ("GET", "/api/v1/members/pending"): (200, []),
            ("GET", "/api/v1/notifications/preferences"): (200, PREFS),
            ("GET", "/api/v1/notifications/deliveries"): (200, {"items": [], "next_before": None}),
            ("POST", "/api/v1/auth/verify"): (200, {"email": "mo@example.org", "verified": True}),
            ("GET", "/api/v1/unsubscribe/tok.sig"): (
                200,
                {"category": "polls", "subscribed": True},
            ),
        }


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Each page's HTML, rendered once for the module."""
    client = web_client(Site())
    login(client)
    with client.session_transaction() as session:  # the receipt page shows the last receipt
        session["receipt"] = {PID: "RCPT-1"}
    seen = {}
    for endpoint, path in PAGES.items():
        answer = client.get(path)
        assert answer.status_code == 200, (endpoint, answer.status_code)
        seen[endpoint] = answer.get_data(as_text=True)
    return seen


def test_every_page_of_the_site_is_listed():
    app = web_client(Site()).application
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    # Admins' and coordinators' pages (chapter_manage) have tests of their own.
    members = {e for e in endpoints if not e.startswith(("admin", "moderation", "chapter_manage"))}
    assert members - NOT_PAGES == set(PAGES)


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_the_page_says_where_it_is(pages, endpoint):
    html = pages[endpoint]
    assert len(re.findall(r"<h1[ >]", html)) == 1, endpoint
    trail = re.search(r'<nav aria-label="Breadcrumb" class="crumbs">(.*?)</nav>', html, re.S)
    assert trail, endpoint
    items = re.findall(r"<li[ >].*?</li>", trail.group(1), re.S)
    assert items[-1].startswith('<li aria-current="page">'), endpoint
    if endpoint != "site.home":
        assert items[0] == '<li><a href="/">Home</a></li>', endpoint
    assert trail.start() < html.index("<h1")
