"""The polls service's app factory (gunicorn: `services.polls.app:create_app()`): the
composition root of the API, building the context once."""

from __future__ import annotations

from flask import Flask

from services.common.requests import CONTEXT_KEY
from services.common.revocation import DenyList
from services.common.runtime import Runtime
from services.common.web import create_service_app
from services.polls.api import BLUEPRINTS
from services.polls.context import PollsContext, build_context


def create_app(runtime: Runtime | None = None, ctx: PollsContext | None = None) -> Flask:
    ctx = ctx or build_context(runtime)
    runtime = ctx.runtime
    app = create_service_app(
        runtime.settings,
        title="Councils polls",
        blueprints=BLUEPRINTS,
        readiness={"database": runtime.db.ping},
        observed={"bus": runtime.bus_ready},
    )
    app.extensions[CONTEXT_KEY] = ctx
    app.extensions["deny_list"] = DenyList(runtime.db)  # revoked sessions, suspended members
    return app
