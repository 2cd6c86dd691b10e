"""The envelope every event travels in; its routing key is its type."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import uuid
from typing import Any


def make_event(
    type: str, data: dict[str, Any], producer: str, request_id: str | None = None
) -> dict[str, Any]:
    """A new event: `{id, type, occurred_at, producer, data, request_id}`, JSON-ready.

    `data` is normalised to plain JSON values (UUIDs, datetimes, dates and decimals become
    strings), so that what is validated here is exactly what consumers will receive.
    """
    return {
        "id": str(uuid.uuid4()),
        "type": type,
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
        "producer": producer,
        "data": to_json_value(data),
        "request_id": None if request_id is None else str(request_id),
    }


def routing_key(event: dict[str, Any]) -> str:
    return str(event["type"])


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise TypeError(f"naive datetime {value!r} in event data: give it a time zone")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable in event data")


def to_json_value(value: Any) -> Any:
    """`value` as it will look after a trip through JSON."""
    return json.loads(json.dumps(value, default=_default))


def dumps(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), default=_default).encode()


class Undecodable(ValueError):
    """A message body that is not a JSON object (bad UTF-8, bad JSON, nested too deeply)."""


def decode(body: bytes | str) -> dict[str, Any]:
    """The event in a message body, or `Undecodable` saying why not. Never anything else:
    a consumer parks what this refuses rather than crash on it (`RecursionError` included)."""
    try:
        event = json.loads(body)
    except RecursionError:
        raise Undecodable("JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        raise Undecodable(f"not JSON: {exc}") from None
    if not isinstance(event, dict):
        raise Undecodable(f"not a JSON object but {type(event).__name__}")
    return event


def undecodable_stand_in(body: bytes | str, limit: int = 2000) -> dict[str, Any]:
    """What a parked undecodable message shows in place of its event: the start of its body."""
    text = body.decode(errors="replace") if isinstance(body, bytes) else body
    return {"body": text[:limit], "body_length": len(text)}
