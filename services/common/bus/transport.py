"""What an event transport offers, whatever carries the events (RabbitMQ or PostgreSQL).

Semantics shared by every transport (checked by one contract test suite):

- `publish(events)` returns only once the transport has durably accepted every event and fanned
  it out to every queue bound with a matching pattern; otherwise it raises `TransportError`
  and the caller must assume none was accepted (some may have been: delivery is at least once).
- `declare(queue, patterns)` makes a durable queue, bound with AMQP topic patterns (`*` one
  word, `#` zero or more words), plus its retry and parking arrangements. Bindings are added,
  never removed.
- `consume(queue, callback, prefetch=..., stop_event=...)` blocks, calling `callback(delivery)`
  for each message until `stop_event` is set; it reconnects by itself with growing, capped
  back-off when the connection is lost. Every delivery must end in `ack()`, `retry(delay_s)`
  or `park(reason)`. If the callback raises, `consume` drops its connection (or lease) and
  re-raises: the unacknowledged deliveries come back later (RabbitMQ: at once; PostgreSQL: when
  their lease expires).
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"^[A-Za-z0-9_-]+$")


class TransportError(RuntimeError):
    """The transport could not do what was asked (unreachable, refused, not confirmed)."""


class Delivery(ABC):
    """One message handed to a consumer."""

    queue: str
    event: dict[str, Any]
    attempt: int  # 1 for the first delivery, +1 for each retry

    @abstractmethod
    def ack(self) -> None:
        """Done with it: remove it from the queue."""

    @abstractmethod
    def retry(self, delay_s: float) -> None:
        """Deliver it again in about `delay_s` seconds with `attempt + 1`."""

    @abstractmethod
    def park(self, reason: str) -> None:
        """Move it to the queue's parking place, with `reason`, for a person to look at."""


Callback = Callable[[Delivery], None]
Choose = Callable[[int, dict[str, Any]], bool]  # (position from 1, parked record) -> pick it?


class Transport(ABC):
    """Durable topic routing with ack, retry and parking."""

    queue_prefix: str = ""

    @abstractmethod
    def publish(self, events: list[dict[str, Any]]) -> None: ...

    @abstractmethod
    def declare(self, queue: str, patterns: list[str]) -> None: ...

    @abstractmethod
    def consume(
        self,
        queue: str,
        callback: Callback,
        *,
        prefetch: int = 10,
        stop_event: threading.Event,
    ) -> None: ...

    @abstractmethod
    def parked(self, queue: str) -> list[dict[str, Any]]:
        """Parked messages of `queue`, oldest first, left in place:
        `[{"event": {...}, "reason": str, "attempt": int}]`."""

    @abstractmethod
    def depth(self, queue: str) -> int:
        """Messages of `queue` ready for delivery now (not delayed, not being handled)."""

    @abstractmethod
    def ping(self) -> bool:
        """Whether the transport is reachable (for readiness probes)."""

    @abstractmethod
    def close(self) -> None: ...

    def keepalive(self) -> None:
        """Called by an idle publisher now and then: answer heartbeats, so that the broker does
        not drop a connection that merely had nothing to send (a no-op where nothing needs it)."""
        return None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def check_pattern(pattern: str) -> str:
    """`pattern` if it is a valid binding pattern (words, `*` and `#` joined by dots)."""
    words = pattern.split(".")
    if not all(w in ("*", "#") or _WORD.match(w) for w in words):
        raise ValueError(f"invalid topic pattern {pattern!r}")
    return pattern


@lru_cache(maxsize=1024)
def pattern_regex(pattern: str) -> str:
    """A regular expression (POSIX ARE and Python alike) matching `"." + routing_key` exactly
    when `pattern` matches `routing_key` under AMQP topic exchange rules."""
    parts = []
    for word in check_pattern(pattern).split("."):
        if word == "#":
            parts.append(r"(\.[^.]*)*")
        elif word == "*":
            parts.append(r"\.[^.]*")
        else:
            parts.append(r"\." + word)
    return "^" + "".join(parts) + "$"


def topic_matches(pattern: str, routing_key: str) -> bool:
    """Whether a queue bound with `pattern` receives messages sent with `routing_key`."""
    return re.match(pattern_regex(pattern), "." + routing_key) is not None
