"""Issue 18 on a member's admin page, against a fake gateway: an appointed mandate is shown as
interim; where the members elect (a chapter's coordinators, the organisation's admins) the grant
form says so and offers no failing button; a refusal that arrives anyway is explained."""

from __future__ import annotations

import pytest

from tests.support.webfakes import RoutedGateway, csrf, web_client

MEMBER = "77777777-7777-4777-8777-777777777777"
LYON = "22222222-2222-4222-8222-222222222222"
PARIS = "33333333-3333-4333-8333-333333333333"
MANDATE = "66666666-6666-4666-8666-666666666666"
ELECTED = "88888888-8888-4888-8888-888888888888"


def _mandate(mandate_id, role, chapter_id, chapter_name, **extra):
    return {
        "id": mandate_id,
        "member_id": MEMBER,
        "role": role,
        "chapter_id": chapter_id,
        "chapter_name": chapter_name,
        "starts_at": "2026-01-01T00:00:00Z",
        "ends_at": "2026-03-31T00:00:00Z",
        "active": True,
        **extra,
    }


class Gateway(RoutedGateway):
    chapters = [{"id": LYON, "name": "Lyon"}, {"id": PARIS, "name": "Paris"}]
    admins_elected = True
    grant_answer: tuple = (201, {"id": "m2"})

    def _mandates(self, params: dict) -> list:
        if params.get("elected") == "true":
            if params.get("role") == "admin":
                return [_mandate(ELECTED, "admin", None, None, elected=True)] * self.admins_elected
            return [_mandate(ELECTED, "coordinator", LYON, "Lyon", elected=True)]
        return [_mandate(MANDATE, "coordinator", PARIS, "Paris", interim=True, elected=False)]

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/me" and (headers or {}).get("Authorization"):
            return 200, {"id": "a", "display_name": "Ad", "status": "active", "admin": True}
        member = {"id": MEMBER, "display_name": "Ana", "status": "active", "country": "FR"}
        return {
            ("GET", f"/api/v1/members/{MEMBER}"): (200, member),
            ("GET", "/api/v1/members"): (200, []),
            ("GET", f"/api/v1/members/{MEMBER}/vouches"): (200, {"received": [], "given": []}),
            ("GET", "/api/v1/chapters"): (200, self.chapters),
            ("GET", "/api/v1/mandates"): (200, self._mandates(params or {})),
            ("GET", "/api/v1/audit"): (200, []),
            ("POST", "/api/v1/mandates"): self.grant_answer,
        }.get((method, path))

    def note(self, method, path, json, params, headers) -> None:
        self.calls.append((method, path, json, params))


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    test_client = web_client(gateway)
    token = csrf(test_client.get("/login"))
    test_client.post("/login", data={"email": "a@b.org", "password": "pw", "csrf_token": token})
    return test_client


def _grant_form(text: str) -> str:
    start = text.index('id="grant"')
    return text[start : text.index('id="audit-heading"')]


def test_the_grant_form_explains_where_the_members_elect(client, gateway):
    text = client.get(f"/admin/members/{MEMBER}").get_data(as_text=True)
    assert "Interim: appointed until the members elect" in text  # the Paris mandate
    form = _grant_form(text)
    assert "An appointed mandate is interim: it always ends" in form
    assert "Admins of the organisation are elected by the members" in form
    assert 'href="/admin/election"' in form
    assert "Coordinators of these chapters are elected by their members" in form
    assert f'href="/chapters/{LYON}/manage"' in form
    # Only what may be appointed is offered: coordinators of Paris, no admin, not Lyon.
    assert 'value="admin"' not in form and 'value="coordinator"' in form
    assert f'<option value="{PARIS}"' in form and f'<option value="{LYON}"' not in form
    assert "Grant the mandate" in form
    asked = [c[3] for c in gateway.calls if c[1] == "/api/v1/mandates"]
    assert {"role": "admin", "elected": "true", "limit": 1} in asked


def test_nothing_to_appoint_shows_the_explanation_without_a_button(client, gateway):
    gateway.chapters = [{"id": LYON, "name": "Lyon"}]
    text = client.get(f"/admin/members/{MEMBER}").get_data(as_text=True)
    form = _grant_form(text)
    assert "Grant the mandate" not in form and "<form" not in form
    assert "launch an election from the chapter" in form and "launch an admin election" in form


def test_a_refusal_because_the_members_elected_since_is_explained(client, gateway):
    gateway.admins_elected = False
    page = client.get(f"/admin/members/{MEMBER}")
    assert 'value="admin"' in _grant_form(page.get_data(as_text=True))
    gateway.grant_answer = (
        409,
        {
            "error": {
                "code": "elected_role",
                "message": "Admins of the organisation are elected: launch an admin election.",
            }
        },
    )
    refused = client.post(
        f"/admin/members/{MEMBER}/mandates", data={"csrf_token": csrf(page), "role": "admin"}
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Admins of the organisation are elected: launch an admin election." in text


def test_the_explanation_is_translated(client, gateway):
    text = client.get(f"/admin/members/{MEMBER}", headers={"Accept-Language": "es"})
    spanish = _grant_form(text.get_data(as_text=True))
    assert "Admins of the organisation are elected by the members" not in spanish
    assert "Grant a mandate" not in spanish


class ChapterGateway(RoutedGateway):
    chapter = {
        "id": LYON,
        "name": "Lyon",
        "level": "local",
        "country": "FR",
        "member_count": 2,
        "ancestors": [],
        "children": [],
        "coordinators": [
            {
                "member_id": MEMBER,
                "display_name": "Camille",
                "mandate_id": MANDATE,
                "since": "2026-01-01T00:00:00Z",
                "until": "2026-03-31T00:00:00Z",
                "interim": True,
            },
            {"member_id": ELECTED, "display_name": "Dominique", "interim": False},
        ],
    }

    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/chapters/{LYON}"): (200, self.chapter),
            ("GET", "/api/v1/chapters"): (200, []),
            ("GET", "/api/v1/mandates"): (200, []),
        }


def test_a_chapter_page_marks_its_interim_coordinators():
    text = web_client(ChapterGateway()).get(f"/chapters/{LYON}").get_data(as_text=True)
    coordinators = text[text.index('id="coord-h"') : text.index('id="delegates-h"')]
    assert "Camille</a> · <strong>interim</strong>" in coordinators
    assert "Dominique</a></li>" in coordinators
    assert "the chapter&#39;s members replace them by electing their coordinators" in coordinators
    french = web_client(ChapterGateway()).get(
        f"/chapters/{LYON}", headers={"Accept-Language": "fr"}
    )
    assert "<strong>intérim</strong>" in french.get_data(as_text=True)
