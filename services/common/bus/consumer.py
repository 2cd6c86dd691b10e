"""The consumer base: one durable queue per consumer purpose, each event handled once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg2

from services.common import liveness
from services.common.backoff import RECONNECT, Backoff, retry_delay
from services.common.bus.catalogue import EventError, validate_event
from services.common.bus.metrics import CONSUMED, PARKED, RETRIED
from services.common.bus.transport import (
    Delivery,
    Transport,
    check_pattern,
    topic_matches,
)
from services.common.db import Database
from services.common.logs import request_id_var

log = logging.getLogger("councils.bus.consumer")

Handler = Callable[[object, dict[str, Any]], None]
_DB_DOWN = (psycopg2.OperationalError, psycopg2.InterfaceError)


class Permanent(Exception):
    """Raised by a handler when trying again cannot help: the event is parked at once."""


class Consumer:
    """Handles the events matching `handlers`' patterns, from the queue
    `<prefix><service>.<name>` (`service` defaults to `db.schema`, the prefix to the
    transport's `queue_prefix`).

    For each delivery: validate against the catalogue (invalid → parked); in one transaction,
    record the event in `inbox` and, unless it was there already, run every matching handler
    with the cursor; commit; then ack. A failing handler is retried with exponential back-off
    (`backoff` = (base, cap) seconds) up to `max_attempts` deliveries, then parked; `Permanent`
    parks at once. When the database itself is unreachable the delivery is given back
    unsettled (not counted as an attempt) and the consumer reconnects after a back-off.
    """

    def __init__(
        self,
        db: Database,
        transport: Transport,
        name: str,
        handlers: dict[str, Handler],
        *,
        max_attempts: int = 5,
        backoff: tuple[float, float] = (1.0, 60.0),
        prefetch: int = 10,
        service: str | None = None,
        queue_prefix: str | None = None,
        reconnect: tuple[float, float] = RECONNECT,
    ) -> None:
        if not handlers:
            raise ValueError("a consumer needs at least one handler")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        for pattern in handlers:
            check_pattern(pattern)
        self.db = db
        self.transport = transport
        self.name = name
        self.handlers = dict(handlers)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.prefetch = prefetch
        self.reconnect = reconnect
        self.service = service or db.schema
        prefix = transport.queue_prefix if queue_prefix is None else queue_prefix
        self.queue = f"{prefix}{self.service}.{name}"
        self.inbox_name = f"{self.service}.{name}"

    def declare(self) -> None:
        self.transport.declare(self.queue, list(self.handlers))

    def handlers_for(self, event_type: str) -> list[Handler]:
        return [h for p, h in self.handlers.items() if topic_matches(p, event_type)]

    def handle(self, delivery: Delivery) -> None:
        """Handle one delivery to the end: ack, retry or park (the transport's callback)."""
        liveness.beat()
        event = delivery.event
        context = {
            "queue": self.queue,
            "event_id": event.get("id"),
            "event_type": event.get("type"),
            "attempt": delivery.attempt,
            "request_id": event.get("request_id"),
        }
        try:
            validate_event(event)
        except EventError as exc:
            log.error("parking an invalid event: %s", exc, extra=context)
            delivery.park(f"invalid event: {exc}")
            PARKED.labels(self.queue, "invalid").inc()
            return
        except Exception as exc:  # noqa: BLE001 - whatever a validator chokes on is poison too
            log.error("parking an event that cannot be validated: %r", exc, extra=context)
            delivery.park(f"invalid event: cannot be validated: {exc!r}")
            PARKED.labels(self.queue, "invalid").inc()
            return
        # Logs and the events this handler writes carry the request id that started it all.
        token = request_id_var.set(event.get("request_id"))
        try:
            handled = self._run_handlers(event)
        except Permanent as exc:
            log.error("parking event after a permanent failure: %r", exc, extra=context)
            delivery.park(f"permanent failure: {exc!r}")
            PARKED.labels(self.queue, "permanent").inc()
            return
        except _DB_DOWN as exc:
            if not self.db.ping():
                raise  # the database is down: give the delivery back, reconnect later
            self._failed(delivery, exc, context)
            return
        except Exception as exc:
            self._failed(delivery, exc, context)
            return
        finally:
            request_id_var.reset(token)
        delivery.ack()
        CONSUMED.labels(self.queue).inc()
        if handled:
            log.debug("handled %s", event["type"], extra=context)
        else:
            log.info("skipped %s already handled", event["type"], extra=context)

    def _run_handlers(self, event: dict[str, Any]) -> bool:
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO inbox (consumer, event_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (self.inbox_name, event["id"]),
            )
            if cur.rowcount == 0:
                return False
            for handler in self.handlers_for(event["type"]):
                handler(cur, event)
        return True

    def _failed(self, delivery: Delivery, exc: Exception, context: dict[str, Any]) -> None:
        if delivery.attempt >= self.max_attempts:
            log.exception("parking event after %d attempts", delivery.attempt, extra=context)
            delivery.park(f"failed {delivery.attempt} times, last: {exc!r}")
            PARKED.labels(self.queue, "exhausted").inc()
            return
        delay = retry_delay(delivery.attempt, *self.backoff)
        log.warning(
            "handler failed (attempt %d of %d), retrying in %.2fs: %r",
            delivery.attempt,
            self.max_attempts,
            delay,
            exc,
            extra=context,
        )
        delivery.retry(delay)
        RETRIED.labels(self.queue).inc()

    def run(self, stop_event: threading.Event) -> None:
        """Declare the queue and consume until `stop_event` is set, surviving outages."""
        backoff = Backoff(*self.reconnect)
        declared = False
        while not stop_event.is_set():
            try:
                if not declared:
                    self.declare()
                    declared = True
                self.transport.consume(
                    self.queue, self.handle, prefetch=self.prefetch, stop_event=stop_event
                )
                backoff.reset()
            except Exception as exc:
                log.warning(
                    "consumer %s stopped (%r), restarting in %.1fs",
                    self.queue,
                    exc,
                    backoff.delay,
                    extra={"queue": self.queue},
                )
                backoff.wait(stop_event)
