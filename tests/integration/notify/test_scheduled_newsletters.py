"""Scheduled newsletters (issue 16): each goes out once at its time, a cancelled one never, a
moved one at its new time; the recipients are counted when it goes. Real SMTP (aiosmtpd),
PostgreSQL and RabbitMQ; time is the context's injectable clock, never a sleep."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from services.notify.app import create_app
from services.notify.context import build_context
from services.notify.delivery import Sender
from services.notify.service import newsletters
from services.notify.store import newsletters as newsletters_sql
from tests.support.crashing import Crash

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
AT = NOW + dt.timedelta(days=2)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture()
def clock():
    return Clock(NOW)


@pytest.fixture()
def timed(notify, clock):
    """notify's context and API on the test's clock."""
    ctx = build_context(notify.runtime, clock=clock)
    return ctx, create_app(notify.runtime, ctx).test_client()


def _schedule(client, admin: dict, subject: str, send_at: dt.datetime):
    return client.post(
        "/api/v1/newsletters",
        headers=admin,
        json={
            "subject": subject,
            "body": f"{subject} text",
            "scope": {"type": "organisation"},
            "send_at": send_at.isoformat(),
        },
    )


def test_a_scheduled_newsletter_goes_once_at_its_time_and_a_cancelled_one_never(
    notify, timed, clock
):
    ctx, client = timed
    notify.member("m-1", "early@example.org")
    admin = notify.token("admin", admin=True)
    kept = _schedule(client, admin, "Christmas news", AT)
    assert kept.status_code == 202, kept.json
    assert kept.json["status"] == "scheduled" and kept.json["recipients"] is None
    dropped = _schedule(client, admin, "Never sent", AT)
    assert client.post(f"/api/v1/newsletters/{dropped.json['id']}/cancel", headers=admin).json[
        "status"
    ] == ("cancelled")

    assert newsletters.fan_out_newsletters(ctx) == 0  # not its time yet
    notify.member("m-2", "late@example.org")  # joins before it goes: counted at send time
    listing = client.get("/api/v1/newsletters", headers=admin).json
    assert {(n["subject"], n["status"]) for n in listing} == {
        ("Christmas news", "scheduled"),
        ("Never sent", "cancelled"),
    }
    assert client.get("/api/v1/newsletters/archive").json == []

    clock.now = AT
    # A worker dies after claiming it, before its transaction commits: nothing is lost...
    with pytest.raises(Crash), ctx.db.transaction() as cur:
        assert newsletters_sql.next_queued_newsletter(cur, clock())["subject"] == "Christmas news"
        raise Crash()
    # ...and two workers started again at its time fan it out once between them.
    others = [build_context(notify.runtime, clock=clock) for _ in range(2)]
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda c=c: counts.append(newsletters.fan_out_newsletters(c)))
        for c in others
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    clock.now = AT + dt.timedelta(days=1)
    assert newsletters.fan_out_newsletters(ctx) == 0  # a later restart: still once
    Sender(ctx, "email").drain()

    got = sorted((r.rcpt_tos[0], r.message["Subject"]) for r in notify.sink.received)
    assert got == [
        ("early@example.org", "Christmas news"),
        ("late@example.org", "Christmas news"),
    ]
    shown = client.get(f"/api/v1/newsletters/{kept.json['id']}", headers=admin).json
    assert shown["status"] == "sent" and shown["recipients"] == 2
    assert [n["subject"] for n in client.get("/api/v1/newsletters/archive").json] == [
        "Christmas news"
    ]


def test_a_scheduled_newsletter_can_be_moved_until_it_goes(notify, timed, clock):
    ctx, client = timed
    notify.member("m-1", "reader@example.org")
    admin = notify.token("admin", admin=True)
    created = _schedule(client, admin, "Moved", AT).json
    later = AT + dt.timedelta(hours=3)
    moved = client.patch(
        f"/api/v1/newsletters/{created['id']}", headers=admin, json={"send_at": later.isoformat()}
    )
    assert moved.status_code == 200 and moved.json["send_at"].startswith(later.isoformat()[:19])
    clock.now = AT
    assert newsletters.fan_out_newsletters(ctx) == 0  # its old time no longer counts
    clock.now = later
    assert newsletters.fan_out_newsletters(ctx) == 1
    Sender(ctx, "email").drain()
    assert [r.rcpt_tos for r in notify.sink.received] == [["reader@example.org"]]
    gone = client.post(f"/api/v1/newsletters/{created['id']}/cancel", headers=admin)
    assert gone.status_code == 409  # too late to cancel
    again = client.patch(
        f"/api/v1/newsletters/{created['id']}",
        headers=admin,
        json={"send_at": (later + dt.timedelta(days=1)).isoformat()},
    )
    assert again.status_code == 409


def test_scheduling_refuses_a_past_time_a_non_admin_and_an_unknown_newsletter(notify, timed, clock):
    _, client = timed
    admin = notify.token("admin", admin=True)
    past = _schedule(client, admin, "Late", NOW - dt.timedelta(minutes=1))
    assert past.status_code == 422 and "send_at" in past.json["error"]["fields"]
    naive = client.post(
        "/api/v1/newsletters",
        headers=admin,
        json={"subject": "x", "body": "x", "scope": {"type": "organisation"}, "send_at": "soon"},
    )
    assert naive.status_code == 422 and "send_at" in naive.json["error"]["fields"]
    created = _schedule(client, admin, "Fine", AT).json
    to_past = client.patch(
        f"/api/v1/newsletters/{created['id']}", headers=admin, json={"send_at": NOW.isoformat()}
    )
    assert to_past.status_code == 422 and "send_at" in to_past.json["error"]["fields"]
    empty = client.patch(f"/api/v1/newsletters/{created['id']}", headers=admin, json={})
    assert empty.status_code == 422 and "send_at" in empty.json["error"]["fields"]
    member = notify.token("m-1")
    assert _schedule(client, member, "Mine", AT).status_code == 403
    assert client.post(
        f"/api/v1/newsletters/{created['id']}/cancel", headers=member
    ).status_code == (403)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.post(f"/api/v1/newsletters/{unknown}/cancel", headers=admin).status_code == 404
    assert client.post(f"/api/v1/newsletters/{created['id']}/cancel").status_code == 401
