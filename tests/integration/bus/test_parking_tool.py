"""`python -m services.common.bus parked ...` on both transports: list, show, requeue, drop."""

from __future__ import annotations

import io

import pytest

from services.common.bus import Consumer, Permanent, make_event
from services.common.bus.__main__ import run
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(60)


def test_an_operator_lists_inspects_requeues_and_drops_parked_messages(
    kit, transport, notify_db, start
):
    fixed = {"yes": False}
    handled: list[str] = []

    def handler(cur, event):
        if not fixed["yes"]:
            raise Permanent("the handler cannot do this yet")
        handled.append(event["data"]["message"])

    consumer = Consumer(notify_db, transport, "tool", {"system.#": handler})
    consumer.declare()
    events = [make_event("system.ping.sent", {"message": m}, producer="t") for m in "abc"]
    transport.publish(events)
    running = start(consumer.run)
    wait_for(lambda: len(transport.parked(consumer.queue)) == 3, what="three parked")

    def cli(*argv) -> str:
        out = io.StringIO()
        assert run(list(argv), transport, out) == 0
        return out.getvalue()

    assert f"     3  {consumer.queue}" in cli("parked", "list", "--queue", consumer.queue)
    shown = cli("parked", "show", consumer.queue, "--position", "2")
    assert events[1]["id"] in shown and "the handler cannot do this yet" in shown
    assert events[0]["id"] not in shown
    assert "dropped 1" in cli("parked", "drop", consumer.queue, "--position", "1")
    fixed["yes"] = True
    assert "re-queued 1" in cli("parked", "requeue", consumer.queue, "--event", events[2]["id"])
    wait_for(lambda: handled == ["c"], what="the re-queued message handled")
    remaining = transport.parked(consumer.queue)
    assert [r["event"]["id"] for r in remaining] == [events[1]["id"]]
    running.close()
