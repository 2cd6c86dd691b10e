"""Consumed events, registered where they are handled (nameko-style) and collected by the worker.

A service declares one `EventHandlers` per consumer (one queue each) and decorates its handlers:

    electorate = EventHandlers("electorate")

    @electorate.on("members.member.registered")
    def member_registered(ctx, cur, event): ...

Every handler takes the same three arguments: `ctx`, the service's context object built once at
the composition root (its settings, use cases…), the cursor of the consumer's transaction, and
the event. `worker.py` binds the registry to its context and hands the table to a `Consumer`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any, Any, dict[str, Any]], None]
Bound = Callable[[Any, dict[str, Any]], None]


class EventHandlers:
    """The handlers of one consumer, keyed by event type (or topic pattern)."""

    def __init__(self, consumer: str) -> None:
        self.consumer = consumer
        self._handlers: dict[str, list[Handler]] = {}

    def on(self, *event_types: str) -> Callable[[Handler], Handler]:
        """Register the decorated function for each of `event_types`."""
        if not event_types:
            raise ValueError("on() needs at least one event type")

        def register(handler: Handler) -> Handler:
            for event_type in event_types:
                self._handlers.setdefault(event_type, []).append(handler)
            return handler

        return register

    def include(self, other: EventHandlers) -> EventHandlers:
        """Add every handler of `other` (e.g. the shared deny-list's) to this consumer."""
        for event_type, handlers in other._handlers.items():
            self._handlers.setdefault(event_type, []).extend(handlers)
        return self

    @property
    def event_types(self) -> list[str]:
        return list(self._handlers)

    def bind(self, ctx: Any) -> dict[str, Bound]:
        """The table a `Consumer` takes: each type's handlers, in registration order, on `ctx`."""
        return {
            event_type: _bound(handlers, ctx) for event_type, handlers in self._handlers.items()
        }


def _bound(handlers: list[Handler], ctx: Any) -> Bound:
    def handle(cur: Any, event: dict[str, Any]) -> None:
        for handler in handlers:
            handler(ctx, cur, event)

    handle.__name__ = "+".join(h.__name__ for h in handlers)
    return handle
