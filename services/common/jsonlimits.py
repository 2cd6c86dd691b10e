"""How deep a JSON request body may nest: 32 levels, checked before anything parses it.

No request the services take nests deeper than a few levels; a body that does is an attack on
the parsers (Python's `json` gives up with RecursionError near 1,000 levels, and code walking
the result recursively fails sooner). Every service (services/common/web.py) and the gateway
(gateway/app.py, for /api/) answer such a body with 400 `too_deep` before any view or
validation sees it.
"""

from __future__ import annotations

import json

from flask import request

from services.common.errors import ApiError

MAX_DEPTH = 32
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def depth(value) -> int:
    """How many arrays and objects nest in `value` at most (walked without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        todo.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def deeper_than(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text `body` nests arrays and objects more than `limit` levels deep.
    Text that is not JSON is not judged here (the parser that reads it answers 400)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # the common case, without parsing
    try:
        return depth(json.loads(body)) > limit
    except RecursionError:
        return True
    except ValueError:
        return False


def refuse_deep_json() -> None:
    """A before-request hook: 400 `too_deep` for a JSON body nested deeper than MAX_DEPTH."""
    if request.mimetype in FORM_TYPES:
        return
    body = request.get_data(cache=True)
    if not request.is_json and body.lstrip()[:1] not in (b"[", b"{"):
        return
    if deeper_than(body):
        raise ApiError(400, f"The JSON body nests deeper than {MAX_DEPTH} levels.", "too_deep",
                       fields={"_body": [f"At most {MAX_DEPTH} levels of arrays and objects."]})
