"""Forwarding a request to one service over pooled HTTP, with timeouts and JSON failures."""

from __future__ import annotations

import logging

import requests
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


def forward(session: requests.Session, base_url: str, timeout: tuple[float, float]) -> Response:
    headers = {h: request.headers[h] for h in FORWARDED_REQUEST_HEADERS if h in request.headers}
    headers["X-Request-ID"] = g.request_id
    # Ends with the client's address as the edge resolved it (gateway/clientip.py).
    headers["X-Forwarded-For"] = g.get("forwarded_for") or request.remote_addr or ""
    headers["X-Forwarded-Proto"] = request.scheme
    url = base_url + request.full_path.rstrip("?")
    try:
        upstream = session.request(
            request.method,
            url,
            headers=headers,
            data=request.get_data(cache=False),
            timeout=timeout,
            allow_redirects=False,
            stream=False,
        )
    except requests.Timeout:
        log.warning("upstream timed out: %s", url)
        raise ApiError(504, "The service did not answer in time.") from None
    except requests.ConnectionError:
        log.warning("upstream unreachable: %s", url)
        raise ApiError(502, "The service is unreachable; try again shortly.") from None
    response = Response(upstream.content, status=upstream.status_code)
    for key, value in upstream.headers.items():
        if key.lower() not in DROPPED_RESPONSE_HEADERS:
            response.headers[key] = value
    return response
