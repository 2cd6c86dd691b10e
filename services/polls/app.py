"""The polls service's app factory (gunicorn: `services.polls.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.common.revocation import DenyList
from services.common.runtime import Runtime, build_runtime
from services.common.web import create_service_app
from services.polls.api import polls_blp, proposals_blp
from services.polls.delegates_api import delegates_blp
from services.polls.service import PollsService


def create_app(runtime: Runtime | None = None, service: PollsService | None = None) -> Flask:
    runtime = runtime or build_runtime("polls")
    app = create_service_app(
        runtime.settings,
        title="Councils polls",
        blueprints=[polls_blp, proposals_blp, delegates_blp],
        readiness={"database": runtime.db.ping},
        observed={"bus": runtime.bus_ready},
    )
    app.extensions["polls_runtime"] = runtime
    app.extensions["deny_list"] = DenyList(runtime.db)  # revoked sessions, suspended members
    app.extensions["polls_service"] = service or PollsService(runtime)
    return app
