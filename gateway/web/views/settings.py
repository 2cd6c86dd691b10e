"""The member's own settings: which notifications reach them, by which channel."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gateway.web.context import api, me, render, to_login, translator
from gateway.web.labels import category_labels

bp = Blueprint("settings", __name__)


@bp.route("/me/notifications", methods=["GET", "POST"])
def notification_preferences():
    _ = translator()
    if not me():
        return to_login()
    client = api()
    current = client.get("/api/v1/notifications/preferences")
    if request.method == "POST":
        categories = {}
        for category, choice in (current.get("categories") or {}).items():
            categories[category] = {
                channel: request.form.get(f"{category}.{channel}") == "on"
                for channel in ("email", "sms") if channel in choice}
        client.call("PUT", "/api/v1/notifications/preferences", json={"categories": categories})
        flash(_("Your notification choices are saved."), "info")
        return redirect(url_for("settings.notification_preferences"))
    return render("preferences.html", prefs=current, labels=category_labels(_))
