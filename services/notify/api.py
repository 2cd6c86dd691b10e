"""Routes of notify: preferences, delivery log, figures, one-click unsubscribe, newsletters."""

from __future__ import annotations

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from markupsafe import escape

from services.common.auth import current_identity, login_required
from services.common.errors import ApiError
from services.notify import schemas, service
from services.notify.locales import category_label

notifications = Blueprint(
    "notifications", __name__, url_prefix="/api/v1/notifications",
    description="Your notification preferences and delivery log; figures for admins.",
)
unsubscribe = Blueprint(
    "unsubscribe", __name__, url_prefix="/api/v1/unsubscribe",
    description="One-click unsubscribe (RFC 8058) from links in every email; no login.",
)
newsletters = Blueprint(
    "newsletters", __name__, url_prefix="/api/v1/newsletters",
    description="Newsletters sent by admins to the organisation, a chapter or a current.",
)
BEARER = [{"bearerAuth": []}]


def _runtime():
    return current_app.extensions["notify_runtime"]


def _me():
    return current_identity(current_app.config.get("JWT_PUBLIC_KEY"))


def _admin():
    """The caller, if they hold an admin mandate now (notify's replica of the mandates: a
    revoked mandate stops counting at once, whatever the token still says)."""
    identity = _me()
    if not service.is_admin(_runtime(), identity.member_id):
        raise ApiError(403, "Only admins may do this.", "forbidden")
    return identity


@notifications.route("/preferences")
class PreferencesResource(MethodView):
    decorators = [login_required]

    @notifications.response(200, schemas.Preferences)
    @notifications.doc(security=BEARER)
    def get(self):
        """Your preferences: per category, email and/or SMS."""
        return service.get_preferences(_runtime(), _me().member_id)

    @notifications.arguments(schemas.PreferencesChange)
    @notifications.response(200, schemas.Preferences)
    @notifications.doc(security=BEARER)
    def put(self, body):
        """Change some categories; the others keep their setting."""
        return service.update_preferences(_runtime(), _me().member_id, body["categories"])


@notifications.route("/deliveries")
class DeliveriesResource(MethodView):
    decorators = [login_required]

    @notifications.arguments(schemas.DeliveryQuery, location="query")
    @notifications.response(200, schemas.DeliveryPage)
    @notifications.doc(security=BEARER)
    def get(self, query):
        """What was sent to you, newest first."""
        return service.deliveries_of(_runtime(), _me().member_id, query["limit"],
                                     query["before"])


@notifications.route("/stats")
class StatsResource(MethodView):
    decorators = [login_required]

    @notifications.response(200, schemas.Stats)
    @notifications.doc(security=BEARER)
    def get(self):
        """Delivery figures by status, channel and category (admins)."""
        _admin()
        return service.stats(_runtime())


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def _page(title: str, body: str) -> Response:
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head><body style='font-family:sans-serif'>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    return Response(html, 200, mimetype="text/html")  # a Response passes smorest untouched


@unsubscribe.route("/<string:token>")
class UnsubscribeResource(MethodView):
    @unsubscribe.response(200, schemas.Unsubscribed)
    def get(self, token):
        """What this link unsubscribes from; nothing changes until it is confirmed by POST
        (mail scanners follow links)."""
        result = service.describe_unsubscribe(_runtime(), token)
        if _wants_html():
            label = category_label("en", result["category"])
            return _page(
                "Unsubscribe",
                f"<p>Stop receiving {escape(label)} by email?</p>"
                "<form method='post'><input type='hidden' name='List-Unsubscribe' "
                "value='One-Click'><button type='submit'>Unsubscribe</button></form>",
            )
        return result

    @unsubscribe.response(200, schemas.Unsubscribed)
    def post(self, token):
        """One click: `List-Unsubscribe=One-Click` (any body is accepted)."""
        result = service.unsubscribe(_runtime(), token)
        if _wants_html():
            label = category_label("en", result["category"])
            return _page("Unsubscribed",
                         f"<p>You will no longer receive {escape(label)} by email.</p>")
        return result


@newsletters.route("")
class NewslettersResource(MethodView):
    decorators = [login_required]

    @newsletters.arguments(schemas.NewsletterQuery, location="query")
    @newsletters.response(200, schemas.NewsletterOut(many=True))
    @newsletters.doc(security=BEARER)
    def get(self, query):
        """Recent newsletters with their delivery figures (admins)."""
        _admin()
        return service.list_newsletters(_runtime(), query["limit"])

    @newsletters.arguments(schemas.NewsletterIn)
    @newsletters.response(202, schemas.NewsletterOut)
    @newsletters.doc(security=BEARER)
    def post(self, body):
        """Send a newsletter to a scope: queued now, sent in batches by the worker (admins)."""
        admin = _admin()
        return service.create_newsletter(_runtime(), admin.member_id, body)


@newsletters.route("/archive")
class NewsletterArchiveResource(MethodView):
    @newsletters.arguments(schemas.ArchiveQuery, location="query")
    @newsletters.response(200, schemas.ArchivedNewsletter(many=True))
    def get(self, query):
        """Newsletters sent to the whole organisation with their text, newest first; public."""
        return service.newsletter_archive(_runtime(), query["limit"], query["offset"])


@newsletters.route("/preview")
class NewsletterPreviewResource(MethodView):
    decorators = [login_required]

    @newsletters.arguments(schemas.NewsletterIn)
    @newsletters.response(200, schemas.NewsletterPreview)
    @newsletters.doc(security=BEARER)
    def post(self, body):
        """How many members the newsletter would reach now by email and by SMS, and how many
        not and why; the same count the send uses, nothing written (admins)."""
        admin = _admin()
        return service.preview_newsletter(_runtime(), admin.member_id, body)


@newsletters.route("/test")
class NewsletterTestResource(MethodView):
    decorators = [login_required]

    @newsletters.arguments(schemas.NewsletterTestIn)
    @newsletters.response(202, schemas.NewsletterTestOut)
    @newsletters.doc(security=BEARER)
    def post(self, body):
        """Send the newsletter to yourself only, at your own verified address (admins)."""
        admin = _admin()
        return service.test_newsletter(_runtime(), admin.member_id, body)


@newsletters.route("/<uuid:newsletter_id>")
class NewsletterResource(MethodView):
    decorators = [login_required]

    @newsletters.response(200, schemas.NewsletterOut)
    @newsletters.doc(security=BEARER)
    def get(self, newsletter_id):
        """One newsletter's progress (admins)."""
        _admin()
        return service.get_newsletter(_runtime(), newsletter_id)
