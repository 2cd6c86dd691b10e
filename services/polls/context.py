"""What every use case of polls takes first: the runtime, the settings, the clock and the
per-process cache of open polls' questions."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.common.runtime import Runtime, build_runtime
from services.polls.settings import PollsSettings, from_common

DEFINITIONS_CACHED = 256  # open polls whose questions a process keeps


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Definitions:
    """Open polls' questions and padded ballot size, least recently used dropped first: they
    never change once the poll is created."""

    def __init__(self, size: int = DEFINITIONS_CACHED) -> None:
        self.size = size
        self._known: OrderedDict[str, tuple[list[dict], int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, poll_id: Any) -> tuple[list[dict], int] | None:
        key = str(poll_id)
        with self._lock:
            known = self._known.get(key)
            if known is not None:
                self._known.move_to_end(key)
            return known

    def put(self, poll_id: Any, known: tuple[list[dict], int]) -> None:
        with self._lock:
            self._known[str(poll_id)] = known
            while len(self._known) > self.size:
                self._known.popitem(last=False)

    def forget(self, poll_id: Any) -> None:
        with self._lock:
            self._known.pop(str(poll_id), None)


@dataclass
class PollsContext:
    runtime: Runtime
    settings: PollsSettings
    clock: Callable[[], dt.datetime] = _now  # injectable for tests
    definitions: Definitions = field(default_factory=Definitions)

    @property
    def db(self) -> Any:
        return self.runtime.db

    @property
    def transport(self) -> Any:
        return self.runtime.transport

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """SECRET_KEY, then the previous ones (polls opened before a rotation)."""
        return self.settings.common.secret_keys


def build_context(
    runtime: Runtime | None = None, clock: Callable[[], dt.datetime] | None = None
) -> PollsContext:
    runtime = runtime or build_runtime("polls")
    return PollsContext(runtime, from_common(runtime.settings), clock or _now)
