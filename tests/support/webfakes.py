"""A fake of the gateway's HTTP API for the web pages' tests (no I/O): it answers the paths the
pages call and records what was sent, plus the helpers those tests share."""

from __future__ import annotations

import json
import re

from gateway.web import WebSettings, create_web_app
from services.polls.answers import methods_document

# Polls' one table of voting methods, as GET /api/v1/polls/methods serves it.
METHODS = methods_document()
METHOD_TABLE = {entry["method"]: entry for entry in METHODS["methods"]}

POLL = {
    "id": "11111111-1111-1111-1111-111111111111",
    "title": "Picnic",
    "status": "open",
    "closes_at": "2030-01-01T00:00:00+00:00",
    "electorate": 3,
    "voters": 0,
    "eligible": True,
    "voted": False,
    "questions": [{"id": "q1", "method": "irv", "options": ["A", "B", "C"], "text": "Rank"}],
}


class FakeResponse:
    def __init__(self, status: int, body=None):
        self.status_code = status
        self.content = b"" if body is None else json.dumps(body).encode()
        self.headers = {}

    def json(self):
        return json.loads(self.content)


class FakeGateway:
    """Answers the API paths the pages call; records what was sent."""

    def __init__(self):
        self.calls = []

    def request(self, method, url, json=None, params=None, headers=None, **_):
        path = url.split("://", 1)[1].split("/", 1)[1]
        path = "/" + path
        self.calls.append((method, path, json, headers))
        routes = {
            ("GET", "/api/v1/polls"): (200, {"polls": [POLL]}),
            ("GET", "/api/v1/polls/methods"): (200, METHODS),
            ("GET", "/api/v1/chapters"): (
                200,
                [{"name": "Lyon", "level": "local", "member_count": 4}],
            ),
            ("GET", "/api/v1/targets"): (
                200,
                [{"name": "Members", "target": 100, "current": 25, "met": False}],
            ),
            ("POST", "/api/v1/auth/login"): (200, {"access_token": "tok", "refresh_token": "r"}),
            ("GET", "/api/v1/members/me"): (
                200,
                {"id": "m", "display_name": "Mo", "status": "active", "admin": False},
            ),
            ("GET", f"/api/v1/polls/{POLL['id']}"): (200, POLL),
            ("POST", f"/api/v1/polls/{POLL['id']}/ballots"): (201, {"receipt": "RCPT-123456"}),
        }
        status, body = routes.get(
            (method, path), (404, {"error": {"code": "not_found", "message": "nope"}})
        )
        if path == "/api/v1/members/me" and not (headers or {}).get("Authorization"):
            status, body = 401, {"error": {"code": "unauthorized", "message": "no"}}
        return FakeResponse(status, body)


def api_path(url: str) -> str:
    """The path of an API call (`/api/v1/...`) from the full URL the client asked for."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


class RoutedGateway(FakeGateway):
    """The fake gateway with a test's own answers first: `answer` gives (status, body) for the
    calls the test knows (by default from `routes()`, keyed by method and path), None for the
    rest, which the plain fake answers."""

    def routes(self) -> dict:
        return {}

    def answer(self, method, path, json=None, params=None, headers=None):
        return self.routes().get((method, path))

    def note(self, method, path, json, params, headers) -> None:
        self.calls.append((method, path, json, headers))

    def request(self, method, url, json=None, params=None, headers=None, **kwargs):
        path = api_path(url)
        found = self.answer(method, path, json=json, params=params, headers=headers)
        if found is None:
            return super().request(method, url, json=json, params=params, headers=headers, **kwargs)
        self.note(method, path, json, params, headers)
        return FakeResponse(*found)


def web_client(gateway, secret_key: str = "test"):
    """A test client of the web pages, whose API calls go to `gateway`."""
    app = create_web_app(WebSettings(secret_key=secret_key, gateway_url="http://gw"), http=gateway)
    return app.test_client()


class AdminGateway(RoutedGateway):
    """The routed fake gateway of the admin's pages: the member logged in is an admin (a plain
    member with `admin = False`); the calls it answers are noted with their query parameters,
    `(method, path, json, params)`, the member's own (`/api/v1/members/me`) left out."""

    admin = True

    def note(self, method, path, json, params, headers) -> None:
        if path != "/api/v1/members/me":  # the tests look at what was sent and asked for
            self.calls.append((method, path, json, params))

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/me" and (headers or {}).get("Authorization"):
            return 200, {"id": "a", "display_name": "Ad", "status": "active", "admin": self.admin}
        return super().answer(method, path, json=json, params=params, headers=headers)


