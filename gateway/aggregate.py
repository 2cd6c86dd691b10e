"""What the gateway asks of every service at once: readiness and OpenAPI documents."""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import requests

_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="aggregate")


def _readiness(session: requests.Session, url: str, timeout: float) -> dict:
    try:
        response = session.get(url + "/readyz", timeout=timeout)
        body = response.json() if response.headers.get("Content-Type", "").startswith(
            "application/json") else {}
        state = "ready" if response.status_code == 200 else "not_ready"
        return {"status": state, "checks": body.get("checks", {})}
    except requests.RequestException as exc:
        return {"status": "unreachable", "detail": type(exc).__name__}
    except ValueError:
        return {"status": "not_ready", "detail": "readyz did not answer JSON"}


def readiness(session: requests.Session, urls: Mapping[str, str], timeout: float = 2.0) -> dict:
    futures = {name: _pool.submit(_readiness, session, url, timeout) for name, url in urls.items()}
    return {name: future.result() for name, future in futures.items()}


class OpenApiMerger:
    """Merges the services' documents into one, cached for a short while."""

    def __init__(self, session: requests.Session, urls: Mapping[str, str], ttl: float = 30.0):
        self.session = session
        self.urls = urls
        self.ttl = ttl
        self._cached: tuple[float, dict] | None = None

    def document(self) -> dict:
        now = time.monotonic()
        if self._cached and now - self._cached[0] < self.ttl:
            return self._cached[1]
        futures = {name: _pool.submit(self._fetch, url) for name, url in self.urls.items()}
        parts = {name: future.result() for name, future in futures.items()}
        merged = merge_documents(parts)
        if all(parts.values()):
            self._cached = (now, merged)
        return merged

    def _fetch(self, url: str) -> dict | None:
        try:
            response = self.session.get(url + "/openapi.json", timeout=3)
            return response.json() if response.status_code == 200 else None
        except (requests.RequestException, ValueError):
            return None


def merge_documents(parts: Mapping[str, dict | None]) -> dict:
    merged: dict = {
        "openapi": "3.0.3",
        "info": {
            "title": "Councils API",
            "version": "v1",
            "description": "One document for the whole API, merged from the services'.",
        },
        "paths": {},
        "components": {
            "schemas": {},
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "tags": [],
    }
    missing = []
    for service, document in sorted(parts.items()):
        if not document:
            missing.append(service)
            continue
        document = copy.deepcopy(document)
        for path, item in document.get("paths", {}).items():
            merged["paths"][path] = item
        for kind, entries in document.get("components", {}).items():
            target = merged["components"].setdefault(kind, {})
            for key, value in entries.items():
                target.setdefault(key, value)
        for tag in document.get("tags", []):
            if tag not in merged["tags"]:
                merged["tags"].append(tag)
    if missing:
        merged["info"]["x-missing-services"] = missing
    return merged
