"""What was sent to a member: their delivery log, newest first."""

from __future__ import annotations

from services.notify.context import NotifyContext
from services.notify.store import deliveries


def deliveries_of(ctx: NotifyContext, member_id: str, limit: int, before: int | None) -> dict:
    with ctx.db.transaction() as cur:
        items = deliveries.deliveries_of(cur, member_id, limit, before)
    return {"items": items, "next_before": items[-1]["id"] if len(items) == limit else None}