ACCESS = "access-token-7f3c9a1e5b2d4f60"
REFRESH = "refresh-token-c41e8d2b9a7f3e15"


class TokenGateway(FakeGateway):
    """The fake gateway, handing out tokens long enough to grep for; notes the hosts called."""

    def __init__(self):
        super().__init__()
        self.hosts: set[str] = set()

    def request(self, method, url, json=None, params=None, headers=None, **kw):
        host, path = url.split("://", 1)[1].split("/", 1)
        self.hosts.add(host)
        if path == "api/v1/auth/login":
            self.calls.append((method, "/" + path, json, headers))
            return FakeResponse(200, {"access_token": ACCESS, "refresh_token": REFRESH})
        if (
            path == "api/v1/members/me"
            and (headers or {}).get("Authorization") == f"Bearer {ACCESS}"
        ):
            self.calls.append((method, "/" + path, json, headers))
            return FakeResponse(
                200, {"id": "m", "display_name": "Mo", "status": "active", "admin": False}
            )
        return super().request(method, url, json, params, headers, **kw)


def body_sent(gateway, path: str):
    """The JSON body of the first call the pages made to `path`."""
    return next(c[2] for c in gateway.calls if c[1] == path)


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def login(client, next_path: str | None = None):
    token = csrf(client.get("/login"))
    data = {"email": "a@b.org", "password": "pw", "csrf_token": token}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/login", data=data)


def log_in(client) -> None:
    """`login`, which must succeed (a redirect to the page asked for)."""
    assert login(client).status_code == 302


def logged_in_client(gateway):
    """`web_client` on `gateway`, logged in."""
    client = web_client(gateway)
    log_in(client)
    return client


CHAPTER_ID = "22222222-2222-4222-8222-222222222222"
CHILD_ID = "33333333-3333-4333-8333-333333333333"
CHAPTER = {
    "id": CHAPTER_ID,
    "name": "Lyon",
    "level": "local",
    "country": "FR",
    "member_count": 6,
    "working": False,
    "ancestors": [{"id": CHILD_ID, "name": "France", "level": "national"}],
    "children": [{"id": CHILD_ID, "name": "Lyon Nord", "member_count": 2, "working": True}],
    "coordinators": [{"display_name": "Camille"}],
    "members": [{"display_name": "Ana"}, {"display_name": "Bo"}],
    "status": {
        "criteria": {"min_members": True, "min_women_share": False, "meeting_within_days": True},
        "thresholds": {"min_members": 5, "min_women_share": 0.3, "meeting_within_days": 90},
        "last_meeting_on": "2026-11-01",
    },
}
PREFS = {
    "email_verified": True,
    "sms_available": False,
    "language": "en",
    "categories": {
        "polls": {"email": True, "sms": False},
        "newsletters": {"email": True, "sms": False},
    },
}


class MemberGateway(RoutedGateway):
    """The fake gateway, also answering the chapter, verification and preference pages' calls."""

    def answer(self, method, path, json=None, params=None, headers=None):
        return {
            ("POST", "/api/v1/auth/verify"): (
                (200, {"email": "ana@example.org", "verified": True})
                if (json or {}).get("token") == "good"
                else (
                    400,
                    {
                        "error": {
                            "code": "invalid_token",
                            "message": "This link is not valid any more.",
                        }
                    },
                )
            ),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (200, CHAPTER),
            # The page lists its sub-chapters a page at a time, with the list by parent.
            ("GET", "/api/v1/chapters"): (200, CHAPTER["children"]),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/members"): (200, CHAPTER["members"]),
            ("GET", "/api/v1/mandates"): (200, []),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/meetings"): (
                200,
                [{"held_on": "2026-11-01", "note": "Founding meeting"}],
            ),
            ("GET", "/api/v1/notifications/preferences"): (200, PREFS),
            ("PUT", "/api/v1/notifications/preferences"): (200, PREFS),
        }.get((method, path))


