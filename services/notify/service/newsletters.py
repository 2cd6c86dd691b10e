"""Newsletters: queued by an admin, previewed or tried on oneself, fanned out by the worker."""

from __future__ import annotations

import logging
import uuid

from services.common.errors import ApiError
from services.notify.context import NotifyContext
from services.notify.render import render_email
from services.notify.service.figures import tally
from services.notify.store import audience, contacts, deliveries, newsletters

log = logging.getLogger("councils.notify.service")

ANALYZE_AFTER = 5_000  # delivery rows added at once


def _view(cur, row: dict) -> dict:
    figures = tally(deliveries.delivery_figures(cur, row["id"]))
    return {
        "id": row["id"],
        "subject": row["subject"],
        "scope": row["scope"],
        "channels": row["channels"],
        "status": _status(row, figures["totals"]),
        "recipients": row["recipients"],
        "unreachable": row.get("unreachable"),
        "created_at": row["created_at"],
        "send_at": row.get("send_at"),
        "sent_at": row.get("fanned_out_at"),
        "cancelled_at": row.get("cancelled_at"),
        "deliveries": figures["totals"],
    }


def _status(row: dict, totals: dict) -> str:
    if row["status"] == "cancelled":
        return "cancelled"
    if row["status"] == "queued":
        return "scheduled" if row.get("send_at") is not None else "queued"
    return "sending" if totals.get("pending") else "sent"


def _scope(payload: dict) -> dict:
    scope = payload["scope"]
    if scope["type"] != "organisation" and not scope.get("id"):
        raise ApiError(
            422,
            "A chapter or current scope needs its id.",
            fields={"scope": ["id is required for this scope type"]},
        )
    return {"type": scope["type"], **({"id": str(scope["id"])} if scope.get("id") else {})}


def _future(ctx: NotifyContext, send_at):
    """`send_at` if it is still to come; 422 naming the field if it has passed."""
    if send_at is not None and send_at <= ctx.clock():
        raise ApiError(
            422,
            "The time to send it has passed already.",
            "send_at_past",
            fields={"send_at": ["must be in the future"]},
        )
    return send_at


def create_newsletter(ctx: NotifyContext, admin_id: str, payload: dict) -> dict:
    """Queue a newsletter now, or for `send_at` (scheduled: it can be moved or cancelled until
    then). Who it reaches is counted when it goes, not now."""
    scope = _scope(payload)
    send_at = _future(ctx, payload.get("send_at"))
    with ctx.db.transaction() as cur:
        row = newsletters.add_newsletter(
            cur,
            uuid.uuid4(),
            payload["subject"],
            payload["body"],
            payload.get("translations") or {},
            scope,
            payload.get("channels") or ["email"],
            admin_id,
            send_at,
        )
        if send_at is not None:
            log.info("newsletter %s scheduled for %s by %s", row["id"], send_at, admin_id)
        return _view(cur, row)


def _scheduled(cur, newsletter_id) -> dict:
    """The newsletter, locked, if it is still waiting for its time (404 or 409 otherwise): the
    fan-out claims it under the same lock, so it is moved or cancelled, or it goes, not both."""
    row = newsletters.get_newsletter(cur, newsletter_id, lock=True)
    if row is None:
        raise ApiError(404, "No such newsletter.")
    if row["status"] != "queued" or row.get("send_at") is None:
        raise ApiError(
            409,
            "Only a scheduled newsletter that has not gone yet can be changed or cancelled.",
            "not_scheduled",
        )
    return row


def reschedule_newsletter(ctx: NotifyContext, admin_id: str, newsletter_id, send_at) -> dict:
    send_at = _future(ctx, send_at)
    with ctx.db.transaction() as cur:
        _scheduled(cur, newsletter_id)
        row = newsletters.reschedule_newsletter(cur, newsletter_id, send_at)
        log.info("newsletter %s moved to %s by %s", newsletter_id, send_at, admin_id)
        return _view(cur, row)


def cancel_newsletter(ctx: NotifyContext, admin_id: str, newsletter_id) -> dict:
    with ctx.db.transaction() as cur:
        _scheduled(cur, newsletter_id)
        row = newsletters.cancel_newsletter(cur, newsletter_id, admin_id)
        log.info("newsletter %s cancelled by %s", newsletter_id, admin_id)
        return _view(cur, row)


