"""Forwarding a request to one service over pooled HTTP, with timeouts and JSON failures."""

from __future__ import annotations

import logging

import requests
import urllib3
from flask import Response, g, request
from requests.adapters import HTTPAdapter

from services.common.errors import ApiError

log = logging.getLogger("councils.gateway.proxy")

# Request headers a service may need; everything else stays at the edge.
FORWARDED_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "Accept",
    "Accept-Language",
    "Idempotency-Key",
    "If-None-Match",
    "User-Agent",
)
# Hop-by-hop and framing headers that must not be copied back.
DROPPED_RESPONSE_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-encoding",
    "content-length",
    "server",
    "date",
}


def make_session(pool_size: int = 32) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.trust_env = False
    return session


def make_upstream_pool(pool_size: int = 32) -> urllib3.PoolManager:
    """Keep-alive connections to the services for `forward`: plain urllib3, without requests'
    per-call machinery (cookies, hooks, environment merging), which cost the gateway more CPU
    per proxied request than the rest of its work on the hop."""
    return urllib3.PoolManager(num_pools=8, maxsize=pool_size, retries=False)


def forward(pool: urllib3.PoolManager, base_url: str, timeout: tuple[float, float]) -> Response:
    headers = {h: request.headers[h] for h in FORWARDED_REQUEST_HEADERS if h in request.headers}
    headers["X-Request-ID"] = g.request_id
    # Ends with the client's address as the edge resolved it (gateway/clientip.py).
    headers["X-Forwarded-For"] = g.get("forwarded_for") or request.remote_addr or ""
    headers["X-Forwarded-Proto"] = request.scheme
    url = base_url + request.full_path.rstrip("?")
    body = request.get_data(cache=False)
    try:
        upstream = pool.request(
            request.method,
            url,
            body=body or None,
            headers=headers,
            timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]),
            retries=False,
            redirect=False,
            preload_content=True,
        )
    except urllib3.exceptions.NewConnectionError:  # refused (a ConnectTimeoutError subclass)
        log.warning("upstream unreachable: %s", url)
        raise ApiError(502, "The service is unreachable; try again shortly.") from None
    except urllib3.exceptions.TimeoutError:
        log.warning("upstream timed out: %s", url)
        raise ApiError(504, "The service did not answer in time.") from None
    except urllib3.exceptions.HTTPError:
        log.warning("upstream unreachable: %s", url)
        raise ApiError(502, "The service is unreachable; try again shortly.") from None
    response = Response(upstream.data, status=upstream.status)
    for key, value in upstream.headers.items():
        if key.lower() not in DROPPED_RESPONSE_HEADERS:
            response.headers[key] = value
    return response
