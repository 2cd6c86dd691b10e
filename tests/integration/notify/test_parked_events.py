"""Parked events through the API (issue 16): an event notify's consumer fails to handle is
parked and shows up at `/api/v1/parked-events/notify` with why; an admin replays it and it is
handled once, or discards one. Real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import threading

import pytest

from services.common.bus import Consumer, Permanent, make_event
from services.notify.app import create_app
from services.notify.context import build_context
from services.notify.handlers import CONTACTS_AND_ANNOUNCEMENTS
from tests.integration.notify.conftest import World
from tests.support.runtime import make_runtime
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(90)


@pytest.fixture()
def rabbit(fresh_database_url, amqp_url, run_id, smtp_sink, sms_standin):
    """notify on RabbitMQ, on an exchange and queues of this run alone."""
    bus = {"BUS_EXCHANGE": f"councils.test.{run_id}", "BUS_QUEUE_PREFIX": f"{run_id}."}
    runtime = make_runtime("notify", fresh_database_url, amqp_url, **bus)
    world = World(runtime, smtp_sink, sms_standin)
    yield world
    transport = runtime.transport
    transport.delete(f"{run_id}.notify.{CONTACTS_AND_ANNOUNCEMENTS.consumer}")
    transport.delete_exchange()
    world.close()


def test_a_parked_event_is_shown_to_admins_and_replayed_once(rabbit):
    ctx = build_context(rabbit.runtime)
    client = create_app(rabbit.runtime, ctx).test_client()
    fixed = threading.Event()
    handled: list[str] = []

    def handler(cur, event):
        if event["data"]["message"] != "sentinel" and not fixed.is_set():
            raise Permanent("no address book for this yet")
        handled.append(event["data"]["message"])

    consumer = Consumer(
        ctx.db, ctx.transport, CONTACTS_AND_ANNOUNCEMENTS.consumer, {"system.#": handler}
    )
    consumer.declare()
    stop = threading.Event()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    try:
        events = [make_event("system.ping.sent", {"message": m}, producer="t") for m in "ab"]
        ctx.transport.publish(events)
        wait_for(lambda: len(ctx.transport.parked(consumer.queue)) == 2, what="two parked")

        path = "/api/v1/parked-events/notify"
        assert client.get(path).status_code == 401
        assert client.get(path, headers=rabbit.token("m-1")).status_code == 403
        admin = rabbit.token("admin", admin=True)
        assert client.get(f"{path}?limit=0", headers=admin).json["error"]["fields"] == {
            "limit": ["Must be greater than or equal to 1 and less than or equal to 50."]
        }
        shown = client.get(f"{path}?limit=1", headers=admin).json
        assert shown["count"] == 2 and len(shown["events"]) == 1
        [newest] = shown["events"]
        assert newest["event_id"] == events[1]["id"] and newest["type"] == "system.ping.sent"
        assert "no address book for this yet" in newest["reason"]
        assert newest["queue"] == consumer.queue and "data" not in newest

        fixed.set()
        replayed = client.post(f"{path}/{events[0]['id']}/replay", headers=admin)
        assert replayed.status_code == 200 and replayed.json["done"] == "replayed"
        discarded = client.post(f"{path}/{events[1]['id']}/discard", headers=admin)
        assert discarded.json["done"] == "discarded"
        again = client.post(f"{path}/{events[0]['id']}/replay", headers=admin)
        assert again.status_code == 404
        ctx.transport.publish([make_event("system.ping.sent", {"message": "sentinel"}, "t")])
        wait_for(lambda: "sentinel" in handled, what="the sentinel after the replay")
        assert handled.count("a") == 1 and "b" not in handled  # once; the discarded never
        assert client.get(path, headers=admin).json == {
            "service": "notify",
            "count": 0,
            "events": [],
        }
        assert client.post(f"{path}/not-a-uuid/replay", headers=admin).status_code == 404
    finally:
        stop.set()
        worker.join(timeout=10)
