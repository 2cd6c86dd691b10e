"""What every service's routes ask of the request, written once.

- `context()`: the service's use-case context, put on the app at its composition root
  (`app.extensions["councils.context"]`).
- `identity()` / `optional_identity()`: the caller, from the bearer token (401 if required and
  absent or bad).
- `request_id()`: this request's id, echoed in responses, logs and the events it causes.
- `client_address()`: the client's address as the gateway resolved it (`CLIENT_ADDRESS_HEADER`,
  which the gateway strips from incoming requests and sets itself), else the peer's address.
- `wants_html()` / `html_page()`: links in mail open pages; API clients keep JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from flask import Response, current_app, g, request

from services.common.auth import Identity, bearer_token, current_identity

CONTEXT_KEY = "councils.context"
CLIENT_ADDRESS_HEADER = "X-Councils-Client-Address"


def context() -> Any:
    return current_app.extensions[CONTEXT_KEY]


def identity() -> Identity:
    return current_identity(current_app.config.get("JWT_PUBLIC_KEY"))


def optional_identity() -> Identity | None:
    return identity() if bearer_token() else None


def request_id() -> str | None:
    value: str | None = g.get("request_id")
    return value


def client_address() -> str | None:
    return request.headers.get(CLIENT_ADDRESS_HEADER, "").strip() or request.remote_addr


def wants_html() -> bool:
    """True when the caller (a browser following a link in mail) prefers HTML over JSON."""
    accept = request.accept_mimetypes
    best = accept.best_match(["application/json", "text/html"])
    return best == "text/html" and accept["text/html"] > accept["application/json"]


def html_page(
    title: str,
    message: str,
    status: int = 200,
    *,
    button: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> Response:
    """A minimal page; with `button`, a form posting `fields` back to the same URL (a link in
    mail asks before it acts: mail scanners follow links)."""
    form = ""
    if button:
        inputs = "".join(
            f"<input type='hidden' name='{escape(name)}' value='{escape(value)}'>"
            for name, value in (fields or {}).items()
        )
        form = f"<form method='post'>{inputs}<button type='submit'>{escape(button)}</button></form>"
    body = (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(title)}</title>"
        f"<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<body style='font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em'>"
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>{form}</body></html>"
    )
    return Response(body, status=status, mimetype="text/html")
