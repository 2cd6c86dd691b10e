"""The notify service's app factory: `gunicorn 'services.notify.app:create_app()'`."""

from __future__ import annotations

from flask import Flask

from services.common.revocation import DenyList
from services.common.runtime import Runtime, build_runtime
from services.common.web import create_service_app
from services.notify.api import newsletters, notifications, unsubscribe


def create_app(runtime: Runtime | None = None) -> Flask:
    runtime = runtime or build_runtime("notify")
    app = create_service_app(
        runtime.settings,
        title="Councils notify",
        blueprints=[notifications, unsubscribe, newsletters],
        readiness={"database": runtime.db.ping},
        observed={"bus": runtime.bus_ready},
    )
    app.extensions["notify_runtime"] = runtime
    app.extensions["deny_list"] = DenyList(runtime.db)  # revoked sessions, suspended members
    return app
