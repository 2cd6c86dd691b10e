"""Issue 18 on the members' pages, against a fake gateway: while a chapter has no elected
coordinator (only interim ones, or none), its page calls its members to elect one and any of
them launches the election with the shared election form, candidates among the chapter's
members; while the organisation has no elected admin, home and /delegates call every member to
the admin election, whose candidates a member finds by name among the top chapters' members.
An election under way is shown instead of the form; where the members elected, there is no
call and the pages refuse."""

from __future__ import annotations

import pytest

from tests.support.webfakes import CHAPTER_ID, RoutedGateway, body_sent, csrf, log_in

BEA = "77777777-7777-4777-8777-777777777777"
TOP = "44444444-4444-4444-8444-444444444444"
PENDING = {
    "id": "e9",
    "title": "Coordinators of Lyon",
    "status": "open",
    "closes_at": "2099-01-01T00:00:00+00:00",
}


class Gateway(RoutedGateway):
    coordinators: list = [{"member_id": "c", "display_name": "Cy", "interim": True}]
    member_of = True
    elected_admin = False
    pending: dict = {}  # purpose -> the poll under way

    def __init__(self):
        super().__init__()
        self.asked: list = []

    def note(self, method, path, json, params, headers) -> None:
        self.calls.append((method, path, json, headers))
        self.asked.append((method, path, params or {}))

    def _polls(self, params: dict) -> dict:
        poll = self.pending.get(params.get("purpose"))
        if poll and poll["status"] == params.get("status"):
            return {"polls": [poll]}
        return {"polls": []}

    def answer(self, method, path, json=None, params=None, headers=None):
        params = params or {}
        if path == "/api/v1/members/me" and (headers or {}).get("Authorization"):
            chapters = [{"id": CHAPTER_ID, "name": "Lyon"}] if self.member_of else []
            return 200, {
                "id": "m",
                "display_name": "Mo",
                "status": "active",
                "admin": False,
                "chapters": chapters,
                "chapter_ids": [c["id"] for c in chapters],
                "mandates": [],
            }
        chapter = {"id": CHAPTER_ID, "name": "Lyon", "level": "local", "member_count": 2}
        bea = {"id": BEA, "display_name": "Bea", "status": "active"}
        elected = [{"role": "admin", "elected": True}] if self.elected_admin else []
        return {
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (
                200,
                {**chapter, "coordinators": self.coordinators},
            ),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/members"): (200, [bea]),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/meetings"): (200, []),
            ("GET", "/api/v1/chapters"): (
                200,
                [{"id": TOP, "name": "World"}] if params.get("root") else [],
            ),
            ("GET", f"/api/v1/chapters/{TOP}/members"): (
                200,
                [bea] if params.get("q") == "be" else [],
            ),
            ("GET", f"/api/v1/members/{BEA}"): (200, {"id": BEA, "display_name": "Bea"}),
            ("GET", "/api/v1/mandates"): (200, elected if params.get("role") == "admin" else []),
            ("GET", "/api/v1/polls"): (200, self._polls(params)),
            ("POST", "/api/v1/polls/coordinator-elections"): (201, {"id": "e1"}),
            ("POST", "/api/v1/polls/admin-elections"): (201, {"id": "e2"}),
        }.get((method, path))


@pytest.fixture()
def gateway():
    return Gateway()


CALL = "This chapter has no elected coordinator: its members can hold an election."


def test_a_member_of_a_chapter_with_only_an_interim_coordinator_launches_its_election(
    client, gateway
):
    log_in(client)
    text = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert CALL in text
    assert f'href="/chapters/{CHAPTER_ID}/coordinator-election"' in text
    page = client.get(f"/chapters/{CHAPTER_ID}/coordinator-election")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Coordinator election of Lyon" in html
    assert f'value="{BEA}"' in html and "Bea" in html  # the chapter's members stand
    assert 'value="Election of the coordinators of Lyon"' in html
    form = {"csrf_token": csrf(page), "title": "Lyon 2027", "closes_at": "2099-01-01T09:00"}
    empty = client.post(f"/chapters/{CHAPTER_ID}/coordinator-election", data=form)
    assert empty.status_code == 422
    assert "Choose at least one candidate." in empty.get_data(as_text=True)
    launched = client.post(
        f"/chapters/{CHAPTER_ID}/coordinator-election",
        data={**form, "candidates": [BEA], "role": "delegate"},  # the role is not the form's
    )
    assert launched.status_code == 302 and launched.headers["Location"].endswith("/polls/e1")
    assert body_sent(gateway, "/api/v1/polls/coordinator-elections") == {
        "chapter_id": CHAPTER_ID,
        "title": "Lyon 2027",
        "candidates": [{"member_id": BEA}],
        "closes_at": "2099-01-01T09:00:00+00:00",
    }


