"""Delegate mandates with their terms, recall thresholds and empty seats (consumer
`delegates`; issue 7, service/delegates.py; issue 18, service/vacancies.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.common.bus.handlers import EventHandlers
from services.polls.context import PollsContext
from services.polls.service import delegates, vacancies
from services.polls.store import delegates as delegates_sql

DELEGATES = EventHandlers("delegates")


def _when(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


@DELEGATES.on("members.mandate.granted")
def mandate_granted(_ctx: PollsContext, cur: Any, event: dict) -> None:
    data = event["data"]
    if str(data["role"]) != "delegate" or data.get("chapter_id") is None:
        return
    delegates_sql.upsert_delegate_mandate(
        cur,
        str(data["mandate_id"]),
        str(data["member_id"]),
        str(data["chapter_id"]),
        _when(data.get("starts_at")),
        _when(data.get("ends_at")),
        str(data["poll_id"]) if data.get("poll_id") else None,
    )


@DELEGATES.on("members.mandate.revoked", "members.mandate.ended")
def mandate_revoked(_ctx: PollsContext, cur: Any, event: dict) -> None:
    data = event["data"]
    if str(data["role"]) == "delegate":
        delegates_sql.revoke_delegate_mandate(cur, str(data["mandate_id"]))


@DELEGATES.on("members.recall.threshold_reached")
def threshold_reached(ctx: PollsContext, cur: Any, event: dict) -> None:
    delegates.open_recall_poll(ctx, cur, event)


@DELEGATES.on("members.delegate.seat_vacated")
def seat_vacated(ctx: PollsContext, cur: Any, event: dict) -> None:
    vacancies.seat_vacated(ctx, cur, event)
