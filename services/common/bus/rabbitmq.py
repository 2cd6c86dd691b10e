"""The RabbitMQ transport (pika, blocking connections).

Topology, for exchange X and a consumer queue Q:

- X: one durable topic exchange for the whole system; events are published to it with their
  type as routing key, persistent, with publisher confirms.
- Q: durable (classic or quorum), bound to X with the consumer's patterns.
- Q.retry.<ms>ms: a delay queue per back-off step, holding retried messages for <ms> (message
  TTL) and then dead-lettering them through the default exchange back to Q alone. Each expires
  a minute after its last use. The attempt number travels in the `x-attempt` header.
- Q.parked: where messages go after the last attempt, or at once when they cannot succeed,
  with the reason in `x-park-reason`.

Consumers ack only once their callback has settled the delivery; a lost connection requeues
whatever was not acked, and `consume` reconnects with growing, capped back-off.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pika
import pika.exceptions
from pika.adapters.blocking_connection import BlockingChannel

from services.common import liveness
from services.common.backoff import RECONNECT, Backoff
from services.common.bus.envelope import Undecodable, decode, dumps, undecodable_stand_in
from services.common.bus.metrics import PARKED
from services.common.bus.transport import (
    Callback,
    Choose,
    Delivery,
    Transport,
    TransportError,
    check_pattern,
)

log = logging.getLogger("councils.bus.rabbitmq")

ATTEMPT = "x-attempt"
PARK_REASON = "x-park-reason"
_FAILURES = (pika.exceptions.AMQPError, OSError)
_RETRY_QUEUE_IDLE_MS = 60_000


def _retry_ms(delay_s: float) -> int:
    """Delays are rounded to 10 ms so that few delay queues exist."""
    return max(10, int(round(delay_s * 100)) * 10)


def _parked_record(properties: pika.BasicProperties, body: bytes) -> dict[str, Any]:
    headers = properties.headers or {}
    try:
        event = decode(body)
    except Undecodable:
        event = undecodable_stand_in(body)
    reason = headers.get(PARK_REASON, "")
    return {
        "event": event,
        "reason": reason.decode() if isinstance(reason, bytes) else str(reason),
        "attempt": int(headers.get(ATTEMPT, 1)),
    }


class RabbitDelivery(Delivery):
    def __init__(
        self,
        transport: RabbitMQTransport,
        channel: BlockingChannel,
        queue: str,
        method: Any,
        properties: pika.BasicProperties,
        body: bytes,
        event: dict[str, Any],
    ) -> None:
        self._transport = transport
        self._channel = channel
        self._tag = method.delivery_tag
        self._properties = properties
        self._body = body
        self._settled = False
        self.queue = queue
        self.event = event
        headers = properties.headers or {}
        try:
            self.attempt = max(1, int(headers.get(ATTEMPT, 1)))
        except (TypeError, ValueError):
            self.attempt = 1
        self.redelivered = bool(method.redelivered)

    def _settling(self) -> None:
        if self._settled:
            raise RuntimeError(f"delivery of {self.event.get('id')} is already settled")
        self._settled = True

    def _forward(self, routing_key: str, headers: dict[str, Any]) -> None:
        """Publish a copy (confirmed) through the default exchange, then ack the original."""
        props = self._properties
        kept = {k: v for k, v in (props.headers or {}).items() if k != "x-death"}
        properties = pika.BasicProperties(
            content_type=props.content_type,
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=props.message_id,
            type=props.type,
            timestamp=props.timestamp,
            app_id=props.app_id,
            correlation_id=props.correlation_id,
            headers={**kept, **headers},
        )
        self._channel.basic_publish("", routing_key, self._body, properties)
        self._channel.basic_ack(self._tag)

    def ack(self) -> None:
        self._settling()
        self._channel.basic_ack(self._tag)

    def retry(self, delay_s: float) -> None:
        self._settling()
        ms = _retry_ms(delay_s)
        name = self._transport.declare_retry_queue(self._channel, self.queue, ms)
        self._forward(name, {ATTEMPT: self.attempt + 1})

    def park(self, reason: str) -> None:
        self._settling()
        self._forward(
            f"{self.queue}.parked",
            {
                ATTEMPT: self.attempt,
                PARK_REASON: reason[:4000],
                "x-parked-at": dt.datetime.now(dt.UTC).isoformat(),
            },
        )


class RabbitMQTransport(Transport):
    """Transport on the RabbitMQ at `url` (an AMQP URL)."""

    def __init__(
        self,
        url: str,
        *,
        exchange: str = "councils.events",
        queue_prefix: str = "",
        queue_type: str = "classic",
        mandatory: bool = False,
        reconnect: tuple[float, float] = RECONNECT,
        heartbeat: int = 30,
        connect_timeout: float = 5.0,
    ) -> None:
        if queue_type not in ("classic", "quorum"):
            raise ValueError(f"queue_type must be classic or quorum, got {queue_type!r}")
        self.exchange = exchange
        self.queue_prefix = queue_prefix
        self.queue_type = queue_type
        self.mandatory = mandatory
        self.reconnect = reconnect
        self.params = pika.URLParameters(url)
        self.params.heartbeat = heartbeat
        self.params.blocked_connection_timeout = 30
        self.params.socket_timeout = connect_timeout
        self.params.stack_timeout = connect_timeout * 2
        self.params.connection_attempts = 1
        self.params.client_properties = {"connection_name": "councils-bus"}
        self._conn: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None
        self._lock = threading.Lock()
        self.retry_queues: set[str] = set()
        self.declared: set[str] = set()
        self.connections_opened = 0  # of the shared connection: a reconnect adds one

    def __repr__(self) -> str:
        return f"RabbitMQTransport(exchange={self.exchange!r})"

    # --- connections ---------------------------------------------------------------------

    def _open(self) -> tuple[pika.BlockingConnection, BlockingChannel]:
        conn = pika.BlockingConnection(self.params)
        try:
            channel = conn.channel()
            channel.confirm_delivery()
            channel.exchange_declare(self.exchange, "topic", durable=True)
        except BaseException:
            conn.close()
            raise
        return conn, channel

    def _shared_channel(self) -> BlockingChannel:
        if (
            self._conn is not None
            and self._conn.is_open
            and self._channel is not None
            and self._channel.is_open
        ):
            try:
                self._conn.process_data_events(time_limit=0)  # heartbeats; finds a dead link
                return self._channel
            except _FAILURES:
                self._drop()
        self._drop()
        self._conn, self._channel = self._open()
        self.connections_opened += 1
        return self._channel

    def _drop(self) -> None:
        conn, self._conn, self._channel = self._conn, None, None
        if conn is not None and conn.is_open:
            try:
                conn.close()
            except _FAILURES:
                pass

    @contextmanager
    def _using(self, what: str) -> Iterator[BlockingChannel]:
        """The shared channel (confirm mode), under the lock; failures as TransportError."""
        with self._lock:
            try:
                yield self._shared_channel()
            except _FAILURES as exc:
                self._drop()
                raise TransportError(f"RabbitMQ {what} failed: {exc!r}") from exc

    def _queue_args(self) -> dict[str, Any]:
        return {"x-queue-type": self.queue_type}

    def declare_retry_queue(self, channel: BlockingChannel, queue: str, ms: int) -> str:
        """Declare (again: that keeps it alive) the delay queue of `queue` for `ms`."""
        name = f"{queue}.retry.{ms}ms"
        channel.queue_declare(
            name,
            durable=True,
            arguments={
                **self._queue_args(),
                "x-message-ttl": ms,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": queue,
                "x-expires": ms + _RETRY_QUEUE_IDLE_MS,
            },
        )
        self.retry_queues.add(name)
        return name

    # --- Transport -----------------------------------------------------------------------

    def publish(self, events: list[dict[str, Any]]) -> None:
        if not events:
            return
        with self._using("publish") as channel:
            for event in events:
                properties = pika.BasicProperties(
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=event["id"],
                    type=event["type"],
                    timestamp=int(time.time()),
                    app_id=event.get("producer"),
                    correlation_id=event.get("request_id"),
                    headers={ATTEMPT: 1},
                )
                # In confirm mode this returns once the broker confirmed (raises if nacked,
                # or if unroutable with `mandatory`).
                channel.basic_publish(
                    self.exchange,
                    event["type"],
                    dumps(event),
                    properties,
                    mandatory=self.mandatory,
                )
        log.debug("published %d events", len(events))

    def declare(self, queue: str, patterns: list[str]) -> None:
        if not queue:
            raise ValueError("a queue needs a name")
        patterns = [check_pattern(p) for p in patterns]
        with self._using("declare") as channel:
            channel.queue_declare(queue, durable=True, arguments=self._queue_args())
            channel.queue_declare(f"{queue}.parked", durable=True, arguments=self._queue_args())
            for pattern in patterns:
                channel.queue_bind(queue, self.exchange, routing_key=pattern)
        self.declared.add(queue)

    def consume(
        self,
        queue: str,
        callback: Callback,
        *,
        prefetch: int = 10,
        stop_event: threading.Event,
    ) -> None:
        backoff = Backoff(*self.reconnect)
        while not stop_event.is_set():
            conn = None
            try:
                conn, channel = self._open()
                channel.basic_qos(prefetch_count=prefetch)
                backoff.reset()
                failed: list[BaseException] = []

                def on_message(
                    ch: BlockingChannel,
                    method: Any,
                    properties: pika.BasicProperties,
                    body: bytes,
                    failed: list[BaseException] = failed,
                ) -> None:
                    if failed:
                        return  # left unacked: requeued when the connection closes
                    try:
                        self._deliver(ch, queue, method, properties, body, callback)
                    except Exception as exc:
                        failed.append(exc)

                channel.basic_consume(queue, on_message, auto_ack=False)
                log.info("consuming %s", queue, extra={"queue": queue})
                while not stop_event.is_set() and not failed:
                    liveness.beat()
                    conn.process_data_events(time_limit=0.2)
                if failed:
                    raise failed[0]
            except _FAILURES as exc:
                log.warning(
                    "RabbitMQ unreachable or lost, reconnecting in %.1fs: %r",
                    backoff.delay,
                    exc,
                    extra={"queue": queue},
                )
                backoff.wait(stop_event)
            finally:
                if conn is not None and conn.is_open:
                    try:
                        conn.close()
                    except _FAILURES:
                        pass

    def _deliver(
        self,
        channel: BlockingChannel,
        queue: str,
        method: Any,
        properties: pika.BasicProperties,
        body: bytes,
        callback: Callback,
    ) -> None:
        try:
            event = decode(body)
        except Undecodable as exc:
            stand_in = undecodable_stand_in(body)
            delivery = RabbitDelivery(self, channel, queue, method, properties, body, stand_in)
            log.error(
                "parking a message of %s that is not an event: %s",
                queue,
                exc,
                extra={"queue": queue},
            )
            delivery.park(f"not a JSON event: {exc}")
            PARKED.labels(queue, "undecodable").inc()
            return
        callback(RabbitDelivery(self, channel, queue, method, properties, body, event))

    def _drain(self, channel: BlockingChannel, queue: str) -> Iterator[tuple[Any, ...]]:
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=False)
            if method is None:
                return
            yield method, properties, body

    def parked(self, queue: str) -> list[dict[str, Any]]:
        records = []
        with self._using("parked") as channel:
            last = None
            for method, properties, body in self._drain(channel, f"{queue}.parked"):
                last = method.delivery_tag
                records.append(_parked_record(properties, body))
            if last is not None:
                channel.basic_nack(last, multiple=True, requeue=True)
        return records

    def requeue_parked(self, queue: str) -> int:
        """Put every parked message of `queue` back in it, as a first attempt."""
        return self.settle_parked(queue, lambda position, record: True, requeue=True)

    def settle_parked(self, queue: str, choose: Choose, *, requeue: bool) -> int:
        """Re-queue (as a first attempt) or drop the parked messages of `queue` for which
        `choose(position, record)` is true (position 1 is the oldest); the rest stay parked."""
        n = 0
        with self._using("settle parked") as channel:
            kept = []
            drained = enumerate(self._drain(channel, f"{queue}.parked"), start=1)
            for position, (method, properties, body) in drained:
                if not choose(position, _parked_record(properties, body)):
                    kept.append(method.delivery_tag)
                    continue
                if requeue:
                    headers = {
                        k: v
                        for k, v in (properties.headers or {}).items()
                        if k not in ("x-death", PARK_REASON, "x-parked-at")
                    }
                    properties.headers = {**headers, ATTEMPT: 1}
                    channel.basic_publish("", queue, body, properties)
                channel.basic_ack(method.delivery_tag)
                n += 1
            for tag in kept:
                channel.basic_nack(tag, requeue=True)
        return n

    def parked_queues(self, candidates: Iterable[str] = ()) -> dict[str, int]:
        """The parked counts of the `candidates` queues that exist (RabbitMQ cannot list
        queues over AMQP)."""
        counts = {}
        for queue in candidates:
            try:
                with self._using("parked count") as channel:
                    ok = channel.queue_declare(f"{queue}.parked", passive=True)
                    counts[queue] = ok.method.message_count
            except TransportError:
                continue
        return counts

    def depth(self, queue: str) -> int:
        with self._using("depth") as channel:
            try:
                ok = channel.queue_declare(queue, passive=True)
            except pika.exceptions.ChannelClosedByBroker as exc:
                self._drop()
                if exc.reply_code == 404:
                    return 0
                raise
            ready: int = ok.method.message_count
            return ready

    def delete(self, queue: str) -> None:
        """Delete `queue` with its parking and known delay queues (tests, admin)."""
        with self._using("delete") as channel:
            for name in [
                queue,
                f"{queue}.parked",
                *sorted(q for q in self.retry_queues if q.startswith(queue + ".retry.")),
            ]:
                channel.queue_delete(name)

    def delete_exchange(self) -> None:
        with self._using("delete") as channel:
            channel.exchange_delete(self.exchange)

    def keepalive(self) -> None:
        """Let pika answer the broker's heartbeats on the shared connection, if one is open
        (never opens one: an idle process need not hold a connection)."""
        if not self._lock.acquire(blocking=False):
            return  # in use right now, which keeps it alive anyway
        try:
            if self._conn is not None and self._conn.is_open:
                try:
                    self._conn.process_data_events(time_limit=0)
                except _FAILURES:
                    self._drop()
        finally:
            self._lock.release()

    def ping(self) -> bool:
        try:
            with self._using("ping"):
                return True
        except TransportError:
            return False

    def close(self) -> None:
        with self._lock:
            self._drop()
