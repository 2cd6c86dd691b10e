"""Mandates from a member's admin page against a fake gateway: granting a coordinator mandate,
ending one on a date, revoking one with a public reason, the audit log beside them."""

from __future__ import annotations

import pytest

from tests.support.webfakes import AdminGateway, csrf, logged_in_client

MEMBER = "77777777-7777-4777-8777-777777777777"
CHAPTER = "22222222-2222-4222-8222-222222222222"
MANDATE = "66666666-6666-4666-8666-666666666666"


COORDINATOR = {
    "id": MANDATE,
    "member_id": MEMBER,
    "role": "coordinator",
    "chapter_id": CHAPTER,
    "chapter_name": "Lyon",
    "starts_at": "2026-01-01T00:00:00Z",
    "active": True,
}


class Gateway(AdminGateway):
    revoke_answer = (200, {"id": MANDATE, "active": False})
    term_answer = (200, {"id": MANDATE, "active": True})
    mandates = [COORDINATOR]

    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/members/{MEMBER}"): (
                200,
                {"id": MEMBER, "display_name": "Ana", "status": "active", "country": "FR"},
            ),
            ("GET", "/api/v1/members"): (200, []),
            ("GET", f"/api/v1/members/{MEMBER}/vouches"): (200, {"received": [], "given": []}),
            ("GET", "/api/v1/chapters"): (200, [{"id": CHAPTER, "name": "Lyon"}]),
            ("GET", "/api/v1/mandates"): (200, self.mandates),
            ("GET", "/api/v1/audit"): (
                200,
                [
                    {
                        "seq": 4,
                        "at": "2026-01-01T00:00:00Z",
                        "action": "mandate.granted",
                        "actor_name": "Ad",
                        "role": "coordinator",
                        "chapter_name": "Lyon",
                        "detail": {},
                    }
                ],
            ),
            ("POST", "/api/v1/mandates"): (201, {"id": "m2"}),
            ("POST", f"/api/v1/mandates/{MANDATE}/revoke"): self.revoke_answer,
            ("PATCH", f"/api/v1/mandates/{MANDATE}"): self.term_answer,
        }


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    return logged_in_client(gateway)


def test_the_member_page_lists_mandates_with_the_public_audit(client, gateway):
    text = client.get(f"/admin/members/{MEMBER}").get_data(as_text=True)
    assert "Coordinator — Lyon" in text and "Revoke this mandate" in text
    assert "Mandate granted" in text and "by Ad" in text
    asked = next(c[3] for c in gateway.calls if c[1] == "/api/v1/mandates")
    assert asked["member_id"] == MEMBER and asked["all"] == "true"


def test_granting_a_coordinator_mandate_needs_its_chapter(client, gateway):
    page = client.get(f"/admin/members/{MEMBER}")
    form = {"csrf_token": csrf(page), "role": "coordinator", "ends_at": "2027-06-30T18:00"}
    missing = client.post(f"/admin/members/{MEMBER}/mandates", data=form)
    assert missing.status_code == 422
    assert "Choose the chapter to coordinate." in missing.get_data(as_text=True)
    granted = client.post(
        f"/admin/members/{MEMBER}/mandates",
        data={**form, "chapter_id": CHAPTER, "note": "Elected in June"},
        follow_redirects=True,
    )
    assert "Mandate granted" in granted.get_data(as_text=True)
    body = next(c[2] for c in gateway.calls if c[:2] == ("POST", "/api/v1/mandates"))
    assert body == {
        "member_id": MEMBER,
        "role": "coordinator",
        "chapter_id": CHAPTER,
        "ends_at": "2027-06-30T18:00:00+00:00",
        "note": "Elected in June",
    }


def test_revoking_needs_a_public_reason_and_shows_the_apis_refusal(client, gateway):
    page = client.get(f"/admin/members/{MEMBER}")
    url = f"/admin/members/{MEMBER}/mandates/{MANDATE}/revoke"
    empty = client.post(url, data={"csrf_token": csrf(page), "reason": " "})
    assert empty.status_code == 422
    assert "the reason is public in the audit log" in empty.get_data(as_text=True)
    done = client.post(
        url, data={"csrf_token": csrf(page), "reason": "Moved abroad"}, follow_redirects=True
    )
    assert "Mandate revoked" in done.get_data(as_text=True)
    body = next(c[2] for c in gateway.calls if c[1] == f"/api/v1/mandates/{MANDATE}/revoke")
    assert body == {"reason": "Moved abroad"}
    gateway.revoke_answer = (
        409,
        {"error": {"code": "last_admin", "message": "This is the last admin mandate."}},
    )
    refused = client.post(url, data={"csrf_token": csrf(page), "reason": "x"})
    assert refused.status_code == 422
    assert "This is the last admin mandate." in refused.get_data(as_text=True)


