"""The worker's pieces together: events over the PostgreSQL transport → consumer → sender → SMTP."""

from __future__ import annotations

import threading

from services.common.bus.envelope import make_event
from services.notify import worker
from tests.support.wait import wait_for


def test_events_through_the_bus_become_mail_once(notify):
    runtime = notify.runtime
    [consumer] = worker.consumers(notify.ctx)
    consumer.declare()
    stop = threading.Event()
    threads = [
        threading.Thread(target=consumer.run, args=(stop,), daemon=True),
        threading.Thread(target=notify.email.run, args=(stop,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        registered = make_event(
            "members.member.registered",
            {
                "member_id": "m-bus",
                "email": "bus@example.org",
                "display_name": "Bus Rider",
                "country": "FR",
                "language": "fr",
                "status": "pending",
                "verification_token": "vt-1",
            },
            "members",
        )
        activated = make_event("members.member.activated", {"member_id": "m-bus"}, "members")
        verified = make_event("members.member.verified", {"member_id": "m-bus"}, "members")
        opened = make_event(
            "polls.poll.opened",
            {
                "poll_id": "p-bus",
                "title": "Bus poll",
                "scope": {"type": "organisation"},
                "closes_at": "2030-05-01T10:00:00Z",
            },
            "polls",
        )
        sentinel = make_event(
            "polls.poll.opened",
            {
                "poll_id": "p-sentinel",
                "title": "Sentinel poll",
                "scope": {"type": "organisation"},
                "closes_at": "2030-05-01T10:00:00Z",
            },
            "polls",
        )
        transport = runtime.transport
        transport.publish([registered, verified, activated])
        wait_for(lambda: len(notify.sink.received) == 1, what="the confirmation mail")
        transport.publish([opened, opened])  # a duplicate delivery of the same event
        transport.publish([opened])
        transport.publish([sentinel])  # handled after every copy above: then count the copies
        wait_for(
            lambda: any(
                r.message["Subject"] == "Nouveau scrutin : Sentinel poll"
                for r in notify.sink.received
            ),
            what="the sentinel poll's mail",
        )
        subjects = sorted(r.message["Subject"] for r in notify.sink.received)
        assert subjects == [
            "Confirmez votre adresse électronique",
            "Nouveau scrutin : Bus poll",
            "Nouveau scrutin : Sentinel poll",
        ]
        assert len(notify.deliveries("email")) == 3
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)


def test_worker_loops_start_and_stop(notify):
    loops = worker.loops(notify.ctx)
    stop = threading.Event()
    threads = [threading.Thread(target=loop, args=(stop,), daemon=True) for loop in loops]
    for thread in threads:
        thread.start()
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)
