"""An event transport on PostgreSQL (schema `bus`) with RabbitMQ's contract, for the embedded
default: topic bindings, fan-out at publish time, leases instead of unacked messages, retry
through `available_at`, a parking table, and LISTEN/NOTIFY (with polling) to wake consumers.

Apply its tables with `migrate(dsn, "bus")`.
"""

from __future__ import annotations

import json
import logging
import select
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.extras
from psycopg2.extensions import connection as Connection

from services.common import liveness
from services.common.backoff import RECONNECT, Backoff
from services.common.bus.envelope import Undecodable, decode, undecodable_stand_in
from services.common.bus.metrics import PARKED
from services.common.bus.transport import (
    Callback,
    Choose,
    Delivery,
    Transport,
    TransportError,
    check_pattern,
    pattern_regex,
)

log = logging.getLogger("councils.bus.pgqueue")

CHANNEL = "councils_bus"
_DOWN = (psycopg2.OperationalError, psycopg2.InterfaceError)


def _readable(envelope: str) -> dict[str, Any]:
    try:
        return decode(envelope)
    except Undecodable:
        return undecodable_stand_in(envelope)


class _CallbackFailed(Exception):
    """Carries an exception out of the consumer's callback, to re-raise it as it was."""

    @property
    def cause(self) -> BaseException:
        assert self.__cause__ is not None  # always raised `from` the callback's exception
        return self.__cause__


_PUBLISH = """
WITH ev AS (
    SELECT e.env::jsonb AS env, e.ord
    FROM unnest(%(envelopes)s::text[]) WITH ORDINALITY AS e(env, ord)
), targets AS (
    SELECT DISTINCT ON (ev.ord, b.queue) b.queue, ev.env, ev.ord
    FROM ev JOIN bindings b
      ON b.exchange = %(exchange)s AND ('.' || (ev.env ->> 'type')) ~ b.regex
    ORDER BY ev.ord, b.queue
), ins AS (
    INSERT INTO messages (queue, routing_key, envelope)
    SELECT queue, env ->> 'type', env FROM targets ORDER BY ord, queue
    RETURNING queue
)
SELECT q.queue, q.n, pg_notify(%(channel)s, q.queue)
FROM (SELECT queue, count(*) AS n FROM ins GROUP BY queue) q
"""

_CLAIM = """
UPDATE messages m
SET available_at = now() + make_interval(secs => %(lease_s)s),
    lease = %(lease)s,
    deliveries = m.deliveries + 1
WHERE m.id IN (
    SELECT id FROM messages
    WHERE queue = %(queue)s AND available_at <= now()
    ORDER BY available_at, id
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING m.id, m.envelope::text, m.attempt
"""

_PARK = """
WITH m AS (
    DELETE FROM messages WHERE id = %(id)s AND lease = %(lease)s
    RETURNING queue, routing_key, envelope, attempt
)
INSERT INTO parked (queue, routing_key, envelope, attempt, reason)
SELECT queue, routing_key, envelope, attempt, %(reason)s FROM m
"""


class PgDelivery(Delivery):
    def __init__(
        self,
        conn: Connection,
        queue: str,
        message_id: int,
        lease: uuid.UUID,
        event: dict[str, Any],
        attempt: int,
    ) -> None:
        self._conn = conn
        self._id = message_id
        self._lease = lease
        self._settled = False
        self.queue = queue
        self.event = event
        self.attempt = attempt

    def _settle(self, sql: str, params: dict[str, Any], what: str) -> None:
        if self._settled:
            raise RuntimeError(f"delivery of {self.event.get('id')} is already settled")
        with self._conn.cursor() as cur:
            cur.execute(sql, {"id": self._id, "lease": self._lease, **params})
            done = cur.rowcount
        self._settled = True
        if not done:
            log.warning(
                "lease on event %s in %s expired before %s; it will be delivered again",
                self.event.get("id"),
                self.queue,
                what,
                extra={"queue": self.queue, "event_id": self.event.get("id")},
            )

    def ack(self) -> None:
        self._settle("DELETE FROM messages WHERE id = %(id)s AND lease = %(lease)s", {}, "ack")

    def retry(self, delay_s: float) -> None:
        self._settle(
            "UPDATE messages SET attempt = attempt + 1, lease = NULL,"
            " available_at = now() + make_interval(secs => %(delay)s)"
            " WHERE id = %(id)s AND lease = %(lease)s",
            {"delay": max(0.0, float(delay_s))},
            "retry",
        )

    def park(self, reason: str) -> None:
        self._settle(_PARK, {"reason": reason[:4000]}, "park")


