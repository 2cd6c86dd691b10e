"""A scheduled poll edited and cancelled from its admin desk, against a fake gateway: the form
filled with what the poll holds, the changes sent with PATCH, the cancellation only after a
confirmation with a public reason, and nothing offered once the poll has opened."""

from __future__ import annotations

import pytest

from tests.support.webfakes import AdminGateway, csrf, logged_in_client

POLL_ID = "11111111-1111-4111-8111-111111111111"
SCHEDULED = {
    "id": POLL_ID,
    "title": "Budget",
    "text": "See annex.",
    "status": "scheduled",
    "counted": False,
    "opens_at": "2099-01-01T09:00:00+00:00",
    "closes_at": "2099-01-08T09:00:00+00:00",
    "scope": {"type": "organisation"},
    "live_results": False,
    "deadline_changes": [],
    "questions": [{"id": "q", "text": "Adopt?", "method": "plurality", "options": ["Yes", "No"]}],
}


class Gateway(AdminGateway):
    poll = SCHEDULED
    patch_answer = (200, SCHEDULED)
    cancel_answer = (200, {**SCHEDULED, "status": "cancelled"})

    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/polls/{POLL_ID}"): (200, self.poll),
            ("PATCH", f"/api/v1/polls/{POLL_ID}"): self.patch_answer,
            ("POST", f"/api/v1/polls/{POLL_ID}/cancel"): self.cancel_answer,
            ("GET", f"/api/v1/polls/{POLL_ID}/roll-call"): (404, {"error": {"code": "x"}}),
        }


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    return logged_in_client(gateway)


def _form(page, **changes):
    return {
        "csrf_token": csrf(page),
        "title": "Budget 2027",
        "text": "See annex.",
        "opens_at": "2099-01-02T09:00",
        "closes_at": "2099-01-09T09:00",
        "scope_type": "organisation",
        "question_count": "1",
        "question-0-text": "Adopt?",
        "question-0-method": "plurality",
        "question-0-options": "Yes\nNo\nLater",
        "action": "save",
        **changes,
    }


def test_the_desk_of_a_scheduled_poll_offers_edit_and_cancel(client):
    text = client.get(f"/admin/polls/{POLL_ID}").get_data(as_text=True)
    assert f'href="/admin/polls/{POLL_ID}/edit"' in text
    assert f'href="/admin/polls/{POLL_ID}/cancel"' in text


def test_editing_fills_the_form_and_sends_the_changes(client, gateway):
    page = client.get(f"/admin/polls/{POLL_ID}/edit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="Budget"' in text
    assert 'value="2099-01-01T09:00"' in text and 'value="2099-01-08T09:00"' in text
    assert 'name="scope_type" value="organisation"' in text and "Save the changes" in text
    untitled = client.post(f"/admin/polls/{POLL_ID}/edit", data=_form(page, title=""))
    assert untitled.status_code == 422 and "Give the poll a title." in untitled.get_data(
        as_text=True
    )
    saved = client.post(f"/admin/polls/{POLL_ID}/edit", data=_form(page))
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/admin/polls/{POLL_ID}"
    )
    body = next(c[2] for c in gateway.calls if c[0] == "PATCH")
    assert body["title"] == "Budget 2027" and body["opens_at"] == "2099-01-02T09:00:00+00:00"
    assert body["questions"][0]["options"] == ["Yes", "No", "Later"] and "scope" not in body
    gateway.patch_answer = (
        409,
        {"error": {"code": "not_scheduled", "message": "This poll is open.", "fields": {}}},
    )
    late = client.post(f"/admin/polls/{POLL_ID}/edit", data=_form(page))
    assert late.status_code == 422 and "This poll is open." in late.get_data(as_text=True)


def test_cancelling_needs_a_reason_and_a_confirmation(client, gateway):
    page = client.get(f"/admin/polls/{POLL_ID}/cancel")
    assert page.status_code == 200 and "Yes, cancel this poll" in page.get_data(as_text=True)
    url = f"/admin/polls/{POLL_ID}/cancel"
    bare = client.post(url, data={"csrf_token": csrf(page), "reason": " "})
    text = bare.get_data(as_text=True)
    assert bare.status_code == 422 and "members see the reason" in text
    assert "Tick the box to confirm the cancellation." in text
    assert not [c for c in gateway.calls if c[1].endswith("/cancel")]
    done = client.post(
        url,
        data={"csrf_token": csrf(page), "reason": "Merged with another poll", "confirm": "yes"},
        follow_redirects=True,
    )
    assert "The poll is cancelled" in done.get_data(as_text=True)
    body = next(c[2] for c in gateway.calls if c[1].endswith("/cancel"))
    assert body == {"reason": "Merged with another poll"}


def test_an_open_poll_is_neither_edited_nor_cancelled(client, gateway):
    gateway.poll = {**SCHEDULED, "status": "open", "electorate": 3, "voters": 1}
    text = client.get(f"/admin/polls/{POLL_ID}").get_data(as_text=True)
    assert "/edit" not in text and f"/admin/polls/{POLL_ID}/cancel" not in text
    away = client.get(f"/admin/polls/{POLL_ID}/edit", follow_redirects=True)
    assert "Only a scheduled poll can be edited or cancelled." in away.get_data(as_text=True)
    assert client.post(f"/admin/polls/{POLL_ID}/cancel", data={}).status_code in (302, 400)


def test_members_see_a_cancelled_poll_and_why(client, gateway):
    gateway.poll = {
        **SCHEDULED,
        "status": "cancelled",
        "cancelled_at": "2098-12-01T09:00:00+00:00",
        "cancel_reason": "Merged with another poll",
    }
    text = client.get(f"/polls/{POLL_ID}").get_data(as_text=True)
    assert "This poll was cancelled before it opened." in text
    assert "Merged with another poll" in text
