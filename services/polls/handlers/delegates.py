"""Delegate mandates with their terms, recall thresholds and empty seats (consumer
`delegates`; issue 7, service/delegates.py; issue 18, service/vacancies.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.common.bus.handlers import EventHandlers
from services.polls.context import PollsContext
from services.polls.service import delegates, vacancies
from services.polls.store import delegates as delegates_sql
from services.polls.store import representation as rep_sql

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


def _end_reason(event: dict) -> str:
    """Why a seat emptied, as a code the roll-call translates: resigned, recalled, term,
    superseded, or revoked (by whoever may, for a reason of their own)."""
    reason = str(event["data"].get("reason") or "")
    if event["type"] == "members.mandate.ended":
        return reason or "term"
    if reason == "resigned" or reason.startswith("recalled"):
        return reason.split(" ", 1)[0]
    return "revoked"


@DELEGATES.on("members.mandate.revoked", "members.mandate.ended")
def mandate_revoked(_ctx: PollsContext, cur: Any, event: dict) -> None:
    data = event["data"]
    if str(data["role"]) != "delegate":
        return
    when = data.get("ends_at") if event["type"] == "members.mandate.ended" else None
    rep_sql.end_delegate_mandate(
        cur,
        str(data["mandate_id"]),
        _end_reason(event),
        _when(when or data.get("revoked_at") or event.get("occurred_at")),
    )


@DELEGATES.on("members.recall.threshold_reached")
def threshold_reached(ctx: PollsContext, cur: Any, event: dict) -> None:
    delegates.open_recall_poll(ctx, cur, event)


@DELEGATES.on("members.delegate.seat_vacated")
def seat_vacated(ctx: PollsContext, cur: Any, event: dict) -> None:
    vacancies.seat_vacated(ctx, cur, event)
