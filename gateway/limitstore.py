"""The gateway's in-memory rate-limit storage: `limits`' MemoryStorage, swept less often.

`limits.storage.MemoryStorage` restarts a `threading.Timer(0.01)` on every hit whose previous
timer has run, and each timer walks every key it holds: with one key per member and per address
that is a new thread and a scan of all keys up to a hundred times a second in every gateway
worker, under load. Counters are checked for expiry when they are read anyway (`get`), so the
sweep only frees memory: once a second is plenty.
"""

from __future__ import annotations

import threading

from limits.storage import MemoryStorage

SCHEME = "gateway-memory"
SWEEP_S = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = [SCHEME]  # registered with `limits` by its metaclass

    # MemoryStorage.incr/decr call `self.__schedule_expiry()`, name-mangled to this.
    def _MemoryStorage__schedule_expiry(self) -> None:
        sweep = getattr(self, "_MemoryStorage__expire_events", None)
        if sweep is None:  # another `limits` release: its own schedule
            MemoryStorage._MemoryStorage__schedule_expiry(self)  # type: ignore[attr-defined]
            return
        if not self.timer.is_alive():
            self.timer = threading.Timer(SWEEP_S, sweep)
            self.timer.daemon = True
            self.timer.start()


def storage_uri(configured: str) -> str:
    """`memory://` becomes this storage; any other storage (redis://...) is left as given."""
    if configured.startswith("memory://"):
        return SCHEME + configured[len("memory") :]
    return configured
