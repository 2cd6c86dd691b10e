"""Connections to the broker survive quiet periods (heartbeats are answered)."""

from __future__ import annotations

import time

import pytest

from services.common.bus import Relay, add_event, make_event
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(60)


def test_an_idle_publisher_keeps_its_rabbitmq_connection(kit, members_db, start):
    """With 1 s heartbeats, the broker drops a connection that misses two; a relay with
    nothing to send keeps answering them, so one connection serves before and after."""
    if kit.kind != "rabbitmq":
        pytest.skip("heartbeats are RabbitMQ's")
    transport = kit.make(heartbeat=1)
    transport.declare(kit.queue("idle"), ["system.#"])
    transport.publish([make_event("system.ping.sent", {"message": "first"}, producer="t")])
    assert transport.connections_opened == 1
    start(Relay(members_db, transport, poll_s=0.1).run)
    time.sleep(4)  # twice as long as the broker waits for heartbeats before dropping a link
    with members_db.transaction() as cur:
        add_event(cur, "system.ping.sent", {"message": "after a quiet while"}, producer="t")
    wait_for(lambda: transport.depth(kit.queue("idle")) == 2, what="both events queued")
    assert transport.connections_opened == 1
