"""The event bus: outbox, relay, consumers, and two transports behind one interface.

Producers call `emit(cur, type, data)` inside their use case's transaction; a `Relay` publishes
the outbox with confirms; a `Consumer` handles each event once (inbox) and acks after commit.
"""

from __future__ import annotations

from typing import Any

from services.common.bus.catalogue import (
    CATALOGUE,
    EventData,
    EventError,
    Id,
    InvalidEvent,
    UnknownEvent,
    event_type,
    validate_event,
)
from services.common.bus.consumer import Consumer, Permanent
from services.common.bus.envelope import make_event
from services.common.bus.handlers import EventHandlers
from services.common.bus.outbox import add_event, emit
from services.common.bus.relay import Relay
from services.common.bus.transport import Delivery, Transport, TransportError, topic_matches

__all__ = [
    "CATALOGUE",
    "Consumer",
    "Delivery",
    "EventData",
    "EventError",
    "EventHandlers",
    "Id",
    "InvalidEvent",
    "Permanent",
    "Relay",
    "Transport",
    "TransportError",
    "UnknownEvent",
    "add_event",
    "emit",
    "event_type",
    "make_event",
    "topic_matches",
    "transport_from_settings",
    "validate_event",
]


def transport_from_settings(settings: Any) -> Transport:
    # Any: a service's settings object or the CLI's namespace, read by attribute.
    """RabbitMQ when `settings.amqp_url` is set, else the PostgreSQL transport on
    `settings.database_url`. `BUS_QUEUE_TYPE` (classic | quorum) picks RabbitMQ's queue type."""
    if settings.amqp_url:
        from services.common.bus.rabbitmq import RabbitMQTransport

        return RabbitMQTransport(
            settings.amqp_url,
            exchange=settings.bus_exchange,
            queue_prefix=settings.bus_queue_prefix,
            queue_type=settings.get("BUS_QUEUE_TYPE", "classic") or "classic",
        )
    from services.common.bus.pgqueue import PgTransport

    return PgTransport(
        settings.database_url,
        exchange=settings.bus_exchange,
        queue_prefix=settings.bus_queue_prefix,
    )
