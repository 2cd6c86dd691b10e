"""The composition root: the gateway's one WSGI app, the API edge and the web front end side by
side. Neither knows the other; only this module imports both.

gunicorn target: `gateway.wsgi:create_app()` (make run, the container's CMD, the k8s Deployment).
The edge keeps /api/..., /healthz, /livez, /readyz and /metrics; every other path goes to the
web app, paths unchanged.
"""

from __future__ import annotations

from flask import Flask

from gateway.app import create_app as create_edge
from gateway.config import GatewaySettings
from gateway.web import WebSettings, create_web_app

GATEWAY_PATHS = ("/api/", "/healthz", "/livez", "/readyz", "/metrics")


def is_gateway_path(path: str) -> bool:
    return path == "/api" or path.startswith(GATEWAY_PATHS)


def mount(edge: Flask, web: Flask) -> Flask:
    """Route the paths that are not the edge's to `web`; returns `edge`, now serving both."""
    api_wsgi = edge.wsgi_app

    def dispatch(environ, start_response):
        if is_gateway_path(environ.get("PATH_INFO", "")):
            return api_wsgi(environ, start_response)
        return web.wsgi_app(environ, start_response)

    edge.wsgi_app = dispatch  # type: ignore[method-assign]
    edge.extensions["web"] = web
    return edge


def create_app(
    settings: GatewaySettings | None = None, web_settings: WebSettings | None = None
) -> Flask:
    """The gateway as deployed: the API edge with the web front end mounted beside it."""
    return mount(create_edge(settings), create_web_app(web_settings))
