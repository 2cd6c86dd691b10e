"""The composition root of one process: settings, database pool and event transport."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from services.common.config import Settings, load_settings
from services.common.db import Database

if TYPE_CHECKING:
    from services.common.bus.transport import Transport


@dataclass
class Runtime:
    settings: Settings
    db: Database
    _transport: Transport | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def transport(self) -> Transport:
        """The event transport, connected on first use (never at import or app creation)."""
        with self._lock:
            if self._transport is None:
                from services.common.bus import transport_from_settings

                self._transport = transport_from_settings(self.settings)
            return self._transport

    def bus_ready(self) -> bool:
        ping = getattr(self.transport, "ping", None)
        return bool(ping()) if ping else True

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
        self.db.close()


def build_runtime(service: str, settings: Settings | None = None) -> Runtime:
    settings = settings or load_settings(service)
    return Runtime(
        settings=settings, db=Database(settings.database_url, settings.schema, settings.db_pool_max)
    )
