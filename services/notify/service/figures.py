"""Delivery figures for admins: by status, channel and category, and who is not reached."""

from __future__ import annotations

from services.notify.context import NotifyContext
from services.notify.store import audience, contacts, deliveries


def tally(rows: list[dict]) -> dict:
    """Counts by status, overall and per channel and per category."""
    totals: dict = {}
    by_channel: dict = {}
    by_category: dict = {}
    for row in rows:
        totals[row["status"]] = totals.get(row["status"], 0) + row["n"]
        channel = by_channel.setdefault(row["channel"], {})
        channel[row["status"]] = channel.get(row["status"], 0) + row["n"]
        category = by_category.setdefault(row["category"], {})
        category[row["status"]] = category.get(row["status"], 0) + row["n"]
    return {"totals": totals, "by_channel": by_channel, "by_category": by_category}


def stats(ctx: NotifyContext) -> dict:
    with ctx.db.transaction() as cur:
        figures = tally(deliveries.delivery_figures(cur))
        figures["contacts"] = contacts.contact_figures(cur)
        # Whom an organisation-wide poll announcement would not reach now, and why.
        strict = ctx.settings.require_verified
        figures["unreachable"] = {
            channel: audience.unreachable(cur, "polls", {}, channel, strict)
            for channel in ("email", "sms")
        }
    return figures
