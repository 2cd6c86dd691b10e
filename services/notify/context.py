"""What notify's use cases and handlers are given: the runtime, the settings and the clock,
built once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from services.common.db import Database
from services.common.runtime import Runtime, build_runtime
from services.notify.settings import NotifySettings, load_settings


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class NotifyContext:
    runtime: Runtime
    settings: NotifySettings
    clock: Callable[[], dt.datetime] = _now  # injectable for tests (scheduled newsletters)

    @property
    def db(self) -> Database:
        return self.runtime.db

    @property
    def transport(self):
        return self.runtime.transport


def build_context(
    runtime: Runtime | None = None, clock: Callable[[], dt.datetime] | None = None
) -> NotifyContext:
    """From the environment, or around a runtime built already (tests, devstack)."""
    if runtime is None:
        settings = load_settings()
        return NotifyContext(build_runtime("notify", settings.common), settings, clock or _now)
    settings = load_settings(runtime.settings.extra, common=runtime.settings)
    return NotifyContext(runtime, settings, clock or _now)