def test_a_chapter_without_any_coordinator_calls_its_members_too(client, gateway):
    gateway.coordinators = []
    log_in(client)
    assert CALL in client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)


def test_the_election_under_way_is_shown_instead_of_the_form(client, gateway):
    gateway.pending = {"coordinator_election": PENDING}
    log_in(client)
    text = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert CALL not in text and 'href="/polls/e9"' in text
    page = client.get(f"/chapters/{CHAPTER_ID}/coordinator-election").get_data(as_text=True)
    assert 'href="/polls/e9"' in page and 'id="election"' not in page
    assert "One election at a time" in page
    asked = [p for m, path, p in gateway.asked if path == "/api/v1/polls"]
    assert {"purpose": "coordinator_election", "status": "open", "limit": 1} | {
        "scope": "chapter",
        "scope_id": CHAPTER_ID,
    } in asked


@pytest.mark.parametrize(
    "elected, member_of",
    [(True, True), (False, False)],
    ids=["an elected coordinator", "not a member"],
)
def test_no_call_and_no_form_where_the_member_may_not_launch(client, gateway, elected, member_of):
    gateway.coordinators = [{"member_id": "c", "display_name": "Cy", "interim": not elected}]
    gateway.member_of = member_of
    log_in(client)
    chapter = client.get(f"/chapters/{CHAPTER_ID}")
    assert CALL not in chapter.get_data(as_text=True)
    assert client.get(f"/chapters/{CHAPTER_ID}/coordinator-election").status_code == 403
    refused = client.post(
        f"/chapters/{CHAPTER_ID}/coordinator-election",
        data={
            "csrf_token": csrf(chapter),
            "title": "x",
            "closes_at": "2099-01-01T09:00",
            "candidates": [BEA],
        },
    )
    assert refused.status_code == 403
    assert not any(c[1] == "/api/v1/polls/coordinator-elections" for c in gateway.calls)


def test_a_visitor_is_sent_to_log_in(client):
    answer = client.get(f"/chapters/{CHAPTER_ID}/coordinator-election")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


ADMIN_CALL = "The organisation has no elected admin: its members can hold an election."


def test_a_member_launches_the_admin_election_while_none_is_elected(client, gateway):
    log_in(client)
    for place in ("/", "/delegates"):
        text = client.get(place).get_data(as_text=True)
        assert ADMIN_CALL in text and 'href="/elections/admin"' in text, place
    page = client.get("/elections/admin", query_string={"q": "be"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'value="{BEA}"' in html and "@" not in html
    assert ("GET", f"/api/v1/chapters/{TOP}/members", {"q": "be", "limit": 50}) in gateway.asked
    assert not any(path == "/api/v1/members" for _, path, _ in gateway.asked)  # admins' list
    launched = client.post(
        "/elections/admin",
        data={
            "csrf_token": csrf(page),
            "title": "Admins",
            "closes_at": "2099-01-01T09:00",
            "candidates": [BEA],
        },
    )
    assert launched.status_code == 302 and launched.headers["Location"].endswith("/polls/e2")
    assert body_sent(gateway, "/api/v1/polls/admin-elections") == {
        "title": "Admins",
        "candidates": [{"member_id": BEA}],
        "closes_at": "2099-01-01T09:00:00+00:00",
    }


def test_the_admin_election_under_way_is_shown(client, gateway):
    gateway.pending = {"admin_election": {**PENDING, "id": "a9", "title": "Admins 2027"}}
    log_in(client)
    assert 'href="/polls/a9"' in client.get("/delegates").get_data(as_text=True)
    page = client.get("/elections/admin").get_data(as_text=True)
    assert 'href="/polls/a9"' in page and 'id="election"' not in page


def test_once_the_members_elected_an_admin_there_is_no_call(client, gateway):
    gateway.elected_admin = True
    log_in(client)
    assert ADMIN_CALL not in client.get("/delegates").get_data(as_text=True)
    assert client.get("/elections/admin").status_code == 403


@pytest.mark.parametrize(
    "lang, call, launch",
    [
        ("es", "Esta sección no tiene ningún coordinador elegido", "Elección de coordinadores"),
        ("fr", "Cette section n’a aucun coordinateur élu", "Élection des coordinateurs de Lyon"),
    ],
)
def test_the_call_and_the_page_speak_the_member_s_language(client, lang, call, launch):
    log_in(client)
    headers = {"Accept-Language": lang}
    assert call in client.get(f"/chapters/{CHAPTER_ID}", headers=headers).get_data(as_text=True)
    page = client.get(f"/chapters/{CHAPTER_ID}/coordinator-election", headers=headers)
    assert launch in page.get_data(as_text=True)
