"""The federation pages against a fake gateway: breadcrumbs from the top down, the directory's
bounded queries and their errors, join/leave, currents, profiles, delegates and targets."""

from __future__ import annotations

import pytest

from tests.support.webfakes import CHAPTER, CHAPTER_ID, FakeResponse, MemberGateway, csrf, log_in

INTL = "44444444-4444-4444-8444-444444444444"
NAT = "55555555-5555-4555-8555-555555555555"
REG = "66666666-6666-4666-8666-666666666666"
CURRENT = "77777777-7777-4777-8777-777777777777"
MEMBER = "88888888-8888-4888-8888-888888888888"
LOCAL = {
    **CHAPTER,
    "ancestors": [  # nearest first, as the API gives them
        {"id": REG, "name": "Rhône", "level": "regional"},
        {"id": NAT, "name": "France", "level": "national"},
        {"id": INTL, "name": "Councils International", "level": "international"},
    ],
}
ROW = {
    "id": CHAPTER_ID,
    "name": "Lyon",
    "level": "regional",
    "place": "Lyon",
    "country": "FR",
    "member_count": 6,
    "working": True,
}
# As the API names them: criteria by what they look at, thresholds by their rule.
STATUS = {
    "criteria": {"members": True, "women": False, "active": True},
    "thresholds": CHAPTER["status"]["thresholds"],
}


class Federation(MemberGateway):
    def request(self, method, url, json=None, params=None, headers=None, **kwargs):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        params = params or {}
        routes = {
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (200, LOCAL),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/status"): (200, STATUS),
            ("GET", "/api/v1/mandates"): (
                200,
                [
                    {
                        "member_id": MEMBER,
                        "member_name": "Dee",
                        "chapter_id": CHAPTER_ID,
                        "chapter_name": "Lyon",
                        "role": "delegate",
                        "starts_at": "2026-10-01T00:00:00+00:00",
                    }
                ],
            ),
            ("POST", f"/api/v1/chapters/{CHAPTER_ID}/join"): (200, {"member": True}),
            ("GET", f"/api/v1/currents/{CURRENT}"): (
                200,
                {"id": CURRENT, "name": "Greens", "member_count": 3, "created_at": "2026-01-01"},
            ),
            ("GET", "/api/v1/currents"): (
                200,
                [{"id": CURRENT, "name": "Greens", "member_count": 3}],
            ),
            ("GET", f"/api/v1/members/{MEMBER}/record"): (
                200,
                {"display_name": "Dee", "mandates": []},
            ),
            ("GET", "/api/v1/targets"): (
                200,
                [
                    {
                        "name": "Members",
                        "kind": "members",
                        "target": 100,
                        "current": 25,
                        "met": False,
                        "deadline": "2020-01-01",
                    }
                ],
            ),
            ("GET", "/api/v1/targets/figures"): (
                200,
                {
                    "members": 25,
                    "chapters": 3,
                    "working_chapters": 1,
                    "countries": 2,
                    "continents": 1,
                },
            ),
        }
        if (method, path) == ("GET", "/api/v1/chapters"):
            self.calls.append((method, path, params, headers))
            if params.get("country") == "QQ":
                return FakeResponse(
                    422,
                    {
                        "error": {
                            "code": "validation_failed",
                            "message": "bad",
                            "fields": {"query": {"country": ["Not a country."]}},
                        }
                    },
                )
            rows = [
                {**ROW, "id": f"{i:08d}-0000-4000-8000-000000000000", "name": f"C{i}"}
                for i in range(int(params.get("limit", 50)))
            ]
            return FakeResponse(200, rows)
        if method == "GET" and path.startswith("/api/v1/chapters/") and path.endswith("/status"):
            return FakeResponse(200, STATUS)
        if (
            (method, path) not in routes
            and method == "GET"
            and path.startswith("/api/v1/chapters/")
            and path.count("/") == 4
        ):
            self.calls.append((method, path, params, headers))
            rows = [
                {**ROW, "id": f"{i:08d}-0000-4000-8000-000000000000", "name": f"D{i}"}
                for i in range(31)
            ]
            return FakeResponse(200, {**ROW, "status": STATUS, "ancestors": [], "children": rows})
        if (method, path) in routes:
            self.calls.append((method, path, params, headers))
            return FakeResponse(*routes[(method, path)])
        if (method, path) == ("GET", "/api/v1/polls"):
            return FakeResponse(200, {"polls": []})
        return super().request(method, url, json=json, params=params, headers=headers, **kwargs)


@pytest.fixture()
def gateway():
    return Federation()


