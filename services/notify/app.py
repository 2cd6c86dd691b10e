"""The notify service's app factory: `gunicorn 'services.notify.app:create_app()'`."""

from __future__ import annotations

from flask import Flask

from services.common.requests import CONTEXT_KEY
from services.common.revocation import DenyList
from services.common.runtime import Runtime
from services.common.web import create_service_app
from services.notify.api import BLUEPRINTS
from services.notify.context import NotifyContext, build_context


def create_app(runtime: Runtime | None = None, ctx: NotifyContext | None = None) -> Flask:
    ctx = ctx or build_context(runtime)
    app = create_service_app(
        ctx.settings.common,
        title="Councils notify",
        blueprints=BLUEPRINTS,
        readiness={"database": ctx.db.ping},
        observed={"bus": ctx.runtime.bus_ready},
    )
    app.extensions[CONTEXT_KEY] = ctx
    app.extensions["deny_list"] = DenyList(ctx.db)  # revoked sessions, suspended members
    return app
