"""What a log line may say of a request's path: never a secret carried in it.

A receipt must never reach a log (issue 13), and the deprecated
`PUT /api/v1/polls/{id}/ballots/{receipt}` still carries one in its path. So access logs name a
request by a redacted path: for a route the app matched, its template with only the UUID
arguments filled in (`/api/v1/polls/<id>/ballots/<receipt>` keeps the poll id, never the
receipt); for anything else (the gateway's catch-all, a 404), every segment that is not a UUID,
a number, or a lower-case word without digits becomes `<…>`. The query string is never logged.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import Request

_VARIABLE = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_SAFE_SEGMENT = re.compile(r"^(?:[a-z_.-]*|v[0-9]+|[0-9]+)$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
REDACTED = "<…>"


def redacted_path(path: str) -> str:
    """`path` with every segment that could hold a secret replaced."""
    return "/".join(
        segment if _SAFE_SEGMENT.match(segment) or _UUID.match(segment) else REDACTED
        for segment in path.split("/")
    )


def template_path(rule: str, view_args: dict[str, Any] | None) -> str:
    """A matched route's template, UUID arguments filled in, the others left as `<name>`."""
    args = view_args or {}

    def fill(match: re.Match[str]) -> str:
        value = args.get(match["name"])
        if match["converter"] == "uuid" and isinstance(value, uuid.UUID):
            return str(value)
        return f"<{match['name']}>"

    return _VARIABLE.sub(fill, rule)


def loggable_path(request: Request) -> str:
    rule = getattr(request, "url_rule", None)
    if rule is not None and "<path:" not in rule.rule:
        return template_path(rule.rule, request.view_args)
    return redacted_path(request.path)
