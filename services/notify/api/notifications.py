"""Your notification preferences and delivery log; figures for admins."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity
from services.notify import schemas
from services.notify.api.access import BEARER, require_admin
from services.notify.service import figures, inbox, preferences

notifications = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1/notifications",
    description="Your notification preferences and delivery log; figures for admins.",
)


@notifications.route("/preferences")
class PreferencesResource(MethodView):
    decorators = [login_required]

    @notifications.response(200, schemas.Preferences)
    @notifications.doc(security=BEARER)
    def get(self):
        """Your preferences: per category, email and/or SMS."""
        return preferences.get_preferences(context(), identity().member_id)

    @notifications.arguments(schemas.PreferencesChange)
    @notifications.response(200, schemas.Preferences)
    @notifications.doc(security=BEARER)
    def put(self, body):
        """Change some categories; the others keep their setting."""
        return preferences.update_preferences(context(), identity().member_id, body["categories"])


@notifications.route("/deliveries")
class DeliveriesResource(MethodView):
    decorators = [login_required]

    @notifications.arguments(schemas.DeliveryQuery, location="query")
    @notifications.response(200, schemas.DeliveryPage)
    @notifications.doc(security=BEARER)
    def get(self, query):
        """What was sent to you, newest first."""
        return inbox.deliveries_of(context(), identity().member_id, query["limit"], query["before"])


@notifications.route("/stats")
class StatsResource(MethodView):
    decorators = [login_required]

    @notifications.response(200, schemas.Stats)
    @notifications.doc(security=BEARER)
    def get(self):
        """Delivery figures by status, channel and category (admins)."""
        require_admin()
        return figures.stats(context())
