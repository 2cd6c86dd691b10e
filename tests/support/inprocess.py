"""The web pages and polls in one process, with their SQL counted: what a page costs whatever
the machine's load (queries, rows fetched, HTML bytes), for the discussion's tests and
`bench/bench_scale.py --profile`.

`PollsInProcess(app, other)` is the web app's `http`: calls under /api/v1/polls and
/api/v1/proposals go to polls' Flask app in this process, any other to `other` (a
`requests.Session` on a running stack, or a fake). `counting_queries()` counts every statement
the services run through `services.common.db` (they all use `RealDictCursor`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import psycopg2.extras

POLLS_PREFIXES = ("/api/v1/polls", "/api/v1/proposals")


@dataclass
class Counted:
    queries: int = 0
    rows: int = 0
    statements: list[str] = field(default_factory=list)


@contextlib.contextmanager
def counting_queries() -> Iterator[Counted]:
    """Count the statements (and rows they returned) run inside the block."""
    counted = Counted()
    plain = psycopg2.extras.RealDictCursor

    class CountingCursor(plain):  # type: ignore[misc, valid-type]
        def execute(self, query, vars=None):
            result = super().execute(query, vars)
            counted.queries += 1
            counted.rows += max(self.rowcount, 0) if self.description else 0
            counted.statements.append(str(query)[:120])
            return result

    psycopg2.extras.RealDictCursor = CountingCursor  # type: ignore[misc]
    try:
        yield counted
    finally:
        psycopg2.extras.RealDictCursor = plain  # type: ignore[misc]


class _Answer:
    """What the web's API client reads of a `requests.Response`."""

    def __init__(self, status: int, content: bytes, headers: dict):
        self.status_code = status
        self.content = content
        self.headers = headers

    def json(self):
        return json.loads(self.content)


class PollsInProcess:
    """The web app's HTTP session: polls' routes served by `app` in this process."""

    def __init__(self, app, other=None):
        self.client = app.test_client()
        self.other = other

    def request(self, method, url, json=None, params=None, headers=None, **kw):
        parts = urlsplit(url)
        if not parts.path.startswith(POLLS_PREFIXES):
            if self.other is None:
                return _Answer(404, b'{"error": {"code": "not_found", "message": "-"}}', {})
            return self.other.request(method, url, json=json, params=params, headers=headers, **kw)
        query = urlencode(params or {})
        answer = self.client.open(
            parts.path + ("?" + query if query else ""),
            method=method,
            json=json,
            headers={k: v for k, v in (headers or {}).items() if k != "X-Forwarded-For"},
        )
        return _Answer(answer.status_code, answer.get_data(), dict(answer.headers))
