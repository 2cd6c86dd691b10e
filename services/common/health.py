"""/livez, /readyz and /metrics for every process."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Blueprint, Flask, Response, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

REQUESTS = Counter(
    "councils_http_requests_total", "HTTP requests answered", ["service", "method", "status"]
)
LATENCY = Histogram("councils_http_request_seconds", "HTTP request latency", ["service", "method"])


DEPENDENCY_UP = Gauge(
    "councils_dependency_up",
    "Whether a dependency answered the last probe (1) or not (0)",
    ["service", "dependency"],
)


def _probe(service: str, checks: dict[str, Callable[[], bool]]) -> dict[str, str]:
    results = {}
    for name, check in checks.items():
        try:
            ok = bool(check())
        except Exception:  # noqa: BLE001 - a failing probe is a "down", never a 500
            ok = False
        DEPENDENCY_UP.labels(service, name).set(1 if ok else 0)
        results[name] = "ok" if ok else "down"
    return results


def health_blueprint(
    service: str,
    checks: dict[str, Callable[[], bool]],
    observed: dict[str, Callable[[], bool]] | None = None,
) -> Blueprint:
    """`checks` decide readiness (what the process needs to serve its requests: its database);
    `observed` are only reported, in /readyz's body and in /metrics (the broker: while it is
    away the outbox holds the events and the API keeps serving)."""
    bp = Blueprint("health", __name__)
    observed = dict(observed or {})

    @bp.get("/livez")
    def livez() -> Response:
        return jsonify({"status": "alive", "service": service})

    @bp.get("/readyz")
    def readyz() -> tuple[Response, int]:
        results = _probe(service, checks)
        ready = all(v == "ok" for v in results.values())
        body = {"status": "ready" if ready else "not_ready", "service": service, "checks": results}
        if observed:
            body["observed"] = _probe(service, observed)
        if not ready:
            body["error"] = {"code": "unavailable", "message": "A dependency is unreachable."}
        return jsonify(body), (200 if ready else 503)

    @bp.get("/metrics")
    def metrics() -> Response:
        _probe(service, observed)
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)

    return bp


def instrument(app: Flask, service: str) -> None:
    @app.before_request
    def _start_timer() -> None:
        g._started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("_started")
        if started is not None and request.path != "/metrics":
            LATENCY.labels(service, request.method).observe(time.perf_counter() - started)
            REQUESTS.labels(service, request.method, str(response.status_code)).inc()
        return response
