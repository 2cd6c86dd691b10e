"""The bus contract, run against both transports (PostgreSQL and RabbitMQ) on real servers."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from services.common.bus import Consumer, Permanent, Relay, add_event, make_event
from tests.support.bus_samples import SAMPLES
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(45)


class Crash(Exception):
    """Stands for a consumer process dying while it holds a delivery."""


def ping(text: str) -> dict:
    return make_event("system.ping.sent", {"message": text}, producer="test")


def relay_failures(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "councils.bus.relay" and r.levelno == logging.WARNING
    ]


def drain(transport, queue: str, count: int, timeout: float = 10.0) -> list[dict]:
    """Consume and ack until `count` events came; returns them in delivery order."""
    got: list[dict] = []
    stop = threading.Event()

    def take(delivery):
        got.append(delivery.event)
        delivery.ack()
        if len(got) >= count:
            stop.set()

    thread = threading.Thread(
        target=transport.consume, args=(queue, take), kwargs={"stop_event": stop}, daemon=True
    )
    thread.start()
    thread.join(timeout)
    stop.set()
    thread.join(5)
    assert len(got) >= count, f"{queue}: {len(got)} of {count} events after {timeout}s"
    return got


def test_topic_routing_with_wildcards(kit, transport):
    bindings = {
        "star": ["members.*.registered"],
        "hash": ["members.#"],
        "tail": ["#.closed"],
        "exact": ["polls.poll.opened", "system.ping.sent"],
        "all": ["#"],
        "twice": ["members.#", "members.member.*"],
        "none": ["nobody.*.here"],
    }
    for name, patterns in bindings.items():
        transport.declare(kit.queue(name), patterns)
    types = [
        "members.member.registered",
        "members.chapter.founded",
        "polls.poll.opened",
        "polls.poll.closed",
        "system.ping.sent",
    ]
    transport.publish([make_event(t, SAMPLES[t], producer="test") for t in types])
    expected = {
        "star": ["members.member.registered"],
        "hash": ["members.member.registered", "members.chapter.founded"],
        "tail": ["polls.poll.closed"],
        "exact": ["polls.poll.opened", "system.ping.sent"],
        "all": types,
        "twice": ["members.member.registered", "members.chapter.founded"],
        "none": [],
    }
    # Publishing is confirmed only once every matching queue holds the event: no waiting.
    depths = {name: transport.depth(kit.queue(name)) for name in expected}
    assert depths == {name: len(ts) for name, ts in expected.items()}
    for name in ("hash", "exact", "twice"):
        got = drain(transport, kit.queue(name), len(expected[name]))
        assert [e["type"] for e in got] == expected[name]
        assert transport.depth(kit.queue(name)) == 0


def test_event_in_rolled_back_transaction_is_never_delivered(
    kit, transport, members_db, notify_db, start
):
    seen: list[str] = []
    consumer = Consumer(
        notify_db,
        transport,
        "rollback",
        {"system.ping.sent": lambda cur, e: seen.append(e["data"]["message"])},
        backoff=(0.05, 0.1),
    )
    consumer.declare()
    with pytest.raises(RuntimeError, match="use case failed"):
        with members_db.transaction() as cur:
            add_event(
                cur,
                "system.ping.sent",
                {"message": f"{kit.run_id} rolled back"},
                producer="members",
            )
            raise RuntimeError("use case failed")
    with members_db.transaction() as cur:
        add_event(
            cur, "system.ping.sent", {"message": f"{kit.run_id} committed"}, producer="members"
        )
    relay = Relay(members_db, transport)
    while relay.relay_once():
        pass
    transport.publish([ping(f"{kit.run_id} sentinel")])  # queued behind anything relayed
    start(consumer.run)
    wait_for(lambda: f"{kit.run_id} sentinel" in seen, what="the sentinel")
    assert seen == [f"{kit.run_id} committed", f"{kit.run_id} sentinel"]
    with members_db.transaction() as cur:
        cur.execute(
            "SELECT count(*) AS n FROM outbox WHERE envelope -> 'data' ->> 'message' = %s",
            (f"{kit.run_id} rolled back",),
        )
        assert cur.fetchone()["n"] == 0


def test_consumer_that_crashes_before_ack_gets_the_event_again(kit, transport):
    queue = kit.queue("crash")
    transport.declare(queue, ["system.#"])
    event = ping("crash me")
    transport.publish([event])

    def crash(delivery):
        assert delivery.event["id"] == event["id"]
        raise Crash

    with pytest.raises(Crash):
        transport.consume(queue, crash, prefetch=1, stop_event=threading.Event())
    (again,) = drain(transport, queue, 1)
    assert again == event


def test_consumer_that_dies_holding_a_lease_is_replaced_after_it_expires(kit):
    if kit.kind != "postgres":
        pytest.skip("leases are the PostgreSQL transport's; RabbitMQ requeues on disconnect")
    transport = kit.make(lease_s=1.0)
    queue = kit.queue("lease")
    transport.declare(queue, ["system.#"])
    event = ping("vanish")
    transport.publish([event])

    def vanish(delivery):
        delivery._conn.close()  # the process is gone: nothing can be given back
        raise Crash

    with pytest.raises(Crash):
        transport.consume(queue, vanish, prefetch=1, stop_event=threading.Event())
    died = time.monotonic()
    assert transport.depth(queue) == 0  # still leased
    (again,) = drain(transport, queue, 1)
    assert again["id"] == event["id"]
    assert time.monotonic() - died >= 0.8


def test_handler_that_keeps_failing_is_parked_after_max_attempts(kit, transport, notify_db, start):
    calls: list[str] = []
    healed = threading.Event()

    def handler(cur, event):
        calls.append(event["id"])
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS scratch (x int)")  # rolled back each time
        if not healed.is_set():
            raise RuntimeError("boom")

    consumer = Consumer(
        notify_db,
        transport,
        "failing",
        {"system.ping.sent": handler},
        max_attempts=3,
        backoff=(0.05, 0.1),
    )
    consumer.declare()
    event = ping("always fails")
    transport.publish([event])
    start(consumer.run)
    parked = wait_for(lambda: transport.parked(consumer.queue), what="a parked event")
    assert [p["event"]["id"] for p in parked] == [event["id"]]
    assert parked[0]["attempt"] == 3
    assert "boom" in parked[0]["reason"]
    assert calls == [event["id"]] * 3
    with notify_db.transaction() as cur:
        cur.execute("SELECT count(*) AS n FROM inbox WHERE event_id = %s", (event["id"],))
        assert cur.fetchone()["n"] == 0  # the failed attempts left nothing behind

    # Once the cause is fixed, an operator puts it back and it goes through.
    healed.set()
    assert transport.requeue_parked(consumer.queue) == 1
    wait_for(lambda: len(calls) == 4, what="the requeued event")
    assert transport.parked(consumer.queue) == []


def test_transient_failure_is_retried_with_a_growing_attempt(kit, transport, notify_db, start):
    attempts: list[int] = []
    consumer = Consumer(
        notify_db,
        transport,
        "transient",
        {"system.#": lambda cur, e: None},
        max_attempts=5,
        backoff=(0.05, 0.2),
    )
    handle = consumer.handle

    event, sentinel, done = ping("flaky"), ping("sentinel"), []

    def flaky(delivery):
        if delivery.event["id"] == event["id"]:
            attempts.append(delivery.attempt)
        if delivery.event["id"] == event["id"] and len(attempts) < 3:
            delivery.retry(0.05)
        else:
            handle(delivery)
            done.append(delivery.event["id"])

    consumer.handle = flaky
    consumer.declare()
    transport.publish([event])
    start(consumer.run)
    wait_for(lambda: event["id"] in done, what="the third attempt handled")
    transport.publish([sentinel])  # a fourth attempt would have to come before it is done
    wait_for(lambda: sentinel["id"] in done, what="the sentinel")
    assert attempts == [1, 2, 3]
    assert transport.parked(consumer.queue) == []


def test_permanent_failures_and_invalid_events_are_parked_at_once(kit, transport, notify_db, start):
    calls: list[str] = []

    def handler(cur, event):
        calls.append(event["id"])
        raise Permanent("this member does not exist")

    consumer = Consumer(
        notify_db,
        transport,
        "permanent",
        {"system.#": handler},
        max_attempts=5,
        backoff=(0.05, 0.1),
    )
    consumer.declare()
    permanent = ping("permanent")
    invalid = {**ping("x"), "data": {"no_message": True}}
    unknown = {**ping("x"), "type": "system.ping.unheard_of"}
    transport.publish([permanent, invalid, unknown])
    start(consumer.run)
    parked = wait_for(
        lambda: len(p := transport.parked(consumer.queue)) == 3 and p, what="three parked events"
    )
    reasons = {p["event"]["id"]: p["reason"] for p in parked}
    assert "permanent failure" in reasons[permanent["id"]]
    assert "invalid event" in reasons[invalid["id"]]
    assert "unknown event type" in reasons[unknown["id"]]
    assert all(p["attempt"] == 1 for p in parked)
    assert calls == [permanent["id"]]


def test_duplicate_delivery_is_handled_once(kit, transport, notify_db, start):
    handled: list[str] = []
    consumer = Consumer(
        notify_db,
        transport,
        "dedup",
        {"system.ping.sent": lambda cur, e: handled.append(e["id"])},
        backoff=(0.05, 0.1),
    )
    consumer.declare()
    event, sentinel = ping("twice"), ping("sentinel")
    transport.publish([event])
    transport.publish([event, sentinel])
    start(consumer.run)
    wait_for(lambda: sentinel["id"] in handled, what="the sentinel")
    assert handled == [event["id"], sentinel["id"]]
    assert transport.depth(consumer.queue) == 0
    assert transport.parked(consumer.queue) == []


def test_crash_after_commit_before_ack_is_not_handled_twice(kit, transport, notify_db, start):
    handled: list[str] = []
    consumer = Consumer(
        notify_db,
        transport,
        "commitcrash",
        {"system.ping.sent": lambda cur, e: handled.append(e["id"])},
    )
    consumer.declare()
    event = ping("committed, then crashed")
    transport.publish([event])

    def commit_then_crash(delivery):
        consumer._run_handlers(delivery.event)  # the handler's transaction commits...
        raise Crash  # ...and the process dies before the ack

    with pytest.raises(Crash):
        transport.consume(consumer.queue, commit_then_crash, stop_event=threading.Event())
    assert handled == [event["id"]]
    done: list[str] = []
    handle = consumer.handle

    def recorded(delivery):
        handle(delivery)
        done.append(delivery.event["id"])

    consumer.handle = recorded
    start(consumer.run)
    wait_for(lambda: event["id"] in done, what="the redelivery to be processed")
    assert handled == [event["id"]]  # processed again, handled once
    assert transport.depth(consumer.queue) == 0


def test_events_written_while_the_transport_is_unreachable_are_delivered(
    kit, members_db, notify_db, start, caplog
):
    caplog.set_level(logging.WARNING, logger="councils.bus.relay")
    proxy = kit.proxy()
    try:
        via_proxy = kit.make(proxy.url_for(kit.url))
        seen: list[str] = []
        consumer = Consumer(
            notify_db,
            via_proxy,
            "outage",
            {"system.ping.sent": lambda cur, e: seen.append(e["data"]["message"])},
            backoff=(0.05, 0.1),
            reconnect=(0.05, 0.3),
        )
        consumer.declare()
        relay = Relay(members_db, via_proxy, poll_s=0.05, backoff=(0.05, 0.3))
        start(consumer.run, "consumer")
        start(relay.run, "relay")
        tag = kit.run_id

        with members_db.transaction() as cur:
            add_event(cur, "system.ping.sent", {"message": f"{tag} before"}, producer="members")
        wait_for(lambda: f"{tag} before" in seen, what="the event before the outage")

        failed = len(relay_failures(caplog))
        proxy.cut()
        during = [f"{tag} during {i}" for i in range(20)]
        for text in during:
            with members_db.transaction() as cur:
                add_event(cur, "system.ping.sent", {"message": text}, producer="members")
        # The relay tried to send them, failed and backs off: then nothing has gone out.
        wait_for(
            lambda: len(relay_failures(caplog)) > failed, timeout=20, what="a failed relay attempt"
        )
        with members_db.transaction() as cur:
            cur.execute(
                "SELECT count(*) AS n FROM outbox"
                " WHERE sent_at IS NULL AND envelope -> 'data' ->> 'message' LIKE %s",
                (f"{tag} during %",),
            )
            assert cur.fetchone()["n"] == len(during)
        assert not [s for s in seen if "during" in s]

        proxy.restore()
        wait_for(lambda: set(during) <= set(seen), timeout=20, what="the events of the outage")
        assert sorted(seen) == sorted({f"{tag} before", *during})  # each handled once
    finally:
        proxy.close()


def test_quorum_queues_route_retry_and_park(kit, notify_db, start):
    if kit.kind != "rabbitmq":
        pytest.skip("queue types are RabbitMQ's")
    transport = kit.make(queue_type="quorum")
    calls: list[str] = []

    def handler(cur, event):
        calls.append(event["id"])
        raise RuntimeError("boom")

    consumer = Consumer(
        notify_db, transport, "quorum", {"system.#": handler}, max_attempts=2, backoff=(0.05, 0.1)
    )
    consumer.declare()
    event = ping("quorum")
    transport.publish([event])
    start(consumer.run)
    parked = wait_for(lambda: transport.parked(consumer.queue), what="a parked event")
    assert [p["event"]["id"] for p in parked] == [event["id"]]
    assert calls == [event["id"]] * 2


def test_two_relays_never_send_a_row_twice(kit, transport, members_db, start):
    queue = kit.queue("relays")
    transport.declare(queue, ["system.ping.sent"])
    tag = f"{kit.run_id} relays"
    with members_db.transaction() as cur:
        # Earlier tests share this outbox; their leftovers must not count here.
        cur.execute("UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL")
        for i in range(200):
            add_event(cur, "system.ping.sent", {"message": f"{tag} {i}"}, producer="members")
    for name in ("relay-1", "relay-2"):
        start(Relay(members_db, transport, batch_size=20, poll_s=0.05).run, name)

    def unsent():
        with members_db.transaction() as cur:
            cur.execute(
                "SELECT count(*) AS n FROM outbox"
                " WHERE sent_at IS NULL AND envelope -> 'data' ->> 'message' LIKE %s",
                (f"{tag} %",),
            )
            return cur.fetchone()["n"]

    wait_for(lambda: unsent() == 0, what="the outbox to be relayed")
    assert transport.depth(queue) == 200


def test_request_id_travels_from_request_to_event_and_on(members_db):
    from services.common.logs import request_id_var

    token = request_id_var.set("req-trace-42")
    try:
        with members_db.transaction() as cur:
            event = add_event(cur, "system.ping.sent", {"message": "trace"}, producer="members")
    finally:
        request_id_var.reset(token)
    assert event["request_id"] == "req-trace-42"
    with members_db.transaction() as cur:
        cur.execute("SELECT envelope FROM outbox WHERE id = %s", (event["id"],))
        assert cur.fetchone()["envelope"]["request_id"] == "req-trace-42"
