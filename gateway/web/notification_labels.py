"""Words for what notify reports of a message sent to a member (its kind and status)."""

from __future__ import annotations

from gateway.web.i18n import Translator


def kind_labels(_: Translator) -> dict[str, str]:
    return {
        "verification": _("Link to verify your email address"),
        "password_reset": _("Link to set a new password"),
        "email_changed": _("Your email address changed"),
        "poll_opened": _("A poll opened"),
        "poll_closing_soon": _("A poll closes soon"),
        "poll_closed": _("Results of a poll"),
        "newsletter": _("Newsletter"),
        "recall": _("Recall petition"),
    }


def delivery_status_labels(_: Translator) -> dict[str, str]:
    return {
        "pending": _("Waiting to be sent"),
        "sent": _("Sent"),
        "failed": _("Could not be delivered"),
        "skipped": _("Not sent (your choices)"),
    }
