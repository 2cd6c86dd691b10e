"""One-click unsubscribe (RFC 8058) from links in every email; no login."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import context, html_page, wants_html
from services.notify import schemas
from services.notify.i18n import category_label
from services.notify.service import unsubscribe as unsubscribing

unsubscribe = Blueprint(
    "unsubscribe",
    __name__,
    url_prefix="/api/v1/unsubscribe",
    description="One-click unsubscribe (RFC 8058) from links in every email; no login.",
)


@unsubscribe.route("/<string:token>")
class UnsubscribeResource(MethodView):
    @unsubscribe.response(200, schemas.Unsubscribed)
    def get(self, token):
        """What this link unsubscribes from; nothing changes until it is confirmed by POST
        (mail scanners follow links)."""
        result = unsubscribing.describe_unsubscribe(context(), token)
        if wants_html():  # a Response passes smorest untouched
            label = category_label("en", result["category"])
            return html_page(
                "Unsubscribe",
                f"Stop receiving {label} by email?",
                button="Unsubscribe",
                fields={"List-Unsubscribe": "One-Click"},
            )
        return result

    @unsubscribe.response(200, schemas.Unsubscribed)
    def post(self, token):
        """One click: `List-Unsubscribe=One-Click` (any body is accepted)."""
        result = unsubscribing.unsubscribe(context(), token)
        if wants_html():
            label = category_label("en", result["category"])
            return html_page("Unsubscribed", f"You will no longer receive {label} by email.")
        return result
