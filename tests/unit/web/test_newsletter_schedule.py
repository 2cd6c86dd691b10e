"""Scheduling a newsletter from /admin/newsletters (issue 16): a time on the form, the preview
saying so, the scheduled ones listed with their time, moved or cancelled; bad times refused beside
their field."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.support.webfakes import AdminGateway, csrf, log_in

SCHEDULED_ID = "5b1f3c1e-9d1a-4c3e-8f00-000000000001"
FUTURE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(second=0, microsecond=0)
FIELD = FUTURE.strftime("%Y-%m-%dT%H:%M")


class Gateway(AdminGateway):
    patch_answer: tuple = (200, {"id": SCHEDULED_ID, "send_at": FUTURE.isoformat()})
    cancel_answer: tuple = (200, {"id": SCHEDULED_ID, "status": "cancelled"})

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/newsletters/preview":
            return 200, {
                "recipients": {"email": 3},
                "unreachable": {"email": {}},
                "mail": {"language": json["language"], "subject": "Hi", "text": "Hello"},
            }
        found = {
            ("GET", "/api/v1/chapters"): (200, []),
            ("GET", "/api/v1/currents"): (200, []),
            ("GET", "/api/v1/newsletters"): (
                200,
                [
                    {
                        "id": SCHEDULED_ID,
                        "subject": "Christmas news",
                        "scope": {"type": "organisation"},
                        "status": "scheduled",
                        "recipients": None,
                        "created_at": "2026-11-20T10:00:00Z",
                        "send_at": "2026-12-24T09:00:00+00:00",
                        "deliveries": {},
                    },
                    {
                        "id": "n-old",
                        "subject": "Dropped",
                        "scope": {"type": "organisation"},
                        "status": "cancelled",
                        "created_at": "2026-11-19T10:00:00Z",
                        "send_at": "2026-12-01T09:00:00+00:00",
                        "deliveries": {},
                    },
                ],
            ),
            ("POST", "/api/v1/newsletters"): (
                202,
                {"id": "n2", "status": "scheduled", "send_at": FUTURE.isoformat()},
            ),
            ("PATCH", f"/api/v1/newsletters/{SCHEDULED_ID}"): self.patch_answer,
            ("POST", f"/api/v1/newsletters/{SCHEDULED_ID}/cancel"): self.cancel_answer,
        }.get((method, path))
        return found or super().answer(method, path, json=json, params=params, headers=headers)


@pytest.fixture()
def gateway():
    return Gateway()


def test_an_admin_schedules_a_newsletter_after_its_preview(client, gateway):
    log_in(client)
    page = client.get("/admin/newsletters")
    text = page.get_data(as_text=True)
    assert 'id="send_at"' in text and "Scheduled newsletters" in text
    assert "Christmas news" in text and "Goes out" in text and 'value="2026-12-24T09:00"' in text
    assert "Cancelled" in text  # the cancelled one stays in the list of those written
    form = {"csrf_token": csrf(page), "subject": "Hi", "body": "Text", "send_at": FIELD}
    preview = client.post("/admin/newsletters", data=form).get_data(as_text=True)
    assert "Schedule it for" in preview and "Send now" not in preview
    assert "counted again when it goes" in preview
    [key] = re.findall(r'name="preview_key" value="([0-9a-f]{32})"', preview)
    sent = client.post(
        "/admin/newsletters",
        data={**form, "preview_key": key, "action": "send"},
        follow_redirects=True,
    )
    assert "Newsletter scheduled for" in sent.get_data(as_text=True)
    [body] = [c[2] for c in gateway.calls if c[:2] == ("POST", "/api/v1/newsletters")]
    assert body["send_at"] == FUTURE.isoformat()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2001-01-01T09:00", "The time to send it must be in the future."),
        ("next week", "Give the date and time to send it, or leave it empty."),
    ],
)
def test_a_bad_sending_time_is_refused_beside_its_field(client, gateway, value, message):
    log_in(client)
    page = client.get("/admin/newsletters")
    form = {"csrf_token": csrf(page), "subject": "Hi", "body": "Text", "send_at": value}
    refused = client.post("/admin/newsletters", data=form)
    text = refused.get_data(as_text=True)
    assert (
        refused.status_code == 422
        and f'<p class="field-error" id="send_at-error">{message}' in text
    )
    assert not [c for c in gateway.calls if c[1] == "/api/v1/newsletters/preview"]


def test_a_scheduled_newsletter_is_moved_or_cancelled(client, gateway):
    log_in(client)
    token = csrf(client.get("/admin/newsletters"))
    moved = client.post(
        f"/admin/newsletters/{SCHEDULED_ID}/time",
        data={"csrf_token": token, "send_at": FIELD},
        follow_redirects=True,
    )
    assert "Newsletter moved: it goes" in moved.get_data(as_text=True)
    assert [c[2] for c in gateway.calls if c[0] == "PATCH"] == [{"send_at": FUTURE.isoformat()}]
    past = client.post(
        f"/admin/newsletters/{SCHEDULED_ID}/time",
        data={"csrf_token": token, "send_at": "2001-01-01T09:00"},
    )
    text = past.get_data(as_text=True)
    assert past.status_code == 422
    assert f'id="send_at-{SCHEDULED_ID}-error">The time to send it must be in the future.' in text
    assert 'value="2001-01-01T09:00"' in text  # what was typed stays to be corrected
    cancelled = client.post(
        f"/admin/newsletters/{SCHEDULED_ID}/cancel",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Newsletter cancelled: nobody will get it." in cancelled.get_data(as_text=True)
    gateway.cancel_answer = (409, {"error": {"code": "not_scheduled", "message": "gone"}})
    late = client.post(
        f"/admin/newsletters/{SCHEDULED_ID}/cancel",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "This newsletter has gone already or was cancelled." in late.get_data(as_text=True)
    assert client.post(
        "/admin/newsletters/nope/cancel", data={"csrf_token": token}
    ).status_code == (404)


def test_only_admins_schedule(client, gateway):
    gateway.admin = False
    log_in(client)
    token = csrf(client.get("/"))
    answer = client.post(f"/admin/newsletters/{SCHEDULED_ID}/cancel", data={"csrf_token": token})
    assert answer.status_code in (302, 403)
    assert not [c for c in gateway.calls if c[1].endswith("/cancel")]
