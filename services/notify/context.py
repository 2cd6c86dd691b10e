"""What notify's use cases and handlers are given: the runtime and the settings, built once."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.db import Database
from services.common.runtime import Runtime, build_runtime
from services.notify.settings import NotifySettings, load_settings


@dataclass
class NotifyContext:
    runtime: Runtime
    settings: NotifySettings

    @property
    def db(self) -> Database:
        return self.runtime.db

    @property
    def transport(self):
        return self.runtime.transport


def build_context(runtime: Runtime | None = None) -> NotifyContext:
    """From the environment, or around a runtime built already (tests, devstack)."""
    if runtime is None:
        settings = load_settings()
        return NotifyContext(build_runtime("notify", settings.common), settings)
    return NotifyContext(runtime, load_settings(runtime.settings.extra, common=runtime.settings))
