"""Forwarding a request to one service over pooled HTTP, with timeouts and JSON failures."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import requests
import urllib3
from flask import Response, g, request
from requests.adapters import HTTPAdapter

from services.common.errors import ApiError
from services.common.redact import redacted_path
from services.common.requests import CLIENT_ADDRESS_HEADER

log = logging.getLogger("councils.gateway.proxy")

# Request headers a service may need; everything else stays at the edge (a client's own
# CLIENT_ADDRESS_HEADER among them: `forward` sets it to the address the gateway resolved).
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


class Upstreams:
    """One pool of keep-alive connections per service, for `forward`: plain urllib3 connection
    pools, without requests' per-call machinery (cookies, hooks, environment merging) or a
    PoolManager's parsing of every URL to find the pool (both cost the gateway more CPU per
    proxied request than the rest of its work on the hop).

    A pool never holds more than `pool_size` connections: a call beyond that waits for one to
    come back (up to the read timeout) instead of opening a connection that is thrown away after
    one request, which under a burst (a gevent worker takes hundreds of calls at once) made
    every hop pay a new TCP connection on both sides."""

    def __init__(
        self, service_urls: Mapping[str, str], timeout: tuple[float, float], pool_size: int = 32
    ) -> None:
        self._timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        self.pool_timeout = timeout[1]
        self._pools = {
            name: urllib3.connection_from_url(
                url, maxsize=pool_size, block=True, retries=False, timeout=self._timeout
            )
            for name, url in service_urls.items()
        }
        self._prefixes = {
            name: urllib3.util.parse_url(url).path or "" for name, url in service_urls.items()
        }

    def pool(self, service: str) -> tuple[urllib3.HTTPConnectionPool, str, float]:
        """The service's pool, the path prefix of its URL and how long to wait for a
        connection of the pool."""
        return self._pools[service], self._prefixes[service].rstrip("/"), self.pool_timeout


def forward(upstream: tuple[urllib3.HTTPConnectionPool, str, float]) -> Response:
    """The current request sent on to `upstream` (Upstreams.pool), its answer passed back."""
    pool, prefix, pool_timeout = upstream
    headers = {h: request.headers[h] for h in FORWARDED_REQUEST_HEADERS if h in request.headers}
    headers["X-Request-ID"] = g.request_id
    # The client's address as the edge resolved it (gateway/clientip.py), the one services
    # believe (services.common.requests.client_address); X-Forwarded-For ends with it too.
    headers[CLIENT_ADDRESS_HEADER] = g.get("client_ip") or request.remote_addr or ""
    headers["X-Forwarded-For"] = g.get("forwarded_for") or request.remote_addr or ""
    headers["X-Forwarded-Proto"] = request.scheme
    path = prefix + request.full_path.rstrip("?")
    body = request.get_data(cache=False)
    try:
        upstream_response = pool.urlopen(
            request.method,
            path,
            body=body or None,
            headers=headers,
            retries=False,
            redirect=False,
            preload_content=True,
            assert_same_host=False,
            pool_timeout=pool_timeout,  # type: ignore[arg-type]  # seconds, a float works
        )
    except urllib3.exceptions.EmptyPoolError:
        log.warning("every connection to %s stayed busy for %ss", pool.host, pool_timeout)
        raise ApiError(
            503, "The service is busy; try again shortly.", headers={"Retry-After": "2"}
        ) from None
    except urllib3.exceptions.NewConnectionError:  # refused (a ConnectTimeoutError subclass)
        log.warning("upstream unreachable: %s%s", pool.host, redacted_path(request.path))
        raise ApiError(502, "The service is unreachable; try again shortly.") from None
    except urllib3.exceptions.TimeoutError:
        log.warning("upstream timed out: %s%s", pool.host, redacted_path(request.path))
        raise ApiError(504, "The service did not answer in time.") from None
    except urllib3.exceptions.HTTPError:
        log.warning("upstream unreachable: %s%s", pool.host, redacted_path(request.path))
        raise ApiError(502, "The service is unreachable; try again shortly.") from None
    response = Response(upstream_response.data, status=upstream_response.status)
    for key, value in upstream_response.headers.items():
        if key.lower() not in DROPPED_RESPONSE_HEADERS:
            response.headers[key] = value
    return response
