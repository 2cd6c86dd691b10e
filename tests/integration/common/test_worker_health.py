"""A worker's own probes: /livez fails when a loop stops beating (hung), /readyz follows its
database and broker, /metrics counts what its consumers did and what its outbox holds."""

from __future__ import annotations

import threading

import pytest
import requests

from services.common import liveness
from services.common.bus import Consumer, Relay, add_event, make_event
from services.common.bus.pgqueue import PgTransport
from services.common.embedded_pg import free_port
from services.common.worker_health import serve
from tests.support.runtime import make_runtime
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(60)


def test_livez_names_a_loop_that_stopped_beating():
    port = free_port()
    server = serve(port, {"always": lambda: True})
    hang = threading.Event()

    def loop():
        liveness.beat(within_s=0.3)
        hang.wait(30)  # hung: no more beats
        liveness.forget()

    thread = threading.Thread(target=loop, name="hung-loop", daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}"
        body = wait_for(
            lambda: (r := requests.get(url + "/livez", timeout=2)).status_code == 503 and r.json(),
            what="/livez to fail",
        )
        assert "hung-loop" in body["stalled"]
        assert requests.get(url + "/readyz", timeout=2).status_code == 200
    finally:
        hang.set()
        thread.join(5)
        server.shutdown()
    assert "hung-loop" not in liveness.tracked()


def test_metrics_count_consumed_and_parked_deliveries_and_the_outbox_backlog(database_url, run_id):
    runtime = make_runtime("notify", database_url)
    transport = PgTransport(
        database_url, exchange=f"health.{run_id}", queue_prefix=f"{run_id}.", poll_s=0.1
    )
    consumer = Consumer(runtime.db, transport, "health", {"system.#": lambda cur, e: None})
    consumer.declare()
    port = free_port()
    server = serve(port, {"database": runtime.db.ping, "bus": transport.ping})
    stop = threading.Event()
    try:
        with runtime.db.transaction() as cur:
            add_event(cur, "system.ping.sent", {"message": "waiting"}, producer="t")
        Relay(runtime.db, transport).measure()
        transport.publish(
            [
                make_event("system.ping.sent", {"message": "ok"}, producer="t"),
                {**make_event("system.ping.sent", {"message": "x"}, producer="t"), "data": {}},
            ]
        )
        thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}/metrics"
        consumed = f'councils_bus_consumed_total{{queue="{consumer.queue}"}} 1.0'
        parked = f'councils_bus_parked_total{{queue="{consumer.queue}",why="invalid"}} 1.0'
        text = wait_for(
            lambda: consumed in (t := requests.get(url, timeout=2).text) and parked in t and t,
            what="the counters in /metrics",
        )
        assert 'councils_outbox_backlog{schema="notify"}' in text
        assert 'councils_worker_dependency_up{dependency="bus"} 1.0' in text
    finally:
        stop.set()
        server.shutdown()
        transport.close()
        runtime.db.close()
