"""What a page of the big discussion costs whatever the machine's load (issue 15): the SQL
queries and rows of each request, the HTML bytes, and a cProfile of the whole path (web view →
polls API → store) with both in this process. Called by `bench_scale.py --profile`.
"""

from __future__ import annotations

import cProfile
import io
import logging
import pstats
import re
import statistics
import time
from collections import Counter
from typing import cast
from urllib.parse import urlsplit

import psycopg2
import requests

from gateway.web import WebSettings, create_web_app
from services.polls.app import create_app
from services.polls.context import build_context
from tests.support.inprocess import PollsInProcess, counting_queries
from tests.support.runtime import make_runtime

PROFILED_ROUNDS = 20
TIMED_ROUNDS = 15


def _pages(poll: str) -> list[tuple[str, str]]:
    return [
        ("page /polls/<big poll>", f"/polls/{poll}"),
        ("page /polls/<big poll>?page=20", f"/polls/{poll}?page=20"),
        ("page /polls/<big poll>?sort=best", f"/polls/{poll}?sort=best"),
        ("api .../comments?limit=20", f"/api/v1/polls/{poll}/comments?limit=20"),
        ("api .../comments?sort=best", f"/api/v1/polls/{poll}/comments?limit=20&sort=best"),
    ]


def _timed(client, path: str) -> str:
    """The p50 of wall and CPU ms of TIMED_ROUNDS requests (CPU time: this process's work,
    whatever the machine's load)."""
    walls, cpus = [], []
    for _ in range(TIMED_ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return f"{statistics.median(walls):>6.0f} {statistics.median(cpus):>10.1f}"


def _profiled(browser, path: str) -> cProfile.Profile:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILED_ROUNDS):
        browser.get(path)
    profiler.disable()
    return profiler


def _statements_and_profile(whose: str, statements: list[str], profiler) -> list[str]:
    """polls' statements of one page, and the top of the cProfile of PROFILED_ROUNDS pages."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"gateway|services|jinja2/environment", 30)
    stats.sort_stats("tottime").print_stats(15)
    return [
        f"\npolls' statements of {whose} page:",
        *(f"  {statement}" for statement in statements),
        f"\ncProfile of {PROFILED_ROUNDS} requests of {whose} page of /polls/<big poll>:",
        out.getvalue(),
    ]


def profile_discussion(url: str, stack_url: str, poll: str) -> str:
    """Queries, rows and bytes per request (anonymous), in-process time (wall and this
    process's CPU, which the machine's load hardly moves), and the top of a cProfile of
    PROFILED_ROUNDS requests of the page."""
    runtime = make_runtime("polls", url)
    polls = create_app(runtime, build_context(runtime))
    logging.getLogger("councils").setLevel(logging.WARNING)  # no access log per request
    http = PollsInProcess(polls, requests.Session())
    settings = WebSettings(secret_key="bench", gateway_url=stack_url)
    web = create_web_app(settings, http=cast(requests.Session, http))  # it calls .request only
    browser = web.test_client()
    lines = [
        f"{'request (in process, anonymous)':<36} queries  rows  bytes  "
        f"ms p50  CPU ms p50 (of {TIMED_ROUNDS})"
    ]
    page_statements: list[str] = []
    try:
        for label, path in _pages(poll):
            client = http.client if path.startswith("/api/") else browser
            client.get(path)  # warm (templates, pool)
            with counting_queries() as counted:
                answer = client.get(path)
            page_statements = page_statements or counted.statements
            lines.append(
                f"{label:<36} {counted.queries:>7} {counted.rows:>5} "
                f"{len(answer.get_data()):>6} {_timed(client, path)}  ({answer.status_code})"
            )
        profiler = _profiled(browser, f"/polls/{poll}")
    finally:
        runtime.db.close()
    lines += _statements_and_profile("the anonymous", page_statements, profiler)
    return "\n".join(lines)


class CountingHttp:
    """The web app's `http` with every call it makes to the API counted (method and path,
    ids shortened), with its wall time and bytes."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[tuple[str, float, int]] = []

    def request(self, method, url, **kw):
        started = time.perf_counter()
        answer = self.inner.request(method, url, **kw)
        path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", urlsplit(url).path)
        ms = (time.perf_counter() - started) * 1000
        self.calls.append((f"{method} {path}", ms, len(answer.content)))
        return answer


def profile_member(
    url: str, stack_url: str, poll: str, email: str, password: str, others=()
) -> str:
    """The member's pages of the big poll, and `others` ((label, path) of other pages; web
    and polls in this process, members and the gateway's other services on the stack): the
    API calls each page makes, polls' statements, the HTML bytes, in-process time, and a
    cProfile of the poll's page."""
    runtime = make_runtime("polls", url)
    polls = create_app(runtime, build_context(runtime))
    logging.getLogger("councils").setLevel(logging.WARNING)
    http = CountingHttp(PollsInProcess(polls, requests.Session()))
    settings = WebSettings(secret_key="bench", gateway_url=stack_url)
    web = create_web_app(settings, http=cast(requests.Session, http))
    browser = web.test_client()
    form = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    browser.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1) if token else ""},
    )
    lines = [
        f"{'request (in process, member)':<36} calls  polls SQL  rows  bytes  ms p50  "
        f"CPU ms p50 (of {TIMED_ROUNDS})"
    ]
    statements: list[str] = []
    try:
        for label, path in [*_pages(poll)[:3], *others]:
            browser.get(path)  # warm
            http.calls.clear()
            with counting_queries() as counted:
                answer = browser.get(path)
            calls = list(http.calls)
            statements = statements or counted.statements
            lines.append(
                f"{label:<36} {len(calls):>5} {counted.queries:>10} {counted.rows:>5} "
                f"{len(answer.get_data()):>6} {_timed(browser, path)}  ({answer.status_code})"
            )
            for call, count in Counter(c for c, _, _ in calls).items():
                spent = [ms for c, ms, _ in calls if c == call]
                size = sum(b for c, _, b in calls if c == call)
                lines.append(f"    {count} x {call}  {sum(spent):.0f} ms  {size} B")
        profiler = _profiled(browser, f"/polls/{poll}")
    finally:
        runtime.db.close()
    lines += _statements_and_profile("the member's", statements, profiler)
    return "\n".join(lines)


def explain_discussion(url: str, poll: str, explained) -> str:
    """EXPLAIN ANALYZE of pages of the big poll's discussion (one query each),
    with bench_scale's `explained`."""
    from services.polls.service.discussion import PER_PARENT, REPLIES_PER_PAGE, REPLY_DEPTH
    from services.polls.store import comments

    def page(sort: str, offset: int) -> dict:
        shown = {"per_parent": PER_PARENT, "depth": REPLY_DEPTH, "replies": REPLIES_PER_PAGE}
        return {"sort": sort, "limit": 20, "offset": offset, **shown}

    conn = psycopg2.connect(url, options="-c search_path=polls")
    try:
        return explained(
            conn,
            [
                (
                    "discussion_page newest, page 1",
                    lambda c: comments.discussion_page(
                        c, "poll", poll, None, page("newest", 0), None
                    ),
                ),
                (
                    "discussion_page best, page 1",
                    lambda c: comments.discussion_page(
                        c, "poll", poll, None, page("best", 0), None
                    ),
                ),
                (
                    "discussion_page oldest, page 20",
                    lambda c: comments.discussion_page(
                        c, "poll", poll, None, page("oldest", 380), None
                    ),
                ),
            ],
        )
    finally:
        conn.close()