def preview_newsletter(ctx: NotifyContext, admin_id: str, payload: dict) -> dict:
    """Who a newsletter would reach if sent now, per channel, and who not and why: the very
    queries the fan-out runs, and nothing written; with the mail as the caller would get it."""
    scope = _scope(payload)
    channels = payload.get("channels") or ["email"]
    strict = ctx.settings.require_verified
    recipients = {"email": 0, "sms": 0}
    unreachable: dict = {"email": {}, "sms": {}}
    with ctx.db.transaction() as cur:
        for channel in channels:
            recipients[channel] = audience.count_recipients(
                cur, "newsletters", scope, channel, strict
            )
            unreachable[channel] = audience.unreachable(cur, "newsletters", scope, channel, strict)
        contact = contacts.get_contact(cur, admin_id) or {}
    context = {
        "subject": payload["subject"],
        "body": payload["body"],
        "translations": payload.get("translations") or {},
    }
    mail = render_email(
        "newsletter",
        payload.get("language") or contact.get("language"),
        "newsletters",
        context,
        name=contact.get("display_name") or "",
        unsubscribe_url=None,
    )
    return {
        "recipients": recipients,
        "unreachable": unreachable,
        "mail": {
            "language": mail.language,
            "subject": mail.subject,
            "text": mail.text,
            "html": mail.html,
        },
    }


def test_newsletter(ctx: NotifyContext, admin_id: str, payload: dict) -> dict:
    """Queue the newsletter to the caller alone, at their own verified address (whatever
    their preferences say); nothing is recorded as a newsletter."""
    notification_id = uuid.uuid4()
    context = {
        "subject": payload["subject"],
        "body": payload["body"],
        "translations": payload.get("translations") or {},
        "to_self": True,
    }
    with ctx.db.transaction() as cur:
        deliveries.add_notification(cur, notification_id, "newsletter", "newsletters", context)
        if not deliveries.add_own_delivery(cur, notification_id, admin_id):
            raise ApiError(
                422, "You have no verified email address to send a test to.", "no_verified_address"
            )
    return {"queued": 1}


def get_newsletter(ctx: NotifyContext, newsletter_id) -> dict:
    with ctx.db.transaction() as cur:
        row = newsletters.get_newsletter(cur, newsletter_id)
        if row is None:
            raise ApiError(404, "No such newsletter.")
        return _view(cur, row)


def list_newsletters(ctx: NotifyContext, limit: int) -> list[dict]:
    with ctx.db.transaction() as cur:
        return [_view(cur, row) for row in newsletters.list_newsletters(cur, limit)]


def newsletter_archive(ctx: NotifyContext, limit: int, offset: int) -> list[dict]:
    with ctx.db.transaction() as cur:
        return newsletters.newsletter_archive(cur, limit, offset)


def fan_out_next_newsletter(ctx: NotifyContext) -> bool:
    """Turn one queued newsletter into its delivery rows, all in one transaction (so a crash
    leaves it queued, never half fanned out); the senders then send them in batches."""
    strict = ctx.settings.require_verified
    with ctx.db.transaction() as cur:
        row = newsletters.next_queued_newsletter(cur, ctx.clock())
        if row is None:
            return False
        context = {
            "subject": row["subject"],
            "body": row["body"],
            "translations": row["translations"],
        }
        deliveries.add_notification(cur, row["id"], "newsletter", "newsletters", context)
        recipients = sum(
            audience.fan_out(cur, row["id"], "newsletters", row["scope"], channel, strict)
            for channel in row["channels"]
        )
        unreachable = {
            channel: audience.unreachable(cur, "newsletters", row["scope"], channel, strict)
            for channel in row["channels"]
        }
        newsletters.mark_newsletter_sending(cur, row["id"], recipients, unreachable)
        if recipients >= ANALYZE_AFTER:
            # Fresh statistics after a bulk insert, or the planner may hash the whole table to
            # record each batch's outcomes.
            deliveries.analyze_deliveries(cur)
    log.info("newsletter %s fanned out to %d deliveries", row["id"], recipients)
    return True


def fan_out_newsletters(ctx: NotifyContext) -> int:
    count = 0
    while fan_out_next_newsletter(ctx):
        count += 1
    return count
