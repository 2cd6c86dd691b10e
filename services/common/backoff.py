"""One back-off for every reconnect loop (bus transports, relay, consumers, workers, SMTP):
growing, capped at a few seconds, with jitter so that a fleet does not reconnect in step."""

from __future__ import annotations

import random
import threading

from services.common import liveness

RECONNECT = (0.2, 3.0)  # an election night wants reconnections within a few seconds


def retry_delay(attempt: int, base: float, cap: float) -> float:
    """The wait after failed attempt number `attempt` (1-based): `base` doubled each time, up
    to `cap`. For retry schedules kept with the work (a message, a delivery row) rather than in
    a loop, which uses `Backoff`."""
    return min(cap, base * (1 << max(0, attempt - 1)))


class Backoff:
    """`wait(stop)` sleeps the current delay (or until `stop` is set) and doubles it up to
    `cap`; `reset()` after a success. `delay` is what the next wait will sleep, for logs."""

    def __init__(
        self, base: float = RECONNECT[0], cap: float = RECONNECT[1], jitter: float = 0.2
    ) -> None:
        if base <= 0 or cap < base:
            raise ValueError("a back-off needs 0 < base <= cap")
        self.base = base
        self.cap = cap
        self.jitter = jitter
        self._next = base
        self.failures = 0

    @property
    def delay(self) -> float:
        return self._next

    def reset(self) -> None:
        self._next = self.base
        self.failures = 0

    def wait(self, stop: threading.Event | None = None) -> bool:
        """Sleep the current delay; True when `stop` was set meanwhile."""
        delay = self._next * (1 + random.uniform(-self.jitter, self.jitter))
        self._next = min(self.cap, self._next * 2)
        self.failures += 1
        liveness.beat(delay + liveness.DEFAULT_WITHIN_S)  # waiting on purpose is not a stall
        if stop is None:
            threading.Event().wait(delay)
            return False
        return stop.wait(delay)