def test_the_chapter_breadcrumb_reads_from_the_international_level_down(client):
    text = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    crumbs = text.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    order = [
        crumbs.index(name)
        for name in ("Chapters", "Councils International", "France", "Rhône", "Lyon")
    ]
    assert order == sorted(order)
    assert '<li aria-current="page">Lyon</li>' in crumbs


def test_the_chapter_page_asks_a_bounded_sub_tree_and_joins(client, gateway):
    anonymous = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert "Log in to join this chapter." in anonymous and "Dee" in anonymous
    page_call = next(c for c in gateway.calls if c[1] == f"/api/v1/chapters/{CHAPTER_ID}")
    assert page_call[2] == {"depth": 0, "members": 0}  # the members: a page at a time
    sub = next(c for c in gateway.calls if c[1] == "/api/v1/chapters")
    assert sub[2]["parent_id"] == CHAPTER_ID and sub[2]["limit"] == 31
    log_in(client)
    page = client.get(f"/chapters/{CHAPTER_ID}")
    assert "Join this chapter" in page.get_data(as_text=True)
    joined = client.post(
        f"/chapters/{CHAPTER_ID}/membership", data={"csrf_token": csrf(page), "action": "join"}
    )
    assert joined.status_code == 302
    assert ("POST", f"/api/v1/chapters/{CHAPTER_ID}/join") in [c[:2] for c in gateway.calls]


def test_the_directory_pages_and_spells_out_the_working_rules(client, gateway):
    first = client.get("/chapters?q=Ly").get_data(as_text=True)
    assert "C0" in first and "C24" in first and "C25" not in first  # 25 shown, 26 asked
    assert 'href="/chapters?q=Ly&amp;page=2"' in first
    assert "at least 5 members, at least 30% women, and a recorded meeting in the last 90" in first
    call = [c for c in gateway.calls if c[1] == "/api/v1/chapters"][0]
    assert call[2]["limit"] == 26 and call[2]["sort"] == "name" and call[2]["q"] == "Ly"
    second = client.get("/chapters?q=Ly&page=2")
    assert [c for c in gateway.calls if c[1] == "/api/v1/chapters"][-1][2]["offset"] == 25
    assert 'rel="prev"' in second.get_data(as_text=True)
    wrong = client.get("/chapters?country=qq")
    assert wrong.status_code == 422
    assert 'id="country-error">Not a country.' in wrong.get_data(as_text=True)


def test_the_tree_shows_one_level_with_the_next_folded(client, gateway):
    text = client.get("/chapters/tree").get_data(as_text=True)
    assert "<details>" in text and "go down a level" in text
    assert text.count('class="branch"') == 30  # bounded, the rest in the directory
    assert "More chapters at this level, in the directory" in text
    assert "D29" in text and "D30" not in text and "(the first 30)" in text
    assert "at least 5 members" in text
    # One call for the roots, one sub-tree of one level per root shown: never the whole tree.
    asked = [c for c in gateway.calls if c[1].startswith("/api/v1/chapters/")]
    assert len(asked) == 30 and {c[2]["depth"] for c in asked} == {1}
    gateway.calls.clear()
    below = client.get(f"/chapters/tree?at={INTL}").get_data(as_text=True)
    assert "D29" in below and [
        c[2] for c in gateway.calls if c[1].startswith("/api/v1/chapters")
    ] == [{"depth": 2, "members": 0}]


def test_currents_members_delegates_and_targets(client, gateway):
    assert "Greens" in client.get("/currents").get_data(as_text=True)
    assert "Log in to join this current." in client.get(f"/currents/{CURRENT}").get_data(
        as_text=True
    )
    profile = client.get(f"/members/{MEMBER}").get_data(as_text=True)
    assert "Dee" in profile and "Log in to see this member" in profile
    delegates = client.get("/delegates").get_data(as_text=True)
    assert f'href="/members/{MEMBER}"' in delegates and "Lyon" in delegates
    targets = client.get("/targets").get_data(as_text=True)
    assert "Active members: people who registered and were approved." in targets
    assert "25 of 100" in targets and "The deadline has passed." in targets
    log_in(client)
    assert "Join this current" in client.get(f"/currents/{CURRENT}").get_data(as_text=True)
    for path in (
        "/chapters",
        "/chapters/tree",
        "/currents",
        "/delegates",
        "/targets",
        f"/chapters/{CHAPTER_ID}",
        f"/currents/{CURRENT}",
        f"/members/{MEMBER}",
    ):
        page = client.get(path).get_data(as_text=True)
        assert 'class="crumbs"' in page and "<h1>" in page and 'id="lang-select"' in page, path
