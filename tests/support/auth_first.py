"""Authentication before validation: walk an app's url_map and call every route without a token.

Each service's test keeps its own explicit list of public operations (the same entries as the
PUBLIC set of tests/e2e/edge/test_edge.py); every other route must answer 401 in the one error
shape even when its body or query is junk, and before it touches the database (the apps under
test here point at a database that does not exist).
"""

from __future__ import annotations

import importlib
import re
import uuid

from flask import Flask

from services.common.runtime import build_runtime
from tests.support.runtime import make_settings

NOWHERE = "postgresql://nobody@127.0.0.1:9/no_such_database?connect_timeout=1"
JUNK = {"junk": ["not", "what", "any", "route", "wants"], "email": 7, "questions": "x"}


def app_without_database(service: str) -> Flask:
    """The service's app on a runtime whose database cannot be reached."""
    module = importlib.import_module(f"services.{service}.app")
    return module.create_app(build_runtime(service, make_settings(service, NOWHERE)))


def operations(app: Flask) -> set[tuple[str, str]]:
    """(METHOD, /api/v1/template/{name}) of every API route the app serves."""
    ops = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule.endswith("openapi.json"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        ops |= {(m, path) for m in rule.methods if m not in ("HEAD", "OPTIONS")}
    return ops


def concrete(template: str) -> str:
    # A uuid fits <uuid:...>, <string:...> and <path:...> converters alike; <int:...> gets 1.
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), template)


def unauthenticated_mistakes(app: Flask, public: set[tuple[str, str]]) -> list[str]:
    """What is wrong when every non-public route is called with no token and a junk body."""
    client = app.test_client()
    served = operations(app)
    wrong = [f"{m} {p}: listed as public but not served" for m, p in sorted(public - served)]
    for method, template in sorted(served - public):
        path = concrete(template)
        response = client.open(
            path,
            method=method,
            query_string={"junk": "%%", "limit": "x"},
            json=None if method == "GET" else JUNK,
        )
        body = response.get_json(silent=True) or {}
        if response.status_code != 401:
            wrong.append(f"{method} {template}: {response.status_code} without a token")
        elif not (body.get("error") or {}).get("message"):
            wrong.append(f"{method} {template}: 401 not in the error shape: {body}")
    return wrong
