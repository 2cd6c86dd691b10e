"""The transactional outbox: events are written with the state change they announce."""

from __future__ import annotations

import logging
from typing import Any

from psycopg2.extensions import cursor as Cursor
from psycopg2.extras import Json

from services.common.bus.catalogue import validate_event
from services.common.bus.envelope import make_event
from services.common.logs import request_id_var

log = logging.getLogger("councils.bus.outbox")


def add_event(
    cur: Cursor, type: str, data: dict[str, Any], *, producer: str, request_id: str | None = None
) -> dict[str, Any]:
    """Check `data` against the catalogue and write the event into the `outbox` table of the
    current schema, in the caller's transaction (`cur`). Nothing is published here: the relay
    publishes once the transaction has committed. Returns the event."""
    # The request (or the event being handled) that caused this one, for tracing across services.
    event = make_event(type, data, producer, request_id or request_id_var.get())
    validate_event(event)
    cur.execute(
        "INSERT INTO outbox (id, routing_key, envelope) VALUES (%s, %s, %s)",
        (event["id"], event["type"], Json(event)),
    )
    log.debug("event %s %s written to the outbox", event["type"], event["id"])
    return event


def emit(cur: Cursor, type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Write one event into the outbox in the caller's transaction: the one way every service
    publishes. The producer is the service that owns the type's first segment
    (`members.member.registered` comes from members)."""
    return add_event(cur, type, data, producer=type.split(".", 1)[0])