# An instant-runoff result as polls publishes it, for the results pages.
IRV = {
    "question_id": "q",
    "method": "irv",
    "text": "Rank",
    "options": ["A", "B", "C"],
    "winners": ["A"],
    "rounds": [
        {
            "round": 1,
            "totals": {"A": 4, "B": 3, "C": 2},
            "eliminated": ["C"],
            "continuing_ballots": 9,
            "exhausted": 0,
        },
        {
            "round": 2,
            "totals": {"A": 5, "B": 3},
            "elected": ["A"],
            "continuing_ballots": 8,
            "exhausted": 1,
        },
    ],
}

# A Schulze result as polls publishes it: B beats A by 5 to 2.
SCHULZE = {
    "method": "schulze",
    "winners": ["B"],
    "options": ["A", "B"],
    "pairwise": {"A": {"B": 2}, "B": {"A": 5}},
    "rounds": [],
}

PETITION_ID = "44444444-4444-4444-8444-444444444444"
DELEGATE_ID = "55555555-5555-4555-8555-555555555555"
MANDATE_ID = "66666666-6666-4666-8666-666666666666"
PETITION = {
    "id": PETITION_ID,
    "mandate_id": MANDATE_ID,
    "chapter_id": CHAPTER_ID,
    "chapter_name": "Lyon",
    "delegate_id": DELEGATE_ID,
    "delegate_name": "Dana",
    "reason": "Never reports back.",
    "status": "open",
    "signatures": 3,
    "threshold": 5,
    "members_at_opening": 20,
    "opened_at": "2026-11-01T10:00:00+00:00",
    "expires_at": "2026-12-01T10:00:00+00:00",
    "signed": False,
    "poll_id": None,
    "votes_for": None,
    "votes_against": None,
    "quorum_percent": 20.0,
    "quorum_needed": 4,
    "voters": None,
    "electorate": None,
}

ME = {
    "id": "m",
    "display_name": "Mo",
    "status": "active",
    "admin": False,
    "email": "mo@example.org",
    "email_verified": True,
    "country": "SI",
    "language": "es",
    "phone": None,
    "gender": None,
    "introduction": "Hola",
    "vouches": 0,
    "vouches_required": 2,
    "vouching_enabled": True,
}
PENDING = "44444444-4444-4444-8444-444444444444"

RESULTS = {
    "voters": 12,
    "electorate": 20,
    "questions": [
        {
            "question_id": "q1",
            "text": "Adopt the charter?",
            "method": "majority",
            "options": ["Yes", "No"],
            "answered": 11,
            "threshold": "two_thirds",
            "threshold_rule": "at least two thirds of valid votes",
            "threshold_met": False,
            "decided": False,
            "winners": ["Yes"],
            "valid_votes": 11,
            "rounds": [{"round": 1, "totals": {"Yes": 6, "No": 5}}],
            "tie_broken": False,
        }
    ],
}


WHEN = "2026-11-01T10:00:00+00:00"
# A member's proposal with its supporters and threshold (member initiative, issue 18).
PROPOSAL_ID = "99999999-9999-4999-8999-999999999999"
PROPOSAL = {
    "id": PROPOSAL_ID,
    "title": "A community fridge",
    "status": "draft",
    "author_id": "x",
    "author_name": "Ana",
    "scope": {"type": "organisation"},
    "text": "",
    "created_at": WHEN,
    "updated_at": WHEN,
    "discussion_ends_at": "2026-11-08T10:00:00+00:00",
    "questions": [{"method": "majority", "text": "Set one up?", "options": ["Yes", "No"]}],
    "supporters": [{"member_id": "x", "name": "Ana", "at": WHEN}],
    "supporters_count": 1,
    "threshold": {"share": 0.05, "minimum": 3, "active_members": 61, "needed": 4},
    "threshold_reached": False,
    "supported": False,
    "may_support": True,
}

# A chapter's request to the level above for a delegate poll (issue 18).
REQUEST_ID = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
UPWARD_REQUEST = {
    "id": REQUEST_ID,
    "chapter": {"id": CHAPTER_ID, "name": "Lyon"},
    "asks": {"id": "f", "name": "France"},
    "title": "A national rent campaign",
    "text": "",
    "questions": [{"method": "majority", "text": "Campaign?", "options": ["Yes", "No"]}],
    "basis": "poll",
    "filed_at": WHEN,
    "filed_by_name": "Ana",
    "answer_due_at": WHEN,
    "status": "pending",
    "overdue": True,
    "may_answer": True,
}
