"""Parked events on the admin's desk (issue 16): how many, the latest few with what they were and
why, merged from every service; replayed or discarded from /admin."""

from __future__ import annotations

import pytest

from tests.support.webfakes import AdminGateway, csrf, logged_in_client

POLLS_EVENT = "7d8e1c52-0a4b-4c1e-9f00-000000000001"
NOTIFY_EVENT = "7d8e1c52-0a4b-4c1e-9f00-000000000002"


def _parked(service: str, event_id: str, type_: str, when: str, reason: str) -> dict:
    return {
        "service": service,
        "count": 1,
        "events": [
            {
                "queue": f"{service}.q",
                "event_id": event_id,
                "type": type_,
                "producer": "members",
                "occurred_at": when,
                "reason": reason,
                "attempts": 8,
            }
        ],
    }


class Gateway(AdminGateway):
    discard_answer: tuple = (200, {"done": "discarded"})

    def routes(self) -> dict:
        return {
            ("GET", "/api/v1/parked-events/polls"): (
                200,
                _parked(
                    "polls",
                    POLLS_EVENT,
                    "members.member.activated",
                    "2026-11-01T10:00:00+00:00",
                    "failed 8 times, last: KeyError('chapter')",
                ),
            ),
            ("GET", "/api/v1/parked-events/notify"): (
                200,
                _parked(
                    "notify",
                    NOTIFY_EVENT,
                    "polls.poll.opened",
                    "2026-11-02T10:00:00+00:00",
                    "invalid event: 'title' is a required property",
                ),
            ),
            # members does not answer: the page says so instead of a wrong total
            ("POST", f"/api/v1/parked-events/notify/{NOTIFY_EVENT}/replay"): (
                200,
                {"done": "replayed"},
            ),
            ("POST", f"/api/v1/parked-events/polls/{POLLS_EVENT}/discard"): self.discard_answer,
        }


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    return logged_in_client(gateway)


def test_the_desk_shows_parked_events_newest_first_with_why(client):
    page = client.get("/admin")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 events were parked: the system gave up handling them." in html
    assert html.index("polls.poll.opened") < html.index("members.member.activated")
    assert "Why: invalid event: &#39;title&#39; is a required property" in html
    assert "Not known for: Members" in html
    assert "the API does not expose them" not in html
    assert f'action="/admin/parked/notify/{NOTIFY_EVENT}/replay"' in html
    assert f'action="/admin/parked/polls/{POLLS_EVENT}/discard"' in html


def test_an_admin_replays_one_and_discards_another(client, gateway):
    token = csrf(client.get("/admin"))
    replayed = client.post(
        f"/admin/parked/notify/{NOTIFY_EVENT}/replay",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Event replayed: it is handled again now." in replayed.get_data(as_text=True)
    discarded = client.post(
        f"/admin/parked/polls/{POLLS_EVENT}/discard",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Event discarded." in discarded.get_data(as_text=True)
    posted = [c[1] for c in gateway.calls if c[0] == "POST" and "parked" in c[1]]
    assert posted == [
        f"/api/v1/parked-events/notify/{NOTIFY_EVENT}/replay",
        f"/api/v1/parked-events/polls/{POLLS_EVENT}/discard",
    ]
    gateway.discard_answer = (404, {"error": {"code": "not_parked", "message": "x"}})
    gone = client.post(
        f"/admin/parked/polls/{POLLS_EVENT}/discard",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "That event is no longer parked." in gone.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/parked/billing/{POLLS_EVENT}/replay",
        f"/admin/parked/polls/{POLLS_EVENT}/explode",
        "/admin/parked/polls/not-an-id/replay",
    ],
)
def test_unknown_services_actions_and_ids_are_404(client, gateway, path):
    token = csrf(client.get("/admin"))
    assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert not [c for c in gateway.calls if c[0] == "POST" and "parked" in c[1]]


def test_members_who_are_not_admins_cannot_replay(client, gateway):
    token = csrf(client.get("/admin"))
    gateway.admin = False
    answer = client.post(f"/admin/parked/polls/{POLLS_EVENT}/replay", data={"csrf_token": token})
    assert answer.status_code in (302, 403)
    assert not [c for c in gateway.calls if c[0] == "POST" and "parked" in c[1]]
