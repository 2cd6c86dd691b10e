"""/livez, /readyz and /metrics for every process."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Blueprint, Flask, Response, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

REQUESTS = Counter(
    "councils_http_requests_total", "HTTP requests answered", ["service", "method", "status"]
)
LATENCY = Histogram(
    "councils_http_request_seconds", "HTTP request latency", ["service", "method"]
)


def health_blueprint(service: str, checks: dict[str, Callable[[], bool]]) -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/livez")
    def livez():
        return jsonify({"status": "alive", "service": service})

    @bp.get("/readyz")
    def readyz():
        results = {}
        for name, check in checks.items():
            try:
                results[name] = "ok" if check() else "down"
            except Exception:  # noqa: BLE001 - a failing probe is a "down", never a 500
                results[name] = "down"
        ready = all(v == "ok" for v in results.values())
        body = {"status": "ready" if ready else "not_ready", "service": service, "checks": results}
        if not ready:
            body["error"] = {"code": "unavailable", "message": "A dependency is unreachable."}
        return jsonify(body), (200 if ready else 503)

    @bp.get("/metrics")
    def metrics():
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)

    return bp


def instrument(app: Flask, service: str) -> None:
    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.get("_started")
        if started is not None and request.path != "/metrics":
            LATENCY.labels(service, request.method).observe(time.perf_counter() - started)
            REQUESTS.labels(service, request.method, str(response.status_code)).inc()
        return response
