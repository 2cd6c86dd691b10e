"""Consumed events become notifications and their delivery rows, in the consumer's
transaction (`cur`); the senders (`delivery.py`) send them afterwards."""

from __future__ import annotations

import datetime as dt

from services.notify.context import NotifyContext
from services.notify.store import audience, deliveries

CHANNELS = ("email", "sms")


def format_time(value: str | None) -> str:
    """An event's ISO time as mail shows it when the template does not format it itself."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def announce(
    ctx: NotifyContext,
    cur,
    event_id,
    kind: str,
    category: str,
    context: dict,
    scope: dict,
    member_ids: list | None = None,
) -> int:
    """Record the notification and one delivery per recipient and channel; 0 on redelivery.
    Runs inside the caller's transaction."""
    if not deliveries.add_notification(cur, event_id, kind, category, context):
        return 0
    return sum(
        reach(ctx, cur, event_id, category, scope, channel, member_ids) for channel in CHANNELS
    )


def reach(
    ctx: NotifyContext,
    cur,
    event_id,
    category: str,
    scope: dict,
    channel: str,
    member_ids: list | None = None,
) -> int:
    """One delivery on `channel` per member of `scope` (or of `member_ids`) who wants
    `category` there; a member already reached is not reached twice. In the caller's
    transaction."""
    return audience.fan_out(
        cur, event_id, category, scope, channel, ctx.settings.require_verified, member_ids
    )


def account_mail(
    cur, event_id, member_id: str, kind: str, purpose: str, sealed: str, address: str
) -> None:
    """A verification or reset mail: the token stays sealed in the notification (the sender
    opens it with SECRET_KEY while composing and forgets it once sent), and goes to the address
    it was made for. In the caller's transaction."""
    context = {"sealed_token": sealed, "purpose": purpose, "to": address}
    if deliveries.add_notification(cur, event_id, kind, "account", context):
        deliveries.add_delivery(cur, event_id, member_id, "email")


def account_notice(cur, event_id, member_id: str, kind: str, address: str) -> None:
    """A notice about the account (its address changed) to `address`, whatever the member's
    preferences. In the caller's transaction."""
    if deliveries.add_notification(cur, event_id, kind, "account", {"to": address}):
        deliveries.add_delivery(cur, event_id, member_id, "email")
