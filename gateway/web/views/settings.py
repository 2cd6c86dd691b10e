"""The member's own settings: which notifications reach them, by which channel; and the page the
unsubscribe link of every mail opens."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, to_login, translator
from gateway.web.labels import category_labels
from gateway.web.notification_labels import delivery_status_labels, kind_labels

bp = Blueprint("settings", __name__)
INBOX_PAGE = 20


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
                for channel in ("email", "sms")
                if channel in choice
            }
        try:
            client.call("PUT", "/api/v1/notifications/preferences", json={"categories": categories})
        except ApiProblem as problem:
            if problem.status != 422:
                raise
            return _page(current, 422, error=problem.message)
        flash(_("Your notification choices are saved."), "info")
        return redirect(url_for("settings.notification_preferences"))
    return _page(current)


def _page(prefs: dict, status: int = 200, error: str | None = None):
    """The choices, and the inbox: what was sent to the member and when (newest first)."""
    _ = translator()
    before = request.args.get("before", type=int)
    try:
        sent = api().get(
            "/api/v1/notifications/deliveries",
            limit=INBOX_PAGE,
            before=before if before and before > 0 else None,
        )
    except ApiProblem:
        sent = {"items": [], "next_before": None}
    return render(
        "preferences.html",
        status,
        prefs=prefs,
        labels=category_labels(_),
        error=error,
        sent=sent,
        kinds=kind_labels(_),
        channels={"email": _("Email"), "sms": _("Text message")},
        statuses=delivery_status_labels(_),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """What a mail's unsubscribe link stops, and a button that stops it (mail scanners follow
    links, so nothing changes until it is pressed). No login: the signed token says who. The
    List-Unsubscribe header keeps notify's one-click address (RFC 8058)."""
    _ = translator()
    path = f"/api/v1/unsubscribe/{quote(token, safe='')}"
    done = request.method == "POST"
    try:
        result = api().post(path) if done else api().get(path)
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        return render("unsubscribe.html", 404, what=None, done=False, token=token)
    category = result.get("category")
    what = category_labels(_).get(category) or _("Every message you may turn off")
    return render("unsubscribe.html", what=what, done=done, token=token)
