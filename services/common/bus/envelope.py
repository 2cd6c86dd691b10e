"""The envelope every event travels in; its routing key is its type."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import uuid
from typing import Any


def make_event(type: str, data: dict, producer: str, request_id: str | None = None) -> dict:
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


def routing_key(event: dict) -> str:
    return event["type"]


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


def dumps(event: dict) -> bytes:
    return json.dumps(event, separators=(",", ":"), default=_default).encode()
