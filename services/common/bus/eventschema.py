"""How an event type's `data` is described and checked: the schema base, the registry
(`CATALOGUE`, filled by `@event_type`) and the validators. The types themselves are in
catalogue.py; import from there, so that every type is registered before anything is checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields

TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")


class EventError(ValueError):
    """An event the catalogue rejects."""


class UnknownEvent(EventError):
    """The event's type is not in the catalogue."""


class InvalidEvent(EventError):
    """The envelope or its `data` does not match the catalogue; `.messages` says where."""

    def __init__(self, message: str, messages: Any = None) -> None:
        super().__init__(message)
        self.messages = messages


class Id(fields.Field[str | int]):
    """An identifier: a non-empty string (UUIDs as text) or an integer."""

    default_error_messages = {"invalid": "Not a valid identifier."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | int:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.make_error("invalid")
        if isinstance(value, str) and not value.strip():
            raise self.make_error("invalid")
        return value


class Name(Id):
    """A short name or number (a level, a role), string or integer."""

    default_error_messages = {"invalid": "Not a valid name or number."}


class EventData(Schema):
    """Base of every `data` schema: extra keys are let through."""

    class Meta:
        unknown = INCLUDE


class Envelope(Schema):
    class Meta:
        unknown = INCLUDE

    id = fields.UUID(required=True)
    type = fields.Str(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    producer = fields.Str(required=True)
    data = fields.Dict(required=True)
    request_id = fields.Str(allow_none=True, load_default=None)


CATALOGUE: dict[str, Schema] = {}
_ENVELOPE = Envelope()


def event_type(name: str) -> Callable[[type[EventData]], type[EventData]]:
    """Register the decorated schema as the shape of `data` for events of type `name`."""
    if not TYPE_NAME.match(name):
        raise ValueError(f"event type {name!r} is not <service>.<entity>.<fact>")

    def register(cls: type[EventData]) -> type[EventData]:
        if name in CATALOGUE:
            raise ValueError(f"event type {name!r} is registered twice")
        CATALOGUE[name] = cls()
        return cls

    return register


def validate_data(type: str, data: Any) -> None:
    schema = CATALOGUE.get(type)
    if schema is None:
        raise UnknownEvent(f"unknown event type {type!r}")
    if not isinstance(data, dict):
        raise InvalidEvent(f"{type}: data must be an object", {"data": ["Not a valid mapping."]})
    try:
        schema.load(data)
    except ValidationError as exc:
        raise InvalidEvent(f"{type}: invalid data: {exc.messages}", exc.messages) from None


def validate_event(envelope: Any) -> None:
    """Raise `UnknownEvent` or `InvalidEvent` unless `envelope` is a well-formed known event."""
    if not isinstance(envelope, dict):
        raise InvalidEvent("an event must be an object")
    try:
        _ENVELOPE.load(envelope)
    except ValidationError as exc:
        raise InvalidEvent(f"invalid envelope: {exc.messages}", exc.messages) from None
    validate_data(envelope["type"], envelope["data"])
