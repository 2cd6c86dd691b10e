"""Serving the web front end from the gateway: everything but the gateway's own paths.

`mount(gateway_app)` wraps the gateway's WSGI app so that /api/..., /healthz, /livez, /readyz and
/metrics stay with the gateway and every other path goes to the web app (paths unchanged).
"""

from __future__ import annotations

from flask import Flask

from gateway.web.app import WebSettings, create_web_app

GATEWAY_PATHS = ("/api/", "/healthz", "/livez", "/readyz", "/metrics")


def is_gateway_path(path: str) -> bool:
    return path == "/api" or path.startswith(GATEWAY_PATHS)


def mount(gateway_app: Flask, settings: WebSettings | None = None) -> Flask:
    """Route non-API paths of `gateway_app` to the web app; returns the web app."""
    web = create_web_app(settings)
    api_wsgi = gateway_app.wsgi_app

    def dispatch(environ, start_response):
        if is_gateway_path(environ.get("PATH_INFO", "")):
            return api_wsgi(environ, start_response)
        return web.wsgi_app(environ, start_response)

    gateway_app.wsgi_app = dispatch
    gateway_app.extensions["web"] = web
    return web


def create_gateway_with_web():
    """gunicorn target for trying the pages before gateway/app.py mounts them itself:
    `gunicorn 'gateway.web.mount:create_gateway_with_web()'`."""
    from gateway.app import create_app

    app = create_app()
    mount(app)
    return app


def serve_standalone(gateway_url: str, port: int = 0, host: str = "127.0.0.1"):
    """The web app alone in a thread (werkzeug), calling the gateway at `gateway_url` over
    HTTP: for tests against a stack whose gateway does not serve the pages yet.
    Returns (server, url); call server.shutdown() to stop it."""
    import os
    import threading

    from werkzeug.serving import make_server

    settings = WebSettings(secret_key=os.environ.get("SECRET_KEY") or os.urandom(24).hex(),
                           gateway_url=gateway_url)
    server = make_server(host, port, create_web_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="web")
    thread.start()
    return server, f"http://{host}:{server.server_port}"
