"""Members' notification preferences: per optional category, email and/or SMS."""

from __future__ import annotations

from services.common.errors import ApiError
from services.notify.context import NotifyContext
from services.notify.store import contacts
from services.notify.store import preferences as stored_preferences

CATEGORIES = ("polls", "reminders", "results", "recall", "events", "newsletters")
DEFAULT_PREFERENCE = {"email": True, "sms": False}
CHANNELS = ("email", "sms")


def _view(cur, member_id: str) -> dict:
    stored = stored_preferences.preferences_of(cur, member_id)
    contact = contacts.get_contact(cur, member_id) or {}
    return {
        "categories": {c: stored.get(c, dict(DEFAULT_PREFERENCE)) for c in CATEGORIES},
        "email": contact.get("email"),
        "email_verified": bool(contact.get("email_verified")),
        "phone": contact.get("phone"),
        "sms_available": bool(contact.get("phone")),
        "language": contact.get("language") or "en",
    }


def get_preferences(ctx: NotifyContext, member_id: str) -> dict:
    with ctx.db.transaction() as cur:
        return _view(cur, member_id)


def update_preferences(ctx: NotifyContext, member_id: str, categories: dict) -> dict:
    unknown = sorted(set(categories) - set(CATEGORIES))
    if unknown:
        raise ApiError(
            422,
            "Unknown notification category.",
            fields={
                "categories": [
                    f"unknown category {name!r}; known: {', '.join(CATEGORIES)}" for name in unknown
                ]
            },
        )
    with ctx.db.transaction() as cur:
        current = stored_preferences.preferences_of(cur, member_id)
        for category, change in categories.items():
            merged = {**current.get(category, DEFAULT_PREFERENCE), **change}
            stored_preferences.set_preference(
                cur, member_id, category, merged["email"], merged["sms"]
            )
        return _view(cur, member_id)
