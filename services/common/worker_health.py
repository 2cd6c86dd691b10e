"""A worker's own small HTTP endpoint (WORKER_HEALTH_PORT; off when unset): /livez (every loop's
heartbeat is on time), /readyz (its database and its broker answer: a worker that cannot reach
the broker cannot work) and /metrics (consumed, parked, retried, relay lag, outbox backlog)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest

from services.common import liveness
from services.common.bus import metrics  # noqa: F401 - registers the bus's metrics

log = logging.getLogger("councils.worker")

WORKER_UP = Gauge("councils_worker_dependency_up", "Worker's dependency answered", ["dependency"])
STALLED = Gauge("councils_worker_stalled_loops", "Worker loops whose heartbeat is overdue")


def serve(port: int, checks: dict[str, Callable[[], bool]]) -> ThreadingHTTPServer:
    """Start the endpoint on 0.0.0.0:`port` in a daemon thread; returns the server."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path == "/livez":
                late = liveness.stalled()
                STALLED.set(len(late))
                body = {"status": "stalled" if late else "alive", "stalled": late}
                self._send(503 if late else 200, body)
            elif self.path == "/readyz":
                results = _probe(checks)
                ready = all(v == "ok" for v in results.values())
                self._send(
                    200 if ready else 503,
                    {"status": "ready" if ready else "not_ready", "checks": results},
                )
            elif self.path == "/metrics":
                _probe(checks)
                STALLED.set(len(liveness.stalled()))
                self._send_raw(200, generate_latest(), CONTENT_TYPE_LATEST)
            else:
                self._send(404, {"error": {"code": "not_found", "message": "No such path."}})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            self._send_raw(status, json.dumps(body).encode(), "application/json")

        def _send_raw(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:  # probes every few seconds: not worth a line
            return

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)  # noqa: S104 - probes come from the kubelet
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    log.info("worker health on port %d (/livez /readyz /metrics)", port)
    return server


def _probe(checks: dict[str, Callable[[], bool]]) -> dict[str, str]:
    results = {}
    for name, check in checks.items():
        try:
            ok = bool(check())
        except Exception:  # noqa: BLE001 - a failing probe is a "down"
            ok = False
        WORKER_UP.labels(name).set(1 if ok else 0)
        results[name] = "ok" if ok else "down"
    return results
