"""One JSON shape for every 4xx and 5xx: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging
from typing import Any

import psycopg2
from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("councils.errors")

# Stable machine-readable words for the HTTP statuses we answer with.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "unavailable",
    504: "gateway_timeout",
}


class ApiError(Exception):
    """Raised by use cases and routes; rendered in the one error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")
        self.fields = fields
        self.headers = headers or {}


def error_body(
    status: int, message: str, code: str | None = None, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code or CODES.get(status, "error"), "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten_webargs(messages: Any) -> dict[str, Any]:
    """webargs nests messages by location ({"json": {...}}); members only care about fields."""
    if not isinstance(messages, dict):
        return {"_body": messages if isinstance(messages, list) else [str(messages)]}
    fields: dict[str, Any] = {}
    for location, inner in messages.items():
        if isinstance(inner, dict):
            fields.update(inner)
        else:
            fields[location if location != "json" else "_body"] = inner
    return fields


def response_for_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    fields = None
    message = exc.description or CODES.get(status, "error")
    if "messages" in data:
        fields = _flatten_webargs(data["messages"])
        if status == 422:
            message = "The request body failed validation: see fields."
        if status == 400 and "_body" in fields:
            message = "The request body is not valid JSON."
    if status == 400 and "JSON" in str(exc.description or ""):
        message = "The request body is not valid JSON."
    body = error_body(status, message, fields=fields)
    response = jsonify(body)
    response.status_code = status
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    if status == 405 and exc.get_response().headers.get("Allow"):
        response.headers["Allow"] = exc.get_response().headers["Allow"]
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        response = jsonify(error_body(exc.status, exc.message, exc.code, exc.fields))
        response.status_code = exc.status
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        return response_for_http_exception(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return response_for_http_exception(exc)
        if isinstance(exc, psycopg2.OperationalError | psycopg2.InterfaceError):
            # The database is down or saturated: say so and let the client retry.
            log.warning("database unavailable: %s", str(exc).strip())
            response = jsonify(error_body(503, "The database is unavailable; try again shortly."))
            response.status_code = 503
            response.headers["Retry-After"] = "5"
            return response
        log.exception("unhandled error")
        response = jsonify(error_body(500, "Something went wrong on our side; it was logged."))
        response.status_code = 500
        return response
