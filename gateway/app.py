"""The API edge: routing by prefix, auth at the edge, limits, OpenAPI, health.

`gateway/wsgi.py` mounts it together with the web front end into the one HTTP entry point.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import NotFound

from gateway import clientip, routes
from gateway.aggregate import OpenApiMerger, readiness
from gateway.config import GatewaySettings, load_gateway_settings
from gateway.headers import secure
from gateway.proxy import Upstreams, forward, make_session
from gateway.ratelimit import EdgeLimits
from gateway.tokencache import TokenCache
from services.common.auth import bearer_token
from services.common.errors import ApiError, register_error_handlers
from services.common.health import instrument
from services.common.jsonlimits import refuse_deep_json
from services.common.logs import configure_logging
from services.common.web import begin_request, log_access

log = logging.getLogger("councils.gateway")


def _client_ip() -> str:
    """The client's address as resolved at the edge (gateway/clientip.py)."""
    return g.get("client_ip") or request.remote_addr or "unknown"


def create_app(settings: GatewaySettings | None = None) -> Flask:
    settings = settings or load_gateway_settings()
    app = Flask("gateway")
    if not logging.getLogger().handlers:
        # Under gunicorn nothing has configured logging yet: structured JSON on stderr.
        configure_logging("gateway")
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, GATEWAY=settings)
    session = make_session()  # health and OpenAPI fetches
    upstreams = Upstreams(
        settings.service_urls, timeout=(settings.connect_timeout, settings.read_timeout)
    )
    merger = OpenApiMerger(session, settings.service_urls)
    _edge_hooks(
        app,
        settings,
        merger,
        TokenCache(settings.jwt_public_key) if settings.jwt_public_key else None,
    )
    _edge_routes(app, settings, session, upstreams, merger)
    register_error_handlers(app)
    instrument(app, "gateway")
    return app


def _edge_hooks(
    app: Flask, settings: GatewaySettings, merger: OpenApiMerger, tokens: TokenCache | None
) -> None:
    """Before every request: the client's address, the token, the limits; after: headers."""
    trusted = clientip.parse_networks(settings.trusted_proxies)
    limits = EdgeLimits(
        settings.rate_limit_storage, settings.rate_limit_ip, settings.rate_limit_member
    )

    @app.before_request
    def _edge():
        begin_request()
        g.client_ip, g.forwarded_for = clientip.resolve(
            request.headers.get("X-Forwarded-For"),
            request.remote_addr,
            settings.trusted_proxy_hops,
            trusted,
        )
        if not request.path.startswith("/api/"):
            return
        # A token that is present must be valid before any service is called; an operation
        # the OpenAPI document marks as needing one is refused without it.
        token = bearer_token()
        if token is not None:
            if tokens is None:
                raise ApiError(503, "Token verification is not configured (JWT_PUBLIC_KEY).")
            g.identity = tokens.verify(token)  # verified once per token while unexpired
        elif request.method != "OPTIONS" and merger.requires_token(request.method, request.path):
            raise ApiError(401, "Authentication required: send Authorization: Bearer <token>.")
        # After the token, so that the limit per member sees the verified identity.
        identity = g.get("identity")
        g.rate = verdict = limits.check(_client_ip(), identity.member_id if identity else None)
        if verdict is not None and not verdict.allowed:
            raise ApiError(
                429,
                f"Too many requests: limit {verdict.description}.",
                headers={**verdict.headers(), "Retry-After": str(verdict.retry_after())},
            )
        refuse_deep_json()

    @app.after_request
    def _headers(response: Response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        verdict = g.get("rate")
        if verdict is not None and verdict.allowed:
            response.headers.update(verdict.headers())
        secure(response, settings.behind_tls)
        origin = request.headers.get("Origin")
        if origin and origin in settings.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            response.headers["Access-Control-Allow-Headers"] = (
                "Authorization, Content-Type, Idempotency-Key, X-Request-ID"
            )
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        if request.path.startswith("/api/"):
            log_access(log, response)
        return response


def _edge_routes(
    app: Flask, settings: GatewaySettings, session, upstreams: Upstreams, merger: OpenApiMerger
) -> None:
    """Health, the merged OpenAPI document and the API itself, forwarded by prefix."""

    @app.get("/livez")
    def livez():
        return jsonify({"status": "alive", "service": "gateway"})

    @app.get("/readyz")
    def readyz():
        return jsonify({"status": "ready", "service": "gateway"})

    @app.get("/healthz")
    def healthz():
        states = readiness(session, settings.service_urls)
        healthy = all(s["status"] == "ready" for s in states.values())
        body = {"status": "healthy" if healthy else "unhealthy", "services": states}
        if not healthy:
            body["error"] = {"code": "unavailable", "message": "Some services are not ready."}
        return jsonify(body), (200 if healthy else 503)

    @app.get("/api/v1/openapi.json")
    def openapi():
        return jsonify(merger.document())

    @app.route("/api/v1/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    def api(rest: str):
        service = routes.service_for(request.path)
        if service is None:
            raise NotFound(f"No API route {request.path}.")
        if request.method == "OPTIONS":
            return Response(status=204)
        return forward(upstreams.pool(service))
