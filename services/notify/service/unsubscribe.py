"""One-click unsubscribe (RFC 8058): the signed link in every mail turns its category off."""

from __future__ import annotations

import logging

from services.common.errors import ApiError
from services.notify import links
from services.notify.context import NotifyContext
from services.notify.service.preferences import CATEGORIES, DEFAULT_PREFERENCE
from services.notify.store import preferences

log = logging.getLogger("councils.notify.service")


def _read_token(ctx: NotifyContext, token: str) -> tuple[str, str]:
    try:
        member_id, category = links.read_unsubscribe_token(ctx.settings.secret_keys, token)
    except links.BadToken:
        raise ApiError(404, "This unsubscribe link is not valid.", "invalid_link") from None
    if category != "all" and category not in CATEGORIES:
        raise ApiError(404, "This unsubscribe link is not valid.", "invalid_link")
    return member_id, category


def describe_unsubscribe(ctx: NotifyContext, token: str) -> dict:
    member_id, category = _read_token(ctx, token)
    with ctx.db.transaction() as cur:
        stored = preferences.preferences_of(cur, member_id)
    affected = CATEGORIES if category == "all" else (category,)
    subscribed = any(stored.get(c, DEFAULT_PREFERENCE)["email"] for c in affected)
    return {"category": category, "subscribed": subscribed}


def unsubscribe(ctx: NotifyContext, token: str) -> dict:
    """Turn email off for the token's category (every optional category for "all")."""
    member_id, category = _read_token(ctx, token)
    affected = CATEGORIES if category == "all" else (category,)
    with ctx.db.transaction() as cur:
        stored = preferences.preferences_of(cur, member_id)
        for name in affected:
            current = stored.get(name, DEFAULT_PREFERENCE)
            preferences.set_preference(cur, member_id, name, False, current["sms"])
    log.info("member %s unsubscribed from %s email", member_id, category)
    return {"category": category, "subscribed": False}
