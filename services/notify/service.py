"""Use cases of notify; each opens its own transaction."""

from __future__ import annotations

import logging
import uuid

from services.common.errors import ApiError
from services.common.runtime import Runtime
from services.notify import links, store
from services.notify.delivery import require_verified
from services.notify.render import render_email

log = logging.getLogger("councils.notify.service")

CATEGORIES = ("polls", "reminders", "results", "recall", "events", "newsletters")
DEFAULT_PREFERENCE = {"email": True, "sms": False}
CHANNELS = ("email", "sms")
ANALYZE_AFTER = 5_000  # delivery rows added at once


# --- preferences -----------------------------------------------------------------------------


def _preferences_view(cur, member_id: str) -> dict:
    stored = store.preferences_of(cur, member_id)
    contact = store.get_contact(cur, member_id) or {}
    return {
        "categories": {c: stored.get(c, dict(DEFAULT_PREFERENCE)) for c in CATEGORIES},
        "email": contact.get("email"),
        "email_verified": bool(contact.get("email_verified")),
        "phone": contact.get("phone"),
        "sms_available": bool(contact.get("phone")),
        "language": contact.get("language") or "en",
    }


def get_preferences(runtime: Runtime, member_id: str) -> dict:
    with runtime.db.transaction() as cur:
        return _preferences_view(cur, member_id)


def update_preferences(runtime: Runtime, member_id: str, categories: dict) -> dict:
    unknown = sorted(set(categories) - set(CATEGORIES))
    if unknown:
        raise ApiError(422, "Unknown notification category.", fields={
            "categories": [f"unknown category {name!r}; known: {', '.join(CATEGORIES)}"
                           for name in unknown]})
    with runtime.db.transaction() as cur:
        current = store.preferences_of(cur, member_id)
        for category, change in categories.items():
            merged = {**current.get(category, DEFAULT_PREFERENCE), **change}
            store.set_preference(cur, member_id, category, merged["email"], merged["sms"])
        return _preferences_view(cur, member_id)


# --- one-click unsubscribe -------------------------------------------------------------------


def _read_token(runtime: Runtime, token: str) -> tuple[str, str]:
    try:
        member_id, category = links.read_unsubscribe_token(runtime.settings.secret_keys, token)
    except links.BadToken:
        raise ApiError(404, "This unsubscribe link is not valid.", "invalid_link") from None
    if category != "all" and category not in CATEGORIES:
        raise ApiError(404, "This unsubscribe link is not valid.", "invalid_link")
    return member_id, category


def describe_unsubscribe(runtime: Runtime, token: str) -> dict:
    member_id, category = _read_token(runtime, token)
    with runtime.db.transaction() as cur:
        stored = store.preferences_of(cur, member_id)
    affected = CATEGORIES if category == "all" else (category,)
    subscribed = any(stored.get(c, DEFAULT_PREFERENCE)["email"] for c in affected)
    return {"category": category, "subscribed": subscribed}


def unsubscribe(runtime: Runtime, token: str) -> dict:
    """Turn email off for the token's category (every optional category for "all")."""
    member_id, category = _read_token(runtime, token)
    affected = CATEGORIES if category == "all" else (category,)
    with runtime.db.transaction() as cur:
        stored = store.preferences_of(cur, member_id)
        for name in affected:
            current = stored.get(name, DEFAULT_PREFERENCE)
            store.set_preference(cur, member_id, name, False, current["sms"])
    log.info("member %s unsubscribed from %s email", member_id, category)
    return {"category": category, "subscribed": False}


# --- delivery log and figures ----------------------------------------------------------------


def deliveries_of(runtime: Runtime, member_id: str, limit: int, before: int | None) -> dict:
    with runtime.db.transaction() as cur:
        items = store.deliveries_of(cur, member_id, limit, before)
    return {"items": items, "next_before": items[-1]["id"] if len(items) == limit else None}


def _figures(rows: list[dict]) -> dict:
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


def is_admin(runtime: Runtime, member_id: str) -> bool:
    """Whether the member holds an admin mandate now, as notify's replica knows it."""
    with runtime.db.transaction() as cur:
        return store.is_admin(cur, member_id)


def stats(runtime: Runtime) -> dict:
    with runtime.db.transaction() as cur:
        figures = _figures(store.delivery_figures(cur))
        figures["contacts"] = store.contact_figures(cur)
        # Whom an organisation-wide poll announcement would not reach now, and why.
        strict = require_verified(runtime.settings)
        figures["unreachable"] = {channel: store.unreachable(cur, "polls", {}, channel, strict)
                                  for channel in ("email", "sms")}
    return figures


# --- newsletters -----------------------------------------------------------------------------


def _newsletter_view(cur, row: dict) -> dict:
    figures = _figures(store.delivery_figures(cur, row["id"]))
    return {
        "id": row["id"],
        "subject": row["subject"],
        "scope": row["scope"],
        "channels": row["channels"],
        "status": _newsletter_status(row, figures["totals"]),
        "recipients": row["recipients"],
        "unreachable": row.get("unreachable"),
        "created_at": row["created_at"],
        "deliveries": figures["totals"],
    }


