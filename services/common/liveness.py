"""Heartbeats of a worker's loops: each loop promises to beat again within some seconds; a loop
that breaks its promise is stalled (hung on a lock, a socket without timeout, a livelock), and
the worker's /livez says so, so that Kubernetes restarts the process."""

from __future__ import annotations

import threading
import time

DEFAULT_WITHIN_S = 120.0
_deadlines: dict[str, float] = {}
_lock = threading.Lock()


def beat(within_s: float = DEFAULT_WITHIN_S) -> None:
    """The calling thread's loop is making progress and will beat again within `within_s`."""
    with _lock:
        _deadlines[threading.current_thread().name] = time.monotonic() + within_s


def forget() -> None:
    """The calling thread's loop ended on purpose: stop expecting its beats."""
    with _lock:
        _deadlines.pop(threading.current_thread().name, None)


def stalled() -> list[str]:
    """Names of the loops whose promised beat is overdue."""
    now = time.monotonic()
    with _lock:
        return sorted(name for name, deadline in _deadlines.items() if deadline < now)


def tracked() -> list[str]:
    with _lock:
        return sorted(_deadlines)
