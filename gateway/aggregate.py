"""What the gateway asks of every service at once: readiness and OpenAPI documents."""

from __future__ import annotations

import copy
import logging
import re
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import requests

log = logging.getLogger("councils.gateway.aggregate")
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="aggregate")


def _readiness(session: requests.Session, url: str, timeout: float) -> dict:
    try:
        response = session.get(url + "/readyz", timeout=timeout)
        body = (
            response.json()
            if response.headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
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
        self._security: SecurityTable | None = None
        self._security_tried = float("-inf")

    def document(self) -> dict:
        now = time.monotonic()
        if self._cached and now - self._cached[0] < self.ttl:
            return self._cached[1]
        futures = {name: _pool.submit(self._fetch, url) for name, url in self.urls.items()}
        parts = {name: future.result() for name, future in futures.items()}
        merged = merge_documents(parts)
        if all(parts.values()):
            self._cached = (now, merged)
        self._security = SecurityTable(merged)  # routes of a missing service: left to it
        return merged

    def requires_token(self, method: str, path: str) -> bool:
        """Whether the merged document says (method, path) needs a bearer token; False when
        unknown (the route or a service's document is missing): the service then decides."""
        now = time.monotonic()
        if now - self._security_tried >= self.ttl:
            # At most once per ttl (a service that is down must not slow every request).
            self._security_tried = now
            try:
                self.document()
            except Exception:  # noqa: BLE001 - never let the table break a request
                log.exception("could not refresh the OpenAPI security table")
        table = self._security
        return bool(table and table.requires_token(method, path))

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
        document = _rename_clashing_components(copy.deepcopy(document), merged, service)
        _add_document(merged, document)
    if missing:
        merged["info"]["x-missing-services"] = missing
    return merged


def _rename_clashing_components(document: dict, merged: dict, service: str) -> dict:
    """A component named like another service's but different gets the service's name in
    front (Scope -> NotifyScope), and this document's references follow it."""
    renames = {}
    for kind, entries in document.get("components", {}).items():
        existing = merged["components"].get(kind, {})
        for key, value in entries.items():
            if key in existing and existing[key] != value:
                renames[f"#/components/{kind}/{key}"] = (
                    f"#/components/{kind}/{service.capitalize()}{key}"
                )
    if renames:
        document = _rename_refs(document, renames)
        for kind, entries in document.get("components", {}).items():
            for key in list(entries):
                new = renames.get(f"#/components/{kind}/{key}")
                if new:
                    entries[new.rsplit("/", 1)[1]] = entries.pop(key)
    return document


def _add_document(merged: dict, document: dict) -> None:
    for path, item in document.get("paths", {}).items():
        merged["paths"][path] = item
    for kind, entries in document.get("components", {}).items():
        target = merged["components"].setdefault(kind, {})
        for key, value in entries.items():
            target.setdefault(key, value)
    for tag in document.get("tags", []):
        if tag not in merged["tags"]:
            merged["tags"].append(tag)


def _rename_refs(node, renames: Mapping[str, str]):
    if isinstance(node, dict):
        return {
            key: (
                renames.get(value, value)
                if key == "$ref" and isinstance(value, str)
                else _rename_refs(value, renames)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(value, renames) for value in node]
    return node


HTTP_METHODS = ("get", "put", "post", "delete", "patch")


class SecurityTable:
    """Which operations of a document declare a security requirement, by concrete path."""

    def __init__(self, document: dict) -> None:
        default = bool(document.get("security"))
        self.routes: list[tuple[int, re.Pattern, dict[str, bool]]] = []
        for template, item in document.get("paths", {}).items():
            methods = {}
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    security = operation.get("security")
                    methods[method] = (
                        default
                        if security is None
                        else any(bool(requirement) for requirement in security)
                    )
            segments = template.strip("/").split("/")
            literal = sum(1 for seg in segments if not seg.startswith("{"))
            pattern = "/" + "/".join(
                "[^/]+" if seg.startswith("{") else re.escape(seg) for seg in segments
            )
            self.routes.append((literal, re.compile(pattern + "/?"), methods))
        # The most literal template wins (/members/me before /members/{member_id}).
        self.routes.sort(key=lambda route: -route[0])

    def requires_token(self, method: str, path: str) -> bool:
        method = "get" if method.upper() == "HEAD" else method.lower()
        for _, pattern, methods in self.routes:
            if pattern.fullmatch(path) and method in methods:
                return methods[method]
        return False