def test_an_admin_ends_a_mandate_on_a_date_with_a_public_reason(client, gateway):
    page = client.get(f"/admin/members/{MEMBER}")
    assert "Set the end of this mandate" in page.get_data(as_text=True)
    url = f"/admin/members/{MEMBER}/mandates/{MANDATE}/term"
    wrong = client.post(url, data={"csrf_token": csrf(page), "ends_at": "next june"})
    assert wrong.status_code == 422
    assert "Give the end date and time, or leave it empty." in wrong.get_data(as_text=True)
    done = client.post(
        url,
        data={"csrf_token": csrf(page), "ends_at": "2027-06-30T18:00", "reason": "One year"},
        follow_redirects=True,
    )
    assert "end is set; the audit log records it" in done.get_data(as_text=True)
    body = next(c[2] for c in gateway.calls if c[:2] == ("PATCH", f"/api/v1/mandates/{MANDATE}"))
    assert body == {"ends_at": "2027-06-30T18:00:00+00:00", "reason": "One year"}
    cleared = client.post(url, data={"csrf_token": csrf(page), "ends_at": ""})
    assert cleared.status_code == 302
    assert gateway.calls[-1][2] == {"ends_at": None}
    gateway.term_answer = (
        422,
        {
            "error": {
                "code": "validation_failed",
                "message": "A mandate's new end must be in the future and after its start.",
                "fields": {"ends_at": ["Must be in the future and after the start."]},
            }
        },
    )
    refused = client.post(url, data={"csrf_token": csrf(page), "ends_at": "2020-01-01T00:00"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "must be in the future" in text
    assert 'value="2020-01-01T00:00"' in text


def test_an_elected_mandate_offers_no_revoke_nor_term_change_but_the_recall_path(client, gateway):
    elected = {**COORDINATOR, "elected": True, "ends_at": "2027-01-01T00:00:00Z"}
    gateway.mandates = [elected]
    page = client.get(f"/admin/members/{MEMBER}")
    text = page.get_data(as_text=True)
    assert "Revoke this mandate" not in text and "Set the end of this mandate" not in text
    assert "Elected by the members: they set its term and only they take it back" in text
    assert f'href="/members/{MEMBER}/record#mandates-h"' in text
    # The API refuses anyway (elected since the page was shown): the page says why.
    gateway.revoke_answer = (
        409,
        {"error": {"code": "elected_mandate", "message": "The members gave this mandate."}},
    )
    url = f"/admin/members/{MEMBER}/mandates/{MANDATE}"
    refused = client.post(
        f"{url}/revoke", data={"csrf_token": csrf(page), "reason": "x"}, follow_redirects=True
    )
    assert "only they take it back, by a recall petition" in refused.get_data(as_text=True)
    gateway.term_answer = (
        409,
        {
            "error": {
                "code": "elected_term",
                "message": "The members set this term.",
                "fields": {"ends_at": ["Set by the members' election."]},
            }
        },
    )
    refused = client.post(
        f"{url}/term",
        data={"csrf_token": csrf(page), "ends_at": "2030-01-01T00:00"},
        follow_redirects=True,
    )
    assert "only they take it back, by a recall petition" in refused.get_data(as_text=True)


def test_an_elected_mandate_is_explained_in_spanish_and_french(client, gateway):
    gateway.mandates = [{**COORDINATOR, "elected": True}]
    for lang, words in (("es", "Elegido por los miembros"), ("fr", "Élu par les membres")):
        text = client.get(f"/admin/members/{MEMBER}", headers={"Accept-Language": lang}).get_data(
            as_text=True
        )
        assert words in text, lang


class SuspendedGateway(Gateway):
    """Ana is suspended (her status stays `active`); the API refuses her a mandate."""

    def routes(self) -> dict:
        found = {"id": MEMBER, "display_name": "Ana", "status": "active", "suspended": True}
        refused = {
            "error": {
                "code": "member_not_active",
                "message": "This member is suspended: lift the suspension first.",
                "fields": {"member_id": ["This member is suspended."]},
            }
        }
        return {
            **super().routes(),
            ("GET", "/api/v1/members"): (200, [found]),
            ("POST", "/api/v1/mandates"): (409, refused),
        }


@pytest.mark.parametrize(
    ("language", "explained"),
    [
        ("en", "This member is suspended: lift the suspension before granting a mandate."),
        ("es", "Este miembro está suspendido"),
        ("fr", "Ce membre est suspendu"),
    ],
)
def test_a_suspended_member_is_offered_no_mandate_and_told_why(language, explained):
    client = logged_in_client(SuspendedGateway())
    page = client.get(f"/admin/members/{MEMBER}", headers={"Accept-Language": language})
    text = page.get_data(as_text=True)
    assert explained in text
    assert f'action="/admin/members/{MEMBER}/mandates"' not in text
    assert 'id="mandate-role"' not in text


def test_a_mandate_refused_as_the_member_was_suspended_meanwhile_says_so():
    client = logged_in_client(SuspendedGateway())
    page = client.get(f"/admin/members/{MEMBER}")
    form = {"csrf_token": csrf(page), "role": "admin"}
    refused = client.post(f"/admin/members/{MEMBER}/mandates", data=form)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "This member is suspended: lift the suspension before granting a mandate." in text
