"""Poison messages: whatever a consumer cannot decode or validate is parked at once, with its
reason, and the messages behind it keep flowing (both transports)."""

from __future__ import annotations

import time

import pika
import pytest

from services.common.bus import Consumer, make_event
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(60)

DEEP = b'{"id": "x", "type": "system.ping.sent", "data": ' + b"[" * 5000 + b"]" * 5000 + b"}"
POISONS = {
    "deeply nested JSON": DEEP,
    "invalid UTF-8": b'{"id": "\xff\xfe", "type": "system.ping.sent"}',
    "not JSON": b"{this is not json",
    "not an object": b"[1, 2, 3]",
}
NOT_DECODABLE_IN_POSTGRES = {"invalid UTF-8", "not JSON"}  # jsonb refuses these at the door


def inject(kit, transport, queue: str, body: bytes) -> None:
    """Put `body` in `queue` as it is, bypassing the producer side's checks."""
    if kit.kind == "rabbitmq":
        with transport._using("inject") as channel:
            channel.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2))
    else:
        with transport._cursor() as cur:
            cur.execute(
                "INSERT INTO messages (queue, routing_key, envelope) VALUES (%s, %s, %s::jsonb)",
                (queue, "system.ping.sent", body.decode()),
            )


@pytest.mark.parametrize("kind", sorted(POISONS))
def test_a_poison_message_is_parked_and_the_next_one_handled_promptly(
    kit, transport, notify_db, start, kind
):
    if kit.kind == "postgres" and kind in NOT_DECODABLE_IN_POSTGRES:
        pytest.skip("PostgreSQL's jsonb column cannot hold this message")
    handled: list[str] = []
    consumer = Consumer(
        notify_db,
        transport,
        f"poison-{kind.replace(' ', '-').replace('-8', '8')}",
        {"system.#": lambda cur, event: handled.append(event["id"])},
        backoff=(0.05, 0.1),
    )
    consumer.declare()
    inject(kit, transport, consumer.queue, POISONS[kind])
    good = make_event("system.ping.sent", {"message": "after the poison"}, producer="test")
    transport.publish([good])
    started = time.monotonic()
    start(consumer.run)
    wait_for(lambda: handled == [good["id"]], timeout=5, what="the good message handled")
    assert time.monotonic() - started < 5
    parked = wait_for(lambda: transport.parked(consumer.queue), what="the poison parked")
    assert len(parked) == 1
    assert "not a JSON event" in parked[0]["reason"]
    assert parked[0]["attempt"] == 1
    assert "body" in parked[0]["event"]


def test_events_that_fail_validation_in_any_way_are_parked(kit, transport, notify_db, start):
    handled: list[str] = []
    consumer = Consumer(
        notify_db, transport, "invalid", {"system.#": lambda cur, e: handled.append(e["id"])}
    )
    consumer.declare()
    nested: list = []
    for _ in range(400):
        nested = [nested]
    bad_data = make_event("system.ping.sent", {"message": "x"}, producer="test")
    bad_data["data"] = {"message": nested}
    unknown = {**make_event("system.ping.sent", {"message": "x"}, producer="test")}
    unknown["type"] = "system.ping.unheard_of"
    good = make_event("system.ping.sent", {"message": "fine"}, producer="test")
    for event in (bad_data, unknown):
        inject(kit, transport, consumer.queue, _dumps(event))
    transport.publish([good])
    start(consumer.run)
    wait_for(lambda: handled == [good["id"]], timeout=5, what="the good message handled")
    parked = wait_for(lambda: len(p := transport.parked(consumer.queue)) == 2 and p)
    reasons = sorted(p["reason"] for p in parked)
    assert all(r.startswith("invalid event") for r in reasons), reasons


def _dumps(event: dict) -> bytes:
    import json

    return json.dumps(event).encode()
