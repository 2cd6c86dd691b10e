"""What an operator does with parked messages: list, inspect, re-queue, drop.

`python -m services.common.bus parked ...` (see `__main__.py` and docs/deploy.md) on the bus of
the environment (AMQP_URL, else the PostgreSQL transport on DATABASE_URL; BUS_EXCHANGE and
BUS_QUEUE_PREFIX as the services use them).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from services.common.bus.transport import Choose

log = logging.getLogger("councils.bus.parking")

# Every consumer queue of the project, without BUS_QUEUE_PREFIX (RabbitMQ cannot list queues
# over AMQP, so `parked list` asks about these). tests/unit/bus checks it against the workers.
CONSUMER_QUEUES = (
    "members.delegates_and_recall",
    "notify.contacts_and_announcements",
    "polls.delegates",
    "polls.electorate",
)


def parked_counts(transport: Any, extra_queues: Iterable[str] = ()) -> dict[str, int]:
    # Any: `parked_queues` belongs to each transport, not to the Transport interface.
    prefix = transport.queue_prefix
    candidates = [prefix + q for q in CONSUMER_QUEUES] + list(extra_queues)
    if hasattr(transport, "dsn"):  # the PostgreSQL transport knows every queue with parkings
        counts = transport.parked_queues()
        return {**{q: 0 for q in candidates}, **counts}
    counted: dict[str, int] = transport.parked_queues(candidates)
    return counted


def chooser(
    positions: Iterable[int] = (), event_ids: Iterable[str] = (), everything: bool = False
) -> Choose:
    """The `choose(position, record)` of `settle_parked` for what the operator named."""
    positions, event_ids = set(positions), set(event_ids)
    if not (positions or event_ids or everything):
        raise ValueError("name the messages: --position N, --event ID or --all")

    def choose(position: int, record: dict[str, Any]) -> bool:
        event = record.get("event") or {}
        return everything or position in positions or str(event.get("id")) in event_ids

    return choose


def summary(position: int, record: dict[str, Any]) -> str:
    event = record.get("event") or {}
    what = event.get("type") or f"(undecodable, {event.get('body_length', '?')} bytes)"
    return (
        f"#{position}  {event.get('id', '-')}  {what}  attempt {record.get('attempt')}"
        f"  reason: {record.get('reason')}"
    )


def show(position: int, record: dict[str, Any]) -> str:
    return json.dumps({"position": position, **record}, indent=2, default=str)


def service_queues(transport: Any, service: str) -> list[str]:
    """The consumer queues of `service`, with the transport's prefix."""
    return [transport.queue_prefix + q for q in CONSUMER_QUEUES if q.startswith(service + ".")]


def _event_view(queue: str, record: dict[str, Any]) -> dict[str, Any]:
    """What a parked message was and why it was parked; never the event's data (tokens,
    addresses), which stays on the bus for the operator's tool."""
    event = record.get("event") or {}
    return {
        "queue": queue,
        "event_id": event.get("id"),
        "type": event.get("type") or "(undecodable)",
        "producer": event.get("producer"),
        "occurred_at": event.get("occurred_at"),
        "reason": record.get("reason") or "",
        "attempts": record.get("attempt"),
    }


def latest_parked(transport: Any, service: str, limit: int) -> dict[str, Any]:
    """How many messages `service`'s consumers parked, and the latest `limit` of them (newest
    first) with what they were and why."""
    queues = service_queues(transport, service)
    counts = parked_counts(transport)
    events: list[dict[str, Any]] = []
    for queue in queues:
        if counts.get(queue):
            events += [_event_view(queue, r) for r in transport.parked(queue)]
    return {
        "service": service,
        "count": sum(counts.get(q, 0) for q in queues),
        "events": list(reversed(events))[:limit],
    }


def settle_event(
    transport: Any, service: str, event_id: str, *, requeue: bool, by: str
) -> dict[str, Any]:
    """Re-queue (as a first attempt: its consumer handles it once, the inbox keeps it so) or
    drop the parked event `event_id` of `service`; logged with who did it. Empty if no parked
    message of the service has that id."""
    choose = chooser(event_ids=[event_id])
    for queue in service_queues(transport, service):
        if transport.settle_parked(queue, choose, requeue=requeue):
            done = "replayed" if requeue else "discarded"
            log.warning("parked event %s of %s %s by admin %s", event_id, queue, done, by)
            return {"service": service, "queue": queue, "event_id": event_id, "done": done}
    return {}
