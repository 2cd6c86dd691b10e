"""What a JSON request body may hold: at most 32 levels of nesting, and no text that cannot be
stored.

No request the services take nests deeper than a few levels; a body that does is an attack on
the parsers (Python's `json` gives up with RecursionError near 1,000 levels, and code walking
the result recursively fails sooner). Every service (services/common/web.py) and the gateway
(gateway/app.py, for /api/) answer such a body with 400 `too_deep` before any view or
validation sees it.

Every string field refuses NUL and lone surrogates (services/common/text.py), but a schema's
`Raw` and `Dict` fields (a threshold, a ranking, a scope id) take any JSON, and PostgreSQL refuses
both in text and jsonb. `refuse_unstorable_text` answers 422 naming where in the body such a
string is, whatever field holds it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from flask import request

from services.common.errors import ApiError
from services.common.text import unstorable

MAX_DEPTH = 32
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def depth(value: object) -> int:
    """How many arrays and objects nest in `value` at most (walked without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        children: Iterable[object]
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
        raise ApiError(
            400,
            f"The JSON body nests deeper than {MAX_DEPTH} levels.",
            "too_deep",
            fields={"_body": [f"At most {MAX_DEPTH} levels of arrays and objects."]},
        )


def _strings(value: object) -> Iterator[tuple[str, str]]:
    """(where, text) for every key and string in `value`, walked without recursion."""
    todo: list[tuple[str, object]] = [("", value)]
    while todo:
        where, item = todo.pop()
        if isinstance(item, str):
            yield where or "_body", item
        elif isinstance(item, dict):
            for key, child in item.items():
                inner = f"{where}.{key}" if where else str(key)
                yield inner, key
                todo.append((inner, child))
        elif isinstance(item, list):
            todo.extend((f"{where}[{i}]", child) for i, child in enumerate(item))


def refuse_unstorable_text() -> None:
    """A before-request hook (after authentication): 422 naming the place of a NUL or a lone
    surrogate anywhere in a JSON body. Both can only come as `\\u` escapes."""
    if request.mimetype in FORM_TYPES:
        return
    body = request.get_data(cache=True)
    if b"\\u" not in body:
        return
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the parser that reads it answers 400
    for where, text in _strings(document):
        problem = unstorable(text)
        if problem:
            raise ApiError(
                422, "The request body failed validation: see fields.", fields={where: [problem]}
            )
