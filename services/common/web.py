"""The Flask scaffolding every service shares: API with OpenAPI, errors, ids, health, limits."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import marshmallow as ma
from flask import Flask, Response, g, request
from flask_smorest import Api, Blueprint
from flask_smorest.spec.plugins import FlaskPlugin
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from services.common.auth import current_identity, public_keys
from services.common.config import Settings
from services.common.errors import register_error_handlers, response_for_http_exception
from services.common.health import health_blueprint, instrument
from services.common.jsonlimits import refuse_deep_json, refuse_unstorable_text
from services.common.logs import configure_logging, request_id_var
from services.common.redact import loggable_path
from services.common.text import MultiLine, OneLine

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
access_log = logging.getLogger("councils.access")


class ErrorDetailSchema(ma.Schema):
    code = OneLine(required=True, metadata={"description": "Machine-readable code."})
    message = MultiLine(required=True, metadata={"description": "For people."})
    fields = ma.fields.Dict(  # type: ignore[assignment]  # named as in the error shape
        metadata={"description": "Messages per field, when a field is at fault."}
    )


class ErrorSchema(ma.Schema):
    """The one error shape (services/common/errors.py error_body), as documented."""

    error = ma.fields.Nested(ErrorDetailSchema, required=True)


class PrintableString(BaseConverter):
    """The default `<name>` / `<string:name>` path part, minus control characters: a path with
    one (`%00`, `%0A`) matches no route and is a 404, never text a view passes to the
    database."""

    regex = "[^/\x00-\x1f\x7f-\x9f]+"


class CouncilsApi(Api):  # type: ignore[misc]  # flask-smorest ships no type information
    """flask-smorest's Api with its error handler answering in the one error shape."""

    ERROR_SCHEMA = ErrorSchema  # documents the `default` error response as it really is

    # Overrides smorest's default.
    def handle_http_exception(self, error: HTTPException) -> Response:  # noqa: D102
        return response_for_http_exception(error)


def begin_request() -> None:
    """Take the caller's request id (or make one) for logs and events, and start the clock."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    request_id_var.set(g.request_id)
    g._t0 = time.perf_counter()


def _request_ids(app: Flask) -> None:
    app.before_request(begin_request)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if request.path not in ("/livez", "/readyz", "/metrics"):
            log_access(access_log, response)
        return response


def log_access(logger: logging.Logger, response: Response) -> None:
    """One line on `logger` for the request just answered: its method, its path as
    services/common/redact.py allows (never a receipt), the status and the time it took."""
    path = loggable_path(request)
    logger.info(
        "%s %s %s",
        request.method,
        path,
        response.status_code,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - g.get("_t0", 0.0)) * 1000, 1),
        },
    )


def secured_operations(app: Flask, api: Api) -> dict[tuple[str, str], bool]:
    """(endpoint, METHOD) -> whether the operation's OpenAPI document declares a security
    requirement: the same truth the gateway reads (gateway/aggregate.py SecurityTable)."""
    document = api.spec.to_dict()
    default = bool(document.get("security"))
    paths = document.get("paths", {})
    table: dict[tuple[str, str], bool] = {}
    for rule in app.url_map.iter_rules():
        item = paths.get(FlaskPlugin.flaskpath2openapi(rule.rule)) or {}
        for method in rule.methods or ():
            operation = item.get("get" if method == "HEAD" else method.lower())
            if not isinstance(operation, dict):
                continue
            security = operation.get("security")
            table[(rule.endpoint, method)] = (
                default if security is None else any(bool(requirement) for requirement in security)
            )
    return table


def _authentication_first(app: Flask, api: Api) -> None:
    """A route whose operation declares a security requirement answers 401 before anything
    else: flask-smorest parses `@blp.arguments` before the view (and its login_required) runs,
    so without this a call with no token and a bad body would get a 422 instead."""
    table: dict[tuple[str, str], bool] = {}

    @app.before_request
    def _authenticate_first() -> None:
        if not table:
            table.update(secured_operations(app, api) or {("", ""): False})
        if request.endpoint and table.get((request.endpoint, request.method)):
            current_identity(app.config.get("JWT_PUBLIC_KEY"))


def create_service_app(
    settings: Settings,
    *,
    title: str,
    blueprints: Iterable[Blueprint],
    readiness: dict[str, Callable[[], bool]],
    observed: dict[str, Callable[[], bool]] | None = None,
    config: dict[str, Any] | None = None,
) -> Flask:
    """A Flask app with the shared behaviour; the service adds its own blueprints."""
    if settings.jwt_public_key:
        public_keys(settings.jwt_public_key)  # a bad JWT_PUBLIC_KEY stops the process at start
    app = Flask(settings.service)
    if not logging.getLogger().handlers:
        # Under gunicorn nothing has configured logging yet: structured JSON on stderr.
        configure_logging(settings.service)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        JWT_PUBLIC_KEY=settings.jwt_public_key,
        SETTINGS=settings,
    )
    app.config.update(config or {})
    app.url_map.converters["default"] = app.url_map.converters["string"] = PrintableString
    api = CouncilsApi(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            }
        },
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.register_blueprint(health_blueprint(settings.service, readiness, observed))
    register_error_handlers(app)
    _request_ids(app)
    app.before_request(refuse_deep_json)
    _authentication_first(app, api)
    app.before_request(refuse_unstorable_text)
    instrument(app, settings.service)
    app.extensions["councils_api"] = api
    return app
