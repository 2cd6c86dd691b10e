"""The member's side of the site against a fake gateway: this device among their sessions, the
pending members of their chapters to vouch for, a poll's live results with their warning, and
what makes the site installable (manifest, service worker, offline page)."""

from __future__ import annotations

import base64
import json
import re

from tests.support.webfakes import POLL, RESULTS, RoutedGateway, csrf, login, web_client

HERE = "55555555-5555-4555-8555-555555555555"
ELSEWHERE = "66666666-6666-4666-8666-666666666666"
LYON = "22222222-2222-4222-8222-222222222222"
NEAR, FAR = "44444444-4444-4444-8444-444444444444", "77777777-7777-4777-8777-777777777777"
WHEN = "2026-12-01T10:00:00+00:00"


def token_of_session(sid: str) -> str:
    """An access token shaped as the API's, for session `sid`: the page must not read it (the
    API marks the current session)."""
    claims = base64.urlsafe_b64encode(json.dumps({"sub": "m", "sid": ELSEWHERE}).encode())
    return "eyJhbGciOiJFZERTQSJ9." + claims.decode().rstrip("=") + ".c2ln"


class Member(RoutedGateway):
    def __init__(self, vouching=True):
        super().__init__()
        self.member = {
            "id": "m",
            "display_name": "Mo",
            "status": "active",
            "admin": False,
            "language": "en",
            "vouching_enabled": vouching,
            "chapters": [{"id": LYON, "name": "Lyon", "level": "local"}],
        }
        self.poll = dict(POLL)
        self.results = {**RESULTS, "final": False}
        self.pending_asked: list[dict] = []
        person = {
            "display_name": "X",
            "country": "FR",
            "introduction": "Hi",
            "vouches": 0,
            "created_at": WHEN,
        }
        self.pending = [
            {
                **person,
                "id": NEAR,
                "display_name": "Nadia",
                "chapters": [{"id": LYON, "name": "Lyon", "level": "local"}],
            },
            {**person, "id": FAR, "display_name": "Farid", "chapters": []},
        ]

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/me":
            return (200, self.member) if (headers or {}).get("Authorization") else None
        if path == "/api/v1/members/pending":
            self.pending_asked.append(dict(params or {}))
            mine = (params or {}).get("mine") == "true"
            return (200, self.pending[:1] if mine else self.pending)
        return self.routes().get((method, path))

    def routes(self) -> dict:
        return {
            ("POST", "/api/v1/auth/login"): (
                200,
                {"access_token": token_of_session(HERE), "refresh_token": "r"},
            ),
            ("GET", "/api/v1/auth/sessions"): (
                200,
                [
                    {"id": ELSEWHERE, "started_at": WHEN, "last_used_at": WHEN, "ended": False},
                    {
                        "id": HERE,
                        "started_at": WHEN,
                        "last_used_at": WHEN,
                        "ended": False,
                        "current": True,
                    },
                ],
            ),
            ("GET", f"/api/v1/polls/{POLL['id']}"): (200, self.poll),
            ("GET", f"/api/v1/polls/{POLL['id']}/results"): (200, self.results),
        }


def logged_in(gateway):
    client = web_client(gateway)
    login(client)
    return client


def test_this_device_is_marked_first_and_logs_out_rather_than_ending_a_session():
    html = logged_in(Member()).get("/me").get_data(as_text=True)
    rows = re.findall(r"<tr( class=\"current\")?>(.*?)</tr>", html, re.S)[1:]
    assert [bool(current) for current, _ in rows] == [True, False]
    assert html.count("This device") == 1 and "Log out everywhere" in html
    assert f"/me/sessions/{HERE}/end" not in html and f"/me/sessions/{ELSEWHERE}/end" in html
    assert 'action="/logout"' in rows[0][1]


def test_active_members_see_the_pending_members_of_their_chapters_or_everyone():
    gateway = Member()
    client = logged_in(gateway)
    mine = client.get("/members/pending").get_data(as_text=True)
    assert "Nadia" in mine and "Farid" not in mine
    assert gateway.pending_asked[-1]["mine"] == "true"
    # One list call: no profile fetched per person.
    assert not [c for c in gateway.calls if c[1].startswith(f"/api/v1/members/{NEAR}")]
    assert f'href="/chapters/{LYON}">Lyon</a>' in mine and "Vouch for Nadia" in mine
    everyone = client.get("/members/pending?everyone=1").get_data(as_text=True)
    assert "Nadia" in everyone and "Farid" in everyone and "Not in a chapter yet." in everyone
    assert "mine" not in gateway.pending_asked[-1]
    back = client.post(
        f"/members/pending/{NEAR}/vouch",
        data={"csrf_token": csrf(client.get("/me")), "everyone": "1"},
    )
    assert back.headers["Location"].endswith("/members/pending?everyone=1")


def test_where_admins_approve_members_there_is_no_vouch_button():
    html = logged_in(Member(vouching=False)).get("/members/pending").get_data(as_text=True)
    assert "Nadia" in html and "Vouch for" not in html and "an admin approves" in html


def test_live_results_while_open_come_with_their_warning():
    gateway = Member()
    gateway.poll = {
        **POLL,
        "live_results": True,
        "live_results_rule": {"kind": "batches", "min_new_voters": 5},
    }
    html = logged_in(gateway).get(f"/polls/{POLL['id']}").get_data(as_text=True)
    assert "Live results" in html and "Not final." in html
    assert "Counted so far: 12 of 20 members." in html and "Adopt the charter?" in html
    assert "Leading so far: Yes" in html and "Winner" not in html
    gateway.results = {**gateway.results, "voters": 0, "questions": []}
    html = logged_in(gateway).get(f"/polls/{POLL['id']}").get_data(as_text=True)
    assert "Nothing to show yet" in html


def test_no_results_are_asked_for_an_open_poll_without_live_results():
    gateway = Member()
    html = logged_in(gateway).get(f"/polls/{POLL['id']}").get_data(as_text=True)
    assert "Live results" not in html
    assert not [c for c in gateway.calls if c[1].endswith("/results")]


def test_the_site_is_installable_and_keeps_only_static_files_and_the_offline_page():
    client = web_client(Member())
    home = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
    assert 'data-worker="/sw.js"' in home
    manifest = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/sw.js")
    assert worker.headers["Service-Worker-Allowed"] == "/"
    kept = json.loads(re.search(r"var KEEP = (\[.*?\])", worker.get_data(as_text=True))[1])
    assert all(url.startswith("/static/") for url in kept)
    assert "/offline" in worker.get_data(as_text=True) and "__VERSION__" not in worker.get_data(
        as_text=True
    )
    assert "cache.put" not in worker.get_data(as_text=True)  # pages are never stored
    offline = client.get("/offline").get_data(as_text=True)
    assert "You are offline" in offline and "csrf_token" not in offline
