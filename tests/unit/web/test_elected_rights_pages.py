"""Issue 18 on the pages, against a fake gateway: a chapter launches a coordinator election from
its management page, the admin's desk shows the interim admin's end date and launches the admin
election, and a member's public record opens a recall petition against a coordinator's or an
admin's mandate."""

from __future__ import annotations

import pytest

from tests.support.webfakes import (
    CHAPTER_ID,
    MANDATE_ID,
    PETITION,
    PETITION_ID,
    RoutedGateway,
    body_sent,
    csrf,
    log_in,
)

HOLDER = "55555555-5555-4555-8555-555555555555"
BEA = "77777777-7777-4777-8777-777777777777"
ADMIN_MANDATE = "88888888-8888-4888-8888-888888888888"


class Gateway(RoutedGateway):
    admin = False

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/me" and (headers or {}).get("Authorization"):
            return 200, {
                "id": "a",
                "display_name": "Ad",
                "status": "active",
                "admin": self.admin,
                "mandates": [{"role": "coordinator", "chapter_id": CHAPTER_ID, "active": True}],
            }
        if path == "/api/v1/members" and method == "GET":
            return 200, [{"id": BEA, "display_name": "Bea"}] if params.get("q") else []
        return {
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (
                200,
                {"id": CHAPTER_ID, "name": "Lyon", "level": "local"},
            ),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/members"): (
                200,
                [{"id": BEA, "display_name": "Bea", "status": "active"}],
            ),
            ("GET", "/api/v1/mandates"): (
                200,
                [
                    {
                        "id": ADMIN_MANDATE,
                        "member_id": HOLDER,
                        "member_name": "Ivy",
                        "role": "admin",
                        "interim": True,
                        "ends_at": "2027-03-02T00:00:00+00:00",
                    }
                ],
            ),
            ("GET", f"/api/v1/members/{BEA}"): (200, {"id": BEA, "display_name": "Bea"}),
            ("GET", "/api/v1/proposals"): (200, {"proposals": []}),
            ("GET", "/api/v1/polls"): (200, {"polls": []}),
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}/meetings"): (200, []),
            ("POST", "/api/v1/polls/coordinator-elections"): (201, {"id": "e1"}),
            ("POST", "/api/v1/polls/admin-elections"): (201, {"id": "e2"}),
            ("POST", "/api/v1/recalls"): (201, {**PETITION, "signatures": 1}),
            ("GET", f"/api/v1/members/{HOLDER}/record"): (
                200,
                {
                    "member_id": HOLDER,
                    "display_name": "Ivy",
                    "mandates": [
                        {
                            "id": MANDATE_ID,
                            "role": "coordinator",
                            "chapter_id": CHAPTER_ID,
                            "chapter_name": "Lyon",
                            "starts_at": "2026-01-01T00:00:00+00:00",
                            "active": True,
                            "recall_petitions": [],
                        },
                        {
                            "id": ADMIN_MANDATE,
                            "role": "admin",
                            "chapter_id": None,
                            "starts_at": "2026-01-01T00:00:00+00:00",
                            "ends_at": "2027-03-02T00:00:00+00:00",
                            "active": True,
                            "interim": True,
                            "recall_petitions": [],
                        },
                    ],
                },
            ),
            ("GET", f"/api/v1/delegates/{HOLDER}/votes"): (200, {"votes": []}),
        }.get((method, path))


@pytest.fixture()
def gateway():
    return Gateway()


def test_a_chapter_launches_a_coordinator_election_from_its_management_page(client, gateway):
    log_in(client)
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    assert 'name="role" value="coordinator"' in page.get_data(as_text=True)
    form = {
        "csrf_token": csrf(page),
        "title": "Coordinators 2027",
        "closes_at": "2099-01-01T09:00",
        "candidates": [BEA],
    }
    wrong = client.post(f"/chapters/{CHAPTER_ID}/manage/election", data={**form, "role": "boss"})
    assert wrong.status_code == 422
    assert "Choose delegates or coordinators." in wrong.get_data(as_text=True)
    launched = client.post(
        f"/chapters/{CHAPTER_ID}/manage/election", data={**form, "role": "coordinator"}
    )
    assert launched.status_code == 302 and launched.headers["Location"].endswith("/polls/e1")
    assert body_sent(gateway, "/api/v1/polls/coordinator-elections") == {
        "chapter_id": CHAPTER_ID,
        "title": "Coordinators 2027",
        "candidates": [{"member_id": BEA}],
        "closes_at": "2099-01-01T09:00:00+00:00",
    }


def test_the_admin_desk_shows_the_interim_end_and_launches_the_admin_election(client, gateway):
    gateway.admin = True
    log_in(client)
    text = client.get("/admin").get_data(as_text=True)
    assert "interim admin" in text and "Ivy" in text and "2027" in text
    assert 'href="/admin/election"' in text
    page = client.get("/admin/election", query_string={"q": "Be"})
    assert page.status_code == 200 and "Bea" in page.get_data(as_text=True)
    empty = client.post(
        "/admin/election",
        data={"csrf_token": csrf(page), "title": "Admins", "closes_at": "2099-01-01T09:00"},
    )
    assert empty.status_code == 422
    assert "Choose at least one candidate." in empty.get_data(as_text=True)
    launched = client.post(
        "/admin/election",
        data={
            "csrf_token": csrf(page),
            "title": "Admins",
            "seats": "2",
            "closes_at": "2099-01-01T09:00",
            "candidates": [BEA],
        },
    )
    assert launched.status_code == 302 and launched.headers["Location"].endswith("/polls/e2")
    assert body_sent(gateway, "/api/v1/polls/admin-elections") == {
        "title": "Admins",
        "seats": 2,
        "candidates": [{"member_id": BEA}],
        "closes_at": "2099-01-01T09:00:00+00:00",
    }
    gateway.admin = False
    assert client.get("/admin/election").status_code == 403


def test_the_public_record_opens_a_recall_of_a_coordinator_or_an_admin(client, gateway):
    log_in(client)
    page = client.get(f"/members/{HOLDER}/record")
    text = page.get_data(as_text=True)
    assert "Coordinator" in text and "Admin" in text
    assert "Interim: until the members elect the admins" in text
    assert text.count("Open a recall petition") == 2
    empty = client.post(
        f"/members/{HOLDER}/record/recall",
        data={"csrf_token": csrf(page), "mandate_id": ADMIN_MANDATE},
    )
    assert empty.status_code == 422 and "Say why" in empty.get_data(as_text=True)
    opened = client.post(
        f"/members/{HOLDER}/record/recall",
        data={"csrf_token": csrf(page), "mandate_id": ADMIN_MANDATE, "reason": "Absent"},
    )
    assert opened.status_code == 302 and opened.headers["Location"].endswith(PETITION_ID)
    assert body_sent(gateway, "/api/v1/recalls") == {
        "mandate_id": ADMIN_MANDATE,
        "reason": "Absent",
    }
