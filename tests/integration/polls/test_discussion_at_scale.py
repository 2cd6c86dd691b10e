"""A discussion of 1,200 comments (issue 15) read through the web page with polls in this
process: pages of 20 threads with a working "Next" link, at most five replies under a comment
and three levels down, every reply reachable through "Continue this thread", and the same
number of SQL queries per page whatever the discussion's size."""

from __future__ import annotations

import re
import uuid

import pytest

from gateway.web import WebSettings, create_web_app
from tests.integration.polls.conftest import auth, feed, new_member, sql
from tests.support.inprocess import Counted, PollsInProcess, counting_queries

ADMIN = str(uuid.uuid4())
DRAFT = {
    "title": "Meet monthly",
    "scope": {"type": "organisation"},
    "questions": [{"text": "Monthly?", "method": "majority", "options": ["yes", "no"]}],
}
THREADS, CHAIN, SPREAD, SECOND = 300, 40, 800, 60  # 1,200 comments in all


@pytest.fixture(scope="module")
def web(app):
    settings = WebSettings(secret_key="test", gateway_url="http://gw")
    return create_web_app(settings, http=PollsInProcess(app)).test_client()


def _proposal(client, author) -> str:
    created = client.post("/api/v1/proposals", json=DRAFT, headers=auth(author))
    assert created.status_code == 201, created.json
    return created.json["id"]


def _seed(runtime, proposal_id: str, author: str) -> dict:
    """300 threads a minute apart (the first the oldest); under the first, a chain of 40
    replies each answering the one before; under the next 100, 8 replies each; and 60 replies
    to the first of those. Returns the ids the test follows."""
    sql(
        runtime,
        "INSERT INTO comments (id, proposal_id, author_id, body, created_at)"
        " SELECT md5(%(p)s || 't' || n)::uuid, %(p)s, %(a)s, 'Thread ' || n,"
        " now() - make_interval(mins => 10000 - n) FROM generate_series(0, %(t)s - 1) n;"
        " INSERT INTO comments (id, proposal_id, parent_id, author_id, body, created_at)"
        " SELECT md5(%(p)s || 'c' || n)::uuid, %(p)s,"
        " CASE WHEN n = 1 THEN md5(%(p)s || 't0')::uuid ELSE md5(%(p)s || 'c' || (n - 1))::uuid"
        " END, %(a)s, 'Chain ' || n, now() - make_interval(mins => 5000 - n)"
        " FROM generate_series(1, %(c)s) n;"
        " INSERT INTO comments (id, proposal_id, parent_id, author_id, body, created_at)"
        " SELECT md5(%(p)s || 's' || n)::uuid, %(p)s, md5(%(p)s || 't' || (1 + n / 8))::uuid,"
        " %(a)s, 'Reply ' || n, now() - make_interval(mins => 4000 - n)"
        " FROM generate_series(0, %(s)s - 1) n;"
        " INSERT INTO comments (id, proposal_id, parent_id, author_id, body, created_at)"
        " SELECT gen_random_uuid(), %(p)s, md5(%(p)s || 's0')::uuid, %(a)s, 'Deeper ' || n,"
        " now() - make_interval(mins => 1000 - n) FROM generate_series(1, %(d)s) n",
        {"p": proposal_id, "a": author, "t": THREADS, "c": CHAIN, "s": SPREAD, "d": SECOND},
    )
    ids = sql(
        runtime,
        "SELECT md5(%(p)s || 'c' || %(c)s)::uuid::text AS deepest,"
        " md5(%(p)s || 't1')::uuid::text AS busy",
        {"p": proposal_id, "c": CHAIN},
    )[0]
    return ids


def _top_level(html: str) -> int:
    """Threads on the page: comments of the list right under the discussion's heading."""
    listing = html.split('<ol class="comments">', 1)[1]
    depth, count = 0, 0
    for tag in re.finditer(r"<(/?)ol\b|<li class=\"comment\"", listing):
        if tag.group(0).startswith("<li"):
            count += depth == 0
        elif tag.group(1):
            if depth == 0:
                break
            depth -= 1
        else:
            depth += 1
    return count


