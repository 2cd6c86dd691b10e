"""A fake of the gateway's HTTP API for the web pages' tests (no I/O): it answers the paths the
pages call and records what was sent, plus the helpers those tests share."""

from __future__ import annotations

import json
import re

from services.polls.answers import methods_document

# Polls' one table of voting methods, as GET /api/v1/polls/methods serves it.
METHODS = methods_document()
METHOD_TABLE = {entry["method"]: entry for entry in METHODS["methods"]}

POLL = {
    "id": "11111111-1111-1111-1111-111111111111", "title": "Picnic", "status": "open",
    "closes_at": "2030-01-01T00:00:00+00:00", "electorate": 3, "voters": 0,
    "eligible": True, "voted": False,
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
            ("GET", "/api/v1/chapters"): (200, [{"name": "Lyon", "level": "local",
                                                 "member_count": 4}]),
            ("GET", "/api/v1/targets"): (200, [{"name": "Members", "target": 100,
                                                "current": 25, "met": False}]),
            ("POST", "/api/v1/auth/login"): (200, {"access_token": "tok", "refresh_token": "r"}),
            ("GET", "/api/v1/members/me"): (200, {"id": "m", "display_name": "Mo",
                                                  "status": "active", "admin": False}),
            ("GET", f"/api/v1/polls/{POLL['id']}"): (200, POLL),
            ("POST", f"/api/v1/polls/{POLL['id']}/ballots"): (201, {"receipt": "RCPT-123456"}),
        }
        status, body = routes.get((method, path), (404, {"error": {"code": "not_found",
                                                                   "message": "nope"}}))
        if path == "/api/v1/members/me" and not (headers or {}).get("Authorization"):
            status, body = 401, {"error": {"code": "unauthorized", "message": "no"}}
        return FakeResponse(status, body)


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
        if path == "api/v1/members/me" and (headers or {}).get(
                "Authorization") == f"Bearer {ACCESS}":
            self.calls.append((method, "/" + path, json, headers))
            return FakeResponse(200, {"id": "m", "display_name": "Mo", "status": "active",
                                      "admin": False})
        return super().request(method, url, json, params, headers, **kw)


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def login(client, next_path: str | None = None):
    token = csrf(client.get("/login"))
    data = {"email": "a@b.org", "password": "pw", "csrf_token": token}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/login", data=data)
