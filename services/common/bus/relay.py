"""The outbox relay: publishes a service's unsent outbox rows, with confirms, then marks them."""

from __future__ import annotations

import logging
import threading
import time

import psycopg2

from services.common import liveness
from services.common.backoff import RECONNECT, Backoff
from services.common.bus.metrics import OUTBOX_BACKLOG, RELAY_LAG
from services.common.bus.transport import Transport, TransportError
from services.common.db import Database

log = logging.getLogger("councils.bus.relay")


class Relay:
    """Moves events from the `outbox` of `db`'s schema to `transport`.

    At least once: rows are marked sent in the same transaction that locked them, after the
    transport confirmed them; if publishing fails nothing is marked and the batch goes again.
    Rows are locked `FOR UPDATE SKIP LOCKED`, so several relays never send the same row twice
    (but then order holds only within each relay's batches).
    """

    def __init__(
        self,
        db: Database,
        transport: Transport,
        batch_size: int = 500,
        *,
        poll_s: float = 0.2,
        backoff: tuple[float, float] = RECONNECT,
        retention_s: float = 7 * 86400,
        prune_every_s: float = 600.0,
    ) -> None:
        self.db = db
        self.transport = transport
        self.batch_size = batch_size
        self.poll_s = poll_s
        self.backoff = backoff
        self.retention_s = retention_s
        self.prune_every_s = prune_every_s
        self.measure_every_s = 5.0

    def relay_once(self) -> int:
        """Publish one batch of unsent events; returns how many were published."""
        with self.db.transaction() as cur:
            # Claim and mark in one statement; the outer `sent_at IS NULL` is re-checked against
            # the latest row version, which the partial index scan below alone does not promise
            # (PostgreSQL drops quals implied by a partial index from its recheck), so two relays
            # never take the same row. A failed publish rolls the marks back.
            cur.execute(
                "UPDATE outbox SET sent_at = now()"
                " WHERE seq IN (SELECT seq FROM outbox WHERE sent_at IS NULL"
                "               ORDER BY seq LIMIT %s FOR UPDATE SKIP LOCKED)"
                " AND sent_at IS NULL RETURNING seq, envelope",
                (self.batch_size,),
            )
            rows = sorted(cur.fetchall(), key=lambda row: row["seq"])
            if not rows:
                return 0
            self.transport.publish([row["envelope"] for row in rows])
        log.debug(
            "relayed %d events from %s",
            len(rows),
            self.db.schema,
            extra={"schema": self.db.schema, "count": len(rows)},
        )
        return len(rows)

    def measure(self) -> tuple[int, float]:
        """(unsent rows, age in seconds of the oldest), also set as metrics."""
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT count(*) AS n,"
                " coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS lag"
                " FROM outbox WHERE sent_at IS NULL"
            )
            row = cur.fetchone()
        assert row is not None  # an aggregate query returns one row
        OUTBOX_BACKLOG.labels(self.db.schema).set(row["n"])
        RELAY_LAG.labels(self.db.schema).set(row["lag"])
        return row["n"], row["lag"]

    def prune(self) -> int:
        """Delete rows sent longer than `retention_s` ago; returns how many."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => %s)",
                (self.retention_s,),
            )
            deleted: int = cur.rowcount
            return deleted

    def run(self, stop_event: threading.Event) -> None:
        """Relay until `stop_event` is set, backing off while the transport or database is down."""
        backoff = Backoff(*self.backoff)
        next_prune = time.monotonic()
        failing = False
        log.info("relaying the outbox of %s to %r", self.db.schema, self.transport)
        next_gauge = 0.0
        while not stop_event.is_set():
            liveness.beat()
            try:
                sent = self.relay_once()
                if time.monotonic() >= next_gauge:
                    self.measure()
                    next_gauge = time.monotonic() + self.measure_every_s
                if time.monotonic() >= next_prune:
                    self.prune()
                    next_prune = time.monotonic() + self.prune_every_s
            except (TransportError, psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
                log.warning(
                    "relay of %s failed, retrying in %.1fs: %s",
                    self.db.schema,
                    backoff.delay,
                    str(exc).strip(),
                    extra={"schema": self.db.schema},
                )
                failing = True
                backoff.wait(stop_event)
                continue
            if failing:
                log.info("relay of %s recovered", self.db.schema)
                failing = False
            backoff.reset()
            if sent < self.batch_size:
                self.transport.keepalive()  # an idle publisher's connection must not time out
                stop_event.wait(self.poll_s)
