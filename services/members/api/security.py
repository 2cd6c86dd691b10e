"""How the routes document that they need a bearer token."""

from __future__ import annotations

import functools

from services.common.auth import login_required

BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def authenticated(view):
    """login_required, documented as needing a bearer token."""
    wrapped = login_required(view)
    wrapped = functools.wraps(view)(wrapped)
    doc = getattr(wrapped, "_apidoc", {})
    doc.setdefault("manual_doc", {})["security"] = BEARER
    wrapped._apidoc = doc  # type: ignore[attr-defined]  # flask-smorest's documentation slot
    return wrapped
