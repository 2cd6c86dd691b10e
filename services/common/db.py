"""PostgreSQL through a psycopg2 pool; each service lives in its own schema of one database."""

from __future__ import annotations

import select
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.extras
from psycopg2.extensions import connection as Connection
from psycopg2.extras import RealDictCursor

psycopg2.extras.register_uuid()  # type: ignore[no-untyped-call]  # the stubs leave it untyped


class PoolTimeout(psycopg2.OperationalError):
    """Every pooled connection stayed busy for too long."""


class _Pool:
    """Idle connections kept for reuse (the caller's semaphore bounds how many exist).

    Not psycopg2's ThreadedConnectionPool: that one closes every connection given back beyond
    `minconn` (so a busy service reconnected to PostgreSQL for most transactions) and opens
    new connections while holding its lock (so one slow connect stalled every thread)."""

    def __init__(self, connect: Callable[[], Connection]) -> None:
        self._connect = connect
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def getconn(self) -> Connection:
        while True:
            with self._lock:
                if not self._idle:
                    break
                conn = self._idle.pop()  # the most recently used: warm caches, fewer idle ones
            if _alive(conn):
                return conn
            conn.close()
        return self._connect()  # outside the lock

    def discard_idle(self) -> None:
        """Close every idle connection: after one was found dead (the server restarted or
        terminated its sessions), the others very likely are too."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def putconn(self, conn: Connection, close: bool = False) -> None:
        if not close and not conn.closed:
            with self._lock:
                if not self._closed:
                    self._idle.append(conn)
                    return
        conn.close()

    def closeall(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _alive(conn: Connection) -> bool:
    """Whether an idle connection still has a server behind it, without a round trip: an idle
    connection has nothing to read unless the server closed it (or sent a notification)."""
    if conn.closed:
        return False
    try:
        readable, _, _ = select.select([conn], [], [], 0)
        if readable:
            conn.poll()  # raises if the server hung up; consumes a stray notification otherwise
    except (psycopg2.Error, OSError, ValueError):
        return False
    return not conn.closed


def _rollback_quietly(conn: Connection) -> None:
    if conn.closed:
        return
    try:
        conn.rollback()
    except psycopg2.Error:
        pass  # the connection is gone; `connection()` closes it


class Database:
    """A pool of connections whose search_path is one service's schema (then `public`)."""

    def __init__(self, dsn: str, schema: str, maxconn: int = 10) -> None:
        self.dsn = dsn
        self.schema = schema
        self._maxconn = maxconn
        self._pool: _Pool | None = None
        self._lock = threading.Lock()
        # psycopg2's pool raises when exhausted; callers wait for a free connection instead.
        self._free = threading.BoundedSemaphore(maxconn)
        self.acquire_timeout = 30.0

    def _connect_options(self) -> dict[str, Any]:
        return {"options": f"-c search_path={self.schema},public", "connect_timeout": 5}

    @property
    def pool(self) -> _Pool:
        # Lazily, so that nothing connects at import or app-factory time.
        with self._lock:
            if self._pool is None:
                self._pool = _Pool(lambda: psycopg2.connect(self.dsn, **self._connect_options()))
            return self._pool

    def connect(self) -> Connection:
        """A dedicated connection (listeners, migrations), not from the pool."""
        conn: Connection = psycopg2.connect(self.dsn, **self._connect_options())
        return conn

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        if not self._free.acquire(timeout=self.acquire_timeout):
            raise PoolTimeout(f"no free database connection within {self.acquire_timeout} s")
        try:
            conn = self.pool.getconn()
        except BaseException:
            self._free.release()
            raise
        broken = False
        try:
            yield conn
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            broken = True
            raise
        finally:
            if not broken and conn.closed:
                broken = True
            if not broken:
                try:
                    conn.rollback()
                except psycopg2.Error:
                    broken = True
            dead = conn.closed != 0
            self.pool.putconn(conn, close=broken)
            if dead:
                self.pool.discard_idle()
            self._free.release()

    @contextmanager
    def transaction(self) -> Iterator[RealDictCursor]:
        """One transaction; committed when the block ends, rolled back on any exception."""
        with self.connection() as conn:
            with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                try:
                    yield cur
                    conn.commit()
                except BaseException:
                    _rollback_quietly(conn)  # never hide the error that got us here
                    raise

    def ping(self) -> bool:
        try:
            with self.transaction() as cur:
                cur.execute("SELECT 1")
                return True
        except psycopg2.Error:
            return False

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None