def _newsletter_status(row: dict, totals: dict) -> str:
    if row["status"] == "queued":
        return "queued"
    return "sending" if totals.get("pending") else "sent"


def _newsletter_scope(payload: dict) -> dict:
    scope = payload["scope"]
    if scope["type"] != "organisation" and not scope.get("id"):
        raise ApiError(422, "A chapter or current scope needs its id.",
                       fields={"scope": ["id is required for this scope type"]})
    return {"type": scope["type"], **({"id": str(scope["id"])} if scope.get("id") else {})}


def create_newsletter(runtime: Runtime, admin_id: str, payload: dict) -> dict:
    scope = _newsletter_scope(payload)
    with runtime.db.transaction() as cur:
        row = store.add_newsletter(
            cur, uuid.uuid4(), payload["subject"], payload["body"],
            payload.get("translations") or {}, scope,
            payload.get("channels") or ["email"], admin_id,
        )
        return _newsletter_view(cur, row)


def preview_newsletter(runtime: Runtime, admin_id: str, payload: dict) -> dict:
    """Who a newsletter would reach if sent now, per channel, and who not and why: the very
    queries the fan-out runs, and nothing written; with the mail as the caller would get it."""
    scope = _newsletter_scope(payload)
    channels = payload.get("channels") or ["email"]
    strict = require_verified(runtime.settings)
    recipients = {"email": 0, "sms": 0}
    unreachable: dict = {"email": {}, "sms": {}}
    with runtime.db.transaction() as cur:
        for channel in channels:
            recipients[channel] = store.count_recipients(cur, "newsletters", scope, channel,
                                                         strict)
            unreachable[channel] = store.unreachable(cur, "newsletters", scope, channel, strict)
        contact = store.get_contact(cur, admin_id) or {}
    context = {"subject": payload["subject"], "body": payload["body"],
               "translations": payload.get("translations") or {}}
    mail = render_email("newsletter", contact.get("language"), "newsletters", context,
                        name=contact.get("display_name") or "", unsubscribe_url=None)
    return {"recipients": recipients, "unreachable": unreachable,
            "mail": {"language": mail.language, "subject": mail.subject, "text": mail.text}}


def test_newsletter(runtime: Runtime, admin_id: str, payload: dict) -> dict:
    """Queue the newsletter to the caller alone, at their own verified address (whatever
    their preferences say); nothing is recorded as a newsletter."""
    notification_id = uuid.uuid4()
    context = {"subject": payload["subject"], "body": payload["body"],
               "translations": payload.get("translations") or {}, "to_self": True}
    with runtime.db.transaction() as cur:
        store.add_notification(cur, notification_id, "newsletter", "newsletters", context)
        if not store.add_own_delivery(cur, notification_id, admin_id):
            raise ApiError(422, "You have no verified email address to send a test to.",
                           "no_verified_address")
    return {"queued": 1}


def get_newsletter(runtime: Runtime, newsletter_id) -> dict:
    with runtime.db.transaction() as cur:
        row = store.get_newsletter(cur, newsletter_id)
        if row is None:
            raise ApiError(404, "No such newsletter.")
        return _newsletter_view(cur, row)


def list_newsletters(runtime: Runtime, limit: int) -> list[dict]:
    with runtime.db.transaction() as cur:
        return [_newsletter_view(cur, row) for row in store.list_newsletters(cur, limit)]


def newsletter_archive(runtime: Runtime, limit: int, offset: int) -> list[dict]:
    with runtime.db.transaction() as cur:
        return store.newsletter_archive(cur, limit, offset)


def fan_out_next_newsletter(runtime: Runtime) -> bool:
    """Turn one queued newsletter into its delivery rows, all in one transaction (so a crash
    leaves it queued, never half fanned out); the senders then send them in batches."""
    strict = require_verified(runtime.settings)
    with runtime.db.transaction() as cur:
        row = store.next_queued_newsletter(cur)
        if row is None:
            return False
        context = {"subject": row["subject"], "body": row["body"],
                   "translations": row["translations"]}
        store.add_notification(cur, row["id"], "newsletter", "newsletters", context)
        recipients = sum(
            store.fan_out(cur, row["id"], "newsletters", row["scope"], channel, strict)
            for channel in row["channels"]
        )
        unreachable = {channel: store.unreachable(cur, "newsletters", row["scope"], channel,
                                                  strict)
                       for channel in row["channels"]}
        store.mark_newsletter_sending(cur, row["id"], recipients, unreachable)
        if recipients >= ANALYZE_AFTER:
            # Fresh statistics after a bulk insert, or the planner may hash the whole table to
            # record each batch's outcomes.
            store.analyze_deliveries(cur)
    log.info("newsletter %s fanned out to %d deliveries", row["id"], recipients)
    return True


def fan_out_newsletters(runtime: Runtime) -> int:
    count = 0
    while fan_out_next_newsletter(runtime):
        count += 1
    return count
