"""A service's worker process: its outbox relay, its consumers and its periodic jobs, in threads."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import psycopg2

from services.common import liveness
from services.common.runtime import Runtime

if TYPE_CHECKING:
    from services.common.bus.consumer import Consumer

log = logging.getLogger("councils.worker")

Loop = Callable[[threading.Event], None]


def periodic(interval_s: float, job: Callable[[], object], name: str) -> Loop:
    """Run `job` every `interval_s` seconds until stopped; errors are logged, not fatal."""

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            liveness.beat(interval_s + liveness.DEFAULT_WITHIN_S)
            try:
                job()
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
                log.warning("periodic job %s: database unavailable: %s", name, str(exc).strip())
            except Exception:  # noqa: BLE001 - a periodic job must survive a bad turn
                log.exception("periodic job %s failed", name)
            stop.wait(interval_s)

    return loop


def run_worker(runtime: Runtime, consumers: Iterable[Consumer], loops: Iterable[Loop] = ()) -> None:
    """Run until SIGINT/SIGTERM: relay + consumers + extra loops, each in its own thread.

    With `--declare-only` on the command line: declare the consumers' queues and bindings, then
    return (`make run` does it before anything publishes, so no early event is unroutable)."""
    from services.common.bus.relay import Relay

    if "--declare-only" in sys.argv[1:]:
        for consumer in consumers:
            consumer.declare()
        runtime.close()
        return

    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        log.info("worker stopping on signal %s", signum)
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)

    relay_transport = runtime.transport
    targets: list[tuple[str, Loop]] = [("relay", Relay(runtime.db, relay_transport).run)]
    for consumer in consumers:
        targets.append((f"consumer:{consumer.name}", consumer.run))
    for index, loop in enumerate(loops):
        targets.append((f"loop:{getattr(loop, '__name__', index)}", loop))

    health_port = runtime.settings.get("WORKER_HEALTH_PORT")
    if health_port:
        from services.common.worker_health import serve

        serve(int(health_port), {"database": runtime.db.ping, "bus": runtime.bus_ready})
    threads = []
    for name, target in targets:
        thread = threading.Thread(target=_guarded(name, target, stop), name=name, daemon=True)
        thread.start()
        threads.append(thread)
    log.info("worker %s running: %s", runtime.settings.service, [n for n, _ in targets])
    while not stop.is_set():
        stop.wait(1.0)
    for thread in threads:
        thread.join(timeout=10)
    runtime.close()


def _guarded(name: str, target: Loop, stop: threading.Event) -> Callable[[], None]:
    def run() -> None:
        while not stop.is_set():
            try:
                target(stop)
                liveness.forget()
                return
            except Exception:  # noqa: BLE001 - restart the loop rather than lose the process
                log.exception("%s crashed; restarting in 2 s", name)
                stop.wait(2.0)

    return run
