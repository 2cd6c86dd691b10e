"""A chapter's management page (/chapters/<id>/manage) against a fake gateway: who may see it,
recording a meeting, launching a delegate election, the recall rules, vouching."""

from __future__ import annotations

import pytest

from tests.support.webfakes import FakeResponse, RoutedGateway, csrf, logged_in_client

CHAPTER_ID = "22222222-2222-4222-8222-222222222222"
OTHER_ID = "33333333-3333-4333-8333-333333333333"
ANA = "77777777-7777-4777-8777-777777777777"
NEWCOMER = "88888888-8888-4888-8888-888888888888"
PROPOSAL = {
    "id": "99999999-9999-4999-8999-999999999999",
    "title": "Bike racks",
    "scope": {"type": "chapter", "id": CHAPTER_ID},
    "author_name": "Ana",
    "status": "draft",
}
MEETING = {
    "id": "55555555-5555-4555-8555-555555555555",
    "held_on": "2026-11-20",
    "place": "Café du Nord",
    "agenda": "Budget",
    "minutes": "Agreed.",
    "attendance": 12,
    "attendees": [{"id": ANA, "display_name": "Ana"}],
    "note": None,
}
RECALL = {
    "chapter_id": CHAPTER_ID,
    "threshold_percent": 20.0,
    "threshold_minimum": 3,
    "petition_days": 30,
    "cooling_off_days": 90,
    "vote_hours": 72,
    "quorum_percent": 20.0,
    "vacancy_rule": "by_election",
}


class Gateway(RoutedGateway):
    coordinates = CHAPTER_ID
    answers: dict = {}

    def routes(self) -> dict:
        base = f"/api/v1/chapters/{CHAPTER_ID}"
        return {
            ("GET", base): (
                200,
                {"id": CHAPTER_ID, "name": "Lyon", "ancestors": [], "member_count": 2},
            ),
            ("GET", f"/api/v1/chapters/{OTHER_ID}"): (
                200,
                {"id": OTHER_ID, "name": "Nice", "ancestors": []},
            ),
            ("GET", f"{base}/members"): (
                200,
                [
                    {
                        "id": ANA,
                        "display_name": "Ana",
                        "country": "FR",
                        "status": "active",
                        "joined_at": "2026-01-02T00:00:00Z",
                        "direct": True,
                    },
                    {
                        "id": NEWCOMER,
                        "display_name": "Noé",
                        "country": "FR",
                        "status": "pending",
                        "joined_at": "2026-11-02T00:00:00Z",
                        "direct": True,
                    },
                ],
            ),
            ("GET", f"{base}/meetings"): (
                200,
                [MEETING],
            ),
            ("GET", f"{base}/meetings/{MEETING['id']}"): (200, MEETING),
            ("PATCH", f"{base}/meetings/{MEETING['id']}"): (200, MEETING),
            ("DELETE", f"{base}/meetings/{MEETING['id']}"): (204, None),
            ("POST", f"{base}/meetings"): (201, {"id": "m2", "held_on": "2026-11-30"}),
            ("GET", f"{base}/recall-settings"): (200, RECALL),
            ("PUT", f"{base}/recall-settings"): (200, RECALL),
            ("GET", "/api/v1/mandates"): (200, []),
            ("GET", "/api/v1/proposals"): (
                200,
                {
                    "proposals": [
                        PROPOSAL,
                        {
                            **PROPOSAL,
                            "title": "Elsewhere",
                            "scope": {"type": "chapter", "id": OTHER_ID},
                        },
                    ]
                },
            ),
            ("POST", "/api/v1/polls/delegate-elections"): (201, {"id": "e1"}),
            ("POST", f"/api/v1/members/{NEWCOMER}/vouch"): (200, {"status": "pending"}),
            **self.answers,
        }

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/pending":
            self.pending_asked = dict(params or {})
            return 200, [{"id": NEWCOMER, "display_name": "Noé", "country": "FR", "chapters": []}]
        if path == "/api/v1/members/me" and (headers or {}).get("Authorization"):
            mandate = {"role": "coordinator", "chapter_id": self.coordinates, "active": True}
            return 200, {
                "id": "c",
                "display_name": "Cora",
                "status": "active",
                "admin": False,
                "mandates": [mandate],
            }
        return super().answer(method, path, json=json, params=params, headers=headers)


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    return logged_in_client(gateway)