class PgTransport(Transport):
    """Transport on the `bus` schema of the database at `dsn`.

    `lease_s`: how long a delivered, unsettled message stays invisible to other consumers (a
    consumer that dies is replaced after that). `poll_s`: the longest a consumer sleeps between
    looks when no notification wakes it.
    """

    def __init__(
        self,
        dsn: str,
        *,
        exchange: str = "councils.events",
        queue_prefix: str = "",
        lease_s: float = 30.0,
        poll_s: float = 1.0,
        reconnect: tuple[float, float] = RECONNECT,
    ) -> None:
        self.dsn = dsn
        self.exchange = exchange
        self.queue_prefix = queue_prefix
        self.lease_s = lease_s
        self.poll_s = poll_s
        self.reconnect = reconnect
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PgTransport(exchange={self.exchange!r})"

    def _connect(self) -> Connection:
        return psycopg2.connect(
            self.dsn,
            options="-c search_path=bus",
            connect_timeout=5,
            application_name="councils-bus",
        )

    @contextmanager
    def _cursor(self) -> Iterator[psycopg2.extensions.cursor]:
        """A cursor in one transaction on the shared connection (publishing, admin)."""
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = self._connect()
                conn = self._conn
                with conn, conn.cursor() as cur:
                    yield cur
            except _DOWN as exc:
                self._drop()
                raise TransportError(f"PostgreSQL bus unreachable: {exc}".strip()) from exc

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg2.Error:
                pass
            self._conn = None

    # --- Transport -----------------------------------------------------------------------

    def publish(self, events: list[dict[str, Any]]) -> None:
        if not events:
            return
        envelopes = [json.dumps(e, separators=(",", ":")) for e in events]
        with self._cursor() as cur:
            cur.execute(
                _PUBLISH, {"envelopes": envelopes, "exchange": self.exchange, "channel": CHANNEL}
            )
            routed = {queue: n for queue, n, _ in cur.fetchall()}
        log.debug("published %d events to %d queues", len(events), len(routed))

    def declare(self, queue: str, patterns: list[str]) -> None:
        if not queue:
            raise ValueError("a queue needs a name")
        rows = [(self.exchange, queue, p, pattern_regex(check_pattern(p))) for p in patterns]
        with self._cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO bindings (exchange, queue, pattern, regex) VALUES %s"
                " ON CONFLICT DO NOTHING",
                rows,
            )

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
            try:
                conn = self._connect()
            except _DOWN as exc:
                log.warning(
                    "bus database unreachable, retrying in %.1fs: %s",
                    backoff.delay,
                    str(exc).strip(),
                    extra={"queue": queue},
                )
                backoff.wait(stop_event)
                continue
            backoff.reset()
            try:
                conn.autocommit = True
                self._consume_on(conn, queue, callback, prefetch, stop_event)
            except _CallbackFailed as failed:
                raise failed.cause from None
            except _DOWN as exc:
                log.warning(
                    "lost the bus database, reconnecting in %.1fs: %s",
                    backoff.delay,
                    str(exc).strip(),
                    extra={"queue": queue},
                )
                backoff.wait(stop_event)
            finally:
                conn.close()

    def _consume_on(
        self,
        conn: Connection,
        queue: str,
        callback: Callback,
        prefetch: int,
        stop_event: threading.Event,
    ) -> None:
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        log.info("consuming %s", queue, extra={"queue": queue})
        while not stop_event.is_set():
            liveness.beat()
            lease = uuid.uuid4()
            with conn.cursor() as cur:
                cur.execute(
                    _CLAIM,
                    {"lease_s": self.lease_s, "lease": lease, "queue": queue, "limit": prefetch},
                )
                rows = sorted(cur.fetchall())
            pending = [row[0] for row in rows]
            try:
                for message_id, envelope, attempt in rows:
                    if stop_event.is_set():
                        break
                    self._deliver(conn, queue, message_id, lease, envelope, attempt, callback)
                    pending.remove(message_id)
            finally:
                if pending and not conn.closed:
                    # Not handled (stopping, or the callback failed): give them back now.
                    with conn.cursor() as cur:
                        cur.execute(
                            "UPDATE messages SET lease = NULL, available_at = now()"
                            " WHERE lease = %s AND id = ANY(%s)",
                            (lease, pending),
                        )
            if not rows:
                self._wait(conn, queue, stop_event)

    def _deliver(
        self,
        conn: Connection,
        queue: str,
        message_id: int,
        lease: uuid.UUID,
        envelope: str,
        attempt: int,
        callback: Callback,
    ) -> None:
        """Decode the envelope here, not in the driver: one that cannot be read as an event
        (nested too deeply for Python, not an object) is parked at once, never re-delivered."""
        try:
            event = decode(envelope)
        except Undecodable as exc:
            log.error(
                "parking a message of %s that is not an event: %s",
                queue,
                exc,
                extra={"queue": queue},
            )
            stand_in = undecodable_stand_in(envelope)
            PgDelivery(conn, queue, message_id, lease, stand_in, attempt).park(
                f"not a JSON event: {exc}"
            )
            PARKED.labels(queue, "undecodable").inc()
            return
        try:
            callback(PgDelivery(conn, queue, message_id, lease, event, attempt))
        except Exception as exc:
            raise _CallbackFailed() from exc

    def _wait(self, conn: Connection, queue: str, stop_event: threading.Event) -> None:
        """Sleep until a notification, the next delayed message is due, or `poll_s` passes."""
        with conn.cursor() as cur:
            cur.execute(
                "SELECT extract(epoch FROM min(available_at) - now())::float8"
                " FROM messages WHERE queue = %s",
                (queue,),
            )
            (due,) = cur.fetchone() or (None,)
        timeout = self.poll_s if due is None else max(0.0, min(self.poll_s, due + 0.005))
        if conn.notifies:
            conn.notifies.clear()
            return
        if timeout > 0 and not stop_event.is_set():
            readable, _, _ = select.select([conn], [], [], timeout)
            if readable:
                conn.poll()
        conn.notifies.clear()

    def parked(self, queue: str) -> list[dict[str, Any]]:
        with self._cursor() as cur:
            cur.execute(
                "SELECT envelope::text, reason, attempt FROM parked WHERE queue = %s ORDER BY id",
                (queue,),
            )
            return [
                {"event": _readable(e), "reason": r, "attempt": a} for e, r, a in cur.fetchall()
            ]

    def requeue_parked(self, queue: str) -> int:
        """Put every parked message of `queue` back in it, as a first attempt."""
        return self.settle_parked(queue, lambda position, record: True, requeue=True)

    def settle_parked(self, queue: str, choose: Choose, *, requeue: bool) -> int:
        """Re-queue (as a first attempt) or drop the parked messages of `queue` for which
        `choose(position, record)` is true (position 1 is the oldest); the rest stay parked."""
        with self._cursor() as cur:
            cur.execute(
                "SELECT id, envelope::text, reason, attempt FROM parked WHERE queue = %s"
                " ORDER BY id FOR UPDATE",
                (queue,),
            )
            rows = cur.fetchall()
            chosen = [
                row[0]
                for position, row in enumerate(rows, start=1)
                if choose(
                    position, {"event": _readable(row[1]), "reason": row[2], "attempt": row[3]}
                )
            ]
            if not chosen:
                return 0
            if requeue:
                cur.execute(
                    "INSERT INTO messages (queue, routing_key, envelope)"
                    " SELECT queue, routing_key, envelope FROM parked WHERE id = ANY(%s)"
                    " ORDER BY id",
                    (chosen,),
                )
                cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, queue))
            cur.execute("DELETE FROM parked WHERE id = ANY(%s)", (chosen,))
        return len(chosen)

    def parked_queues(self) -> dict[str, int]:
        """Every queue with parked messages, and how many."""
        with self._cursor() as cur:
            cur.execute("SELECT queue, count(*) FROM parked GROUP BY queue ORDER BY queue")
            return dict(cur.fetchall())

    def depth(self, queue: str) -> int:
        with self._cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM messages WHERE queue = %s AND available_at <= now()",
                (queue,),
            )
            (ready,) = cur.fetchone() or (0,)
            return int(ready)

    def ping(self) -> bool:
        try:
            with self._cursor() as cur:
                cur.execute("SELECT 1 FROM bindings LIMIT 1")
            return True
        except (TransportError, psycopg2.Error):
            return False

    def close(self) -> None:
        with self._lock:
            self._drop()
