"""The security headers every answer of the gateway carries: API, pages and static files alike."""

from __future__ import annotations

from flask import Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
HSTS = "max-age=31536000; includeSubDomains"


def secure(response: Response, https: bool) -> Response:
    """Add the headers a response lacks; Strict-Transport-Security only when served over TLS."""
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    if https:
        response.headers["Strict-Transport-Security"] = HSTS
    return response