def test_a_coordinator_sees_members_pending_proposals_meetings_and_recall_rules(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Manage Lyon</h1>" in text and 'aria-current="page">Manage<' in text
    assert "Vouch for Noé" in text and "Approve Noé" not in text  # approving is for admins
    assert gateway.pending_asked["chapter_id"] == CHAPTER_ID  # the chapter's and below
    assert "Bike racks" in text and "Elsewhere" not in text
    assert "Café du Nord" in text and 'value="20.0"' in text
    assert 'id="candidate-1" name="candidates" value="' + ANA in text
    assert NEWCOMER not in text.split('id="election"')[1]  # pending members do not stand
    chapter = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert f'href="/chapters/{CHAPTER_ID}/manage"' in chapter
    # Members read the meetings in their fields on the chapter's page.
    assert "12 people present: Ana" in chapter and "Café du Nord" in chapter
    assert "<p>Agreed.</p>" in chapter


def test_the_coordinators_line_and_attendance_boxes_read_well_in_each_language(client, gateway):
    """Found walking the page: "Coordinators" and its colon were glued outside the translation
    (French wants a space before it), and the attendance boxes sat above their names."""
    coordinator = {"member_name": "Ana", "role": "coordinator", "chapter_id": CHAPTER_ID}
    gateway.answers = {("GET", "/api/v1/mandates"): (200, [coordinator])}
    url = f"/chapters/{CHAPTER_ID}/manage"
    assert "Coordinators: Ana" in client.get(url).get_data(as_text=True)
    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Coordination : Ana" in french
    spanish = client.get(url, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Coordinación: Ana" in spanish
    assert "capítulo" not in spanish  # a chapter is a "sección" everywhere else in Spanish
    assert '<li class="choice"><input type="checkbox" id="present-1"' in french


def test_the_page_is_refused_to_a_member_who_does_not_coordinate_the_chapter(client):
    assert client.get(f"/chapters/{OTHER_ID}/manage").status_code == 403
    assert client.get("/chapters/not-a-uuid/manage").status_code == 404


def test_recording_a_meeting_keeps_place_attendance_agenda_and_minutes(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    form = {
        "csrf_token": csrf(page),
        "held_on": "2099-01-01",
        "place": "Café du Nord",
        "attendance": "twelve",
        "agenda": "Budget",
        "minutes": "Agreed.",
    }
    refused = client.post(f"/chapters/{CHAPTER_ID}/manage/meetings", data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Record a meeting once it was held." in text
    assert "Give the number of people present." in text and 'value="Café du Nord"' in text
    done = client.post(
        f"/chapters/{CHAPTER_ID}/manage/meetings",
        data={**form, "held_on": "2026-11-30", "attendance": "12"},
        follow_redirects=True,
    )
    assert "Meeting recorded." in done.get_data(as_text=True)
    body = next(
        c[2] for c in gateway.calls if c[:2] == ("POST", f"/api/v1/chapters/{CHAPTER_ID}/meetings")
    )
    assert body == {
        "held_on": "2026-11-30",
        "place": "Café du Nord",
        "attendance": 12,
        "agenda": "Budget",
        "minutes": "Agreed.",
        "attendees": [],
    }


def test_meetings_show_their_fields_and_are_corrected_or_deleted(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage").get_data(as_text=True)
    assert "12 people present: Ana" in page and "Café du Nord" in page and "Agreed." in page
    edit_url = f"/chapters/{CHAPTER_ID}/manage/meetings/{MEETING['id']}"
    assert f'href="{edit_url}"' in page
    form = client.get(edit_url)
    text = form.get_data(as_text=True)
    assert form.status_code == 200 and 'value="Café du Nord"' in text
    assert f'name="attendees" value="{ANA}" checked' in text
    fields = {"csrf_token": csrf(form), "held_on": "2026-11-20", "attendance": "0"}
    too_few = client.post(edit_url, data={**fields, "attendees": [ANA]})
    assert too_few.status_code == 422
    assert "At least the 1 members ticked present were there." in too_few.get_data(as_text=True)
    saved = client.post(edit_url, data={**fields, "attendance": "15", "attendees": [ANA]})
    assert saved.status_code == 302
    body = next(c[2] for c in gateway.calls if c[0] == "PATCH")
    assert body["attendance"] == 15 and body["attendees"] == [ANA] and body["place"] is None
    unconfirmed = client.post(f"{edit_url}/delete", data={"csrf_token": csrf(form)})
    assert unconfirmed.headers["Location"].endswith(edit_url)
    assert not [c for c in gateway.calls if c[0] == "DELETE"]
    deleted = client.post(
        f"{edit_url}/delete",
        data={"csrf_token": csrf(form), "confirm": "yes"},
        follow_redirects=True,
    )
    assert "Meeting deleted." in deleted.get_data(as_text=True)
    assert [c for c in gateway.calls if c[0] == "DELETE"]


def test_the_api_refusing_a_meeting_shows_its_reason_beside_the_date(client, gateway):
    gateway.answers = {
        ("POST", f"/api/v1/chapters/{CHAPTER_ID}/meetings"): (
            422,
            {
                "error": {
                    "code": "validation_failed",
                    "message": "A meeting is recorded once it was held.",
                    "fields": {"held_on": ["Must not be in the future."]},
                }
            },
        )
    }
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    refused = client.post(
        f"/chapters/{CHAPTER_ID}/manage/meetings",
        data={"csrf_token": csrf(page), "held_on": "2026-11-30"},
    )
    assert refused.status_code == 422
    assert "Must not be in the future." in refused.get_data(as_text=True)
    gateway.answers = {}


def test_launching_a_delegate_election_sends_the_candidates_with_their_names(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    form = {
        "csrf_token": csrf(page),
        "title": "Delegate 2027",
        "seats": "1",
        "closes_at": "2099-01-01T09:00",
    }
    missing = client.post(f"/chapters/{CHAPTER_ID}/manage/election", data=form)
    assert missing.status_code == 422
    assert "Choose at least one candidate." in missing.get_data(as_text=True)
    launched = client.post(
        f"/chapters/{CHAPTER_ID}/manage/election", data={**form, "candidates": [ANA]}
    )
    assert launched.status_code == 302 and launched.headers["Location"].endswith("/polls/e1")
    body = next(c[2] for c in gateway.calls if c[1] == "/api/v1/polls/delegate-elections")
    assert body == {
        "chapter_id": CHAPTER_ID,
        "title": "Delegate 2027",
        "seats": 1,
        "candidates": [{"member_id": ANA}],
        "closes_at": "2099-01-01T09:00:00+00:00",
    }


def test_recall_rules_are_numbers_and_saved_with_put(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    form = {"csrf_token": csrf(page), **{k: str(v) for k, v in RECALL.items() if k != "chapter_id"}}
    wrong = client.post(
        f"/chapters/{CHAPTER_ID}/manage/recall", data={**form, "petition_days": "a month"}
    )
    assert wrong.status_code == 422 and "Give a whole number." in wrong.get_data(as_text=True)
    saved = client.post(f"/chapters/{CHAPTER_ID}/manage/recall", data=form, follow_redirects=True)
    assert "Recall rules saved." in saved.get_data(as_text=True)
    body = next(c[2] for c in gateway.calls if c[0] == "PUT")
    assert body["petition_days"] == 30 and body["threshold_percent"] == 20.0
    assert "decided_by_poll_id" not in body and body["vacancy_rule"] == "by_election"


def test_a_zero_recall_quorum_asks_for_the_chapter_decision(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    text = page.get_data(as_text=True)
    assert "Quorum: share of the chapter&#39;s members who must vote in a recall (%)" in text
    assert 'name="vacancy_rule"' in text and 'name="decided_by_poll_id"' in text
    gateway.answers = {
        ("PUT", f"/api/v1/chapters/{CHAPTER_ID}/recall-settings"): (
            422,
            {
                "error": {
                    "code": "validation_failed",
                    "message": "Invalid.",
                    "fields": {"decided_by_poll_id": ["Not a closed poll of this chapter."]},
                }
            },
        )
    }
    form = {"csrf_token": csrf(page), **{k: str(v) for k, v in RECALL.items() if k != "chapter_id"}}
    refused = client.post(
        f"/chapters/{CHAPTER_ID}/manage/recall",
        data={
            **form,
            "quorum_percent": "0",
            "decided_by_poll_id": "p-1",
            "vacancy_rule": "next_candidate",
        },
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="recall-decided_by_poll_id-error">Not a closed poll of this chapter.' in text
    body = next(c[2] for c in gateway.calls if c[0] == "PUT")
    assert body["decided_by_poll_id"] == "p-1" and body["vacancy_rule"] == "next_candidate"


def test_a_coordinator_vouches_for_a_pending_member_from_the_page(client, gateway):
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    done = client.post(
        f"/chapters/{CHAPTER_ID}/manage/members/{NEWCOMER}/vouch",
        data={"csrf_token": csrf(page)},
        follow_redirects=True,
    )
    assert "Thank you for vouching." in done.get_data(as_text=True)
    assert (
        client.post(
            f"/chapters/{CHAPTER_ID}/manage/members/{NEWCOMER}/delete",
            data={"csrf_token": csrf(page)},
        ).status_code
        == 404
    )


def test_a_zero_quorum_cites_a_closed_chapter_poll_chosen_by_title(client, gateway):
    """Found walking the page: the coordinator had to paste a poll's id."""
    decided = {"id": "p-9", "title": "No quorum for recalls", "status": "closed"}
    still_open = {"id": "p-8", "title": "Still open", "status": "open"}
    asked = gateway.request

    def request(method, url, params=None, **kwargs):
        if url.endswith("/api/v1/polls") and not (params or {}).get("purpose"):
            return FakeResponse(200, {"polls": [decided, still_open]})
        return asked(method, url, params=params, **kwargs)

    gateway.request = request
    text = client.get(f"/chapters/{CHAPTER_ID}/manage").get_data(as_text=True)
    field = text.split('<select id="recall-decided_by_poll_id"')[1].split("</select>")[0]
    assert '<option value="p-9">No quorum for recalls</option>' in field
    assert "Still open" not in field and "(its id)" not in text


@pytest.mark.parametrize("number", ["²", "١٢٣٤٥٦٧٨٩", "-3", "1e9", "𝟙"])
def test_numbers_in_unicode_digits_are_refused_at_the_field_never_a_500(client, number):
    """`"²".isdigit()` is true but `int("²")` fails: every number a form or a link takes is
    read as ASCII digits, anything else is the field's own refusal (or page 1)."""
    page = client.get(f"/chapters/{CHAPTER_ID}/manage")
    assert client.get(f"/chapters/{CHAPTER_ID}/manage?mp={number}").status_code == 200
    meeting = {"csrf_token": csrf(page), "held_on": "2026-11-30", "attendance": number}
    refused = client.post(f"/chapters/{CHAPTER_ID}/manage/meetings", data=meeting)
    assert refused.status_code == 422
    assert "Give the number of people present." in refused.get_data(as_text=True)
    election = {
        "csrf_token": csrf(page),
        "title": "Delegate 2027",
        "seats": number,
        "term_days": number,
        "closes_at": "2099-01-01T09:00",
        "candidates": [ANA],
    }
    refused = client.post(f"/chapters/{CHAPTER_ID}/manage/election", data=election)
    assert refused.status_code == 422
    assert "Give a whole number from 1 to 100." in refused.get_data(as_text=True)