def _next_link(html: str) -> str:
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert found, "no Next link"
    return found.group(1).replace("&amp;", "&")


def test_1200_comments_are_paged_and_every_reply_is_reachable(runtime, client, web):
    author = new_member(runtime)
    feed(runtime, "members.member.contact_changed", {"member_id": author, "display_name": "Ana"})
    pid = _proposal(client, author)
    ids = _seed(runtime, pid, author)
    base = f"/proposals/{pid}"

    first = web.get(f"{base}?sort=oldest")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "1,200 comments" in html and "Page 1 of 15" in html
    assert _top_level(html) == 20
    assert "<p>Chain 3</p>" in html and "<p>Chain 4</p>" not in html  # three levels under a thread
    assert "<p>Reply 4</p>" in html and "<p>Reply 5</p>" not in html  # five replies under a comment
    assert "Read all 8 replies" in html
    assert len(html) < 120_000  # 97 KB: no forms for a reader who is not logged in

    second = web.get(_next_link(html)).get_data(as_text=True)
    assert "Page 2 of 15" in second and _top_level(second) == 20
    assert "<p>Thread 20</p>" in second and "<p>Thread 19</p>" not in second

    busy = web.get(f"{base}?sort=oldest&thread={ids['busy']}").get_data(as_text=True)
    assert all(f"Reply {n}<" in busy for n in range(8)) and "Back to the whole discussion" in busy

    # The 40th reply of the chain, through "Continue this thread" links only.
    page, steps = html, 0
    while f'id="c-{ids["deepest"]}"' not in page:
        links = re.findall(r'href="([^"]*thread=[^"]+)"[^>]*>Continue this thread', page)
        assert links and steps < CHAIN, "the chain's end is out of reach"
        page = web.get(links[-1].replace("&amp;", "&")).get_data(as_text=True)
        steps += 1
    assert f"Chain {CHAIN}<" in page and "Up to the comment it answers" in page


def _fewest(request) -> Counted:
    """The statements of a request, the fewest of three tries: a lookup the process repeats
    now and then (the token deny list) is not the page's."""
    tries = []
    for _ in range(3):
        with counting_queries() as counted:
            assert request().status_code == 200
        tries.append(counted)
    return min(tries, key=lambda c: c.queries)


def test_a_page_costs_the_same_queries_whatever_the_discussion_size(runtime, client, web):
    author = new_member(runtime)
    small, large = _proposal(client, author), _proposal(client, author)
    sql(
        runtime,
        "INSERT INTO comments (id, proposal_id, author_id, body)"
        " VALUES (gen_random_uuid(), %s, %s, 'Only one')",
        (small, author),
    )
    _seed(runtime, large, author)
    viewer = auth(new_member(runtime))
    costs = {}
    for name, pid in (("small", small), ("large", large)):
        for sort in ("newest", "best"):
            path = f"/api/v1/proposals/{pid}/comments?sort={sort}"
            web.get(f"/proposals/{pid}?sort={sort}")  # warm (once-a-process lookups)
            client.get(path, headers=viewer)
            page = _fewest(lambda: web.get(f"/proposals/{pid}?sort={sort}"))  # noqa: B023
            api = _fewest(lambda: client.get(path, headers=viewer))  # noqa: B023
            costs[name, sort] = (page.queries, api.queries, api.rows)
    for sort in ("newest", "best"):
        assert costs["small", sort][:2] == costs["large", sort][:2], costs
        assert costs["large", sort][2] <= 20 + 150 + 10, costs  # a page's rows, bounded
    assert costs["large", "newest"][1] <= 4, costs


def test_an_unknown_thread_is_a_404_naming_the_field(runtime, client, web):
    author = new_member(runtime)
    pid = _proposal(client, author)
    answer = client.get(f"/api/v1/proposals/{pid}/comments?thread={uuid.uuid4()}")
    assert answer.status_code == 404 and "thread" in answer.json["error"]["fields"]
    assert client.get(f"/api/v1/proposals/{pid}/comments?thread=x").status_code == 422
    assert web.get(f"/proposals/{pid}?thread={uuid.uuid4()}").status_code == 404
    assert web.get(f"/proposals/{pid}?thread=nonsense").status_code == 404
