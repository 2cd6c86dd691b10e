"""Newsletters sent by admins to the organisation, a chapter or a current; the public archive."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context
from services.notify import schemas
from services.notify.api.access import BEARER, require_admin
from services.notify.service import newsletters as sending

newsletters = Blueprint(
    "newsletters",
    __name__,
    url_prefix="/api/v1/newsletters",
    description="Newsletters sent by admins to the organisation, a chapter or a current.",
)


@newsletters.route("")
class NewslettersResource(MethodView):
    decorators = [login_required]

    @newsletters.arguments(schemas.NewsletterQuery, location="query")
    @newsletters.response(200, schemas.NewsletterOut(many=True))
    @newsletters.doc(security=BEARER)
    def get(self, query):
        """Recent newsletters with their delivery figures (admins)."""
        require_admin()
        return sending.list_newsletters(context(), query["limit"])

    @newsletters.arguments(schemas.NewsletterIn)
    @newsletters.response(202, schemas.NewsletterOut)
    @newsletters.doc(security=BEARER)
    def post(self, body):
        """Send a newsletter to a scope: queued now, or scheduled for `send_at`, and sent in
        batches by the worker (admins). 422 naming `send_at` if that time has passed."""
        admin = require_admin()
        return sending.create_newsletter(context(), admin.member_id, body)


@newsletters.route("/archive")
class NewsletterArchiveResource(MethodView):
    @newsletters.arguments(schemas.ArchiveQuery, location="query")
    @newsletters.response(200, schemas.ArchivedNewsletter(many=True))
    def get(self, query):
        """Newsletters sent to the whole organisation with their text, newest first; public."""
        return sending.newsletter_archive(context(), query["limit"], query["offset"])


@newsletters.route("/preview")
class NewsletterPreviewResource(MethodView):
    decorators = [login_required]

    @newsletters.arguments(schemas.NewsletterPreviewIn)
    @newsletters.response(200, schemas.NewsletterPreview)
    @newsletters.doc(security=BEARER)
    def post(self, body):
        """How many members the newsletter would reach now by email and by SMS, and how many
        not and why; the same count the send uses, nothing written (admins). With the mail as
        a member reading `language` gets it (default: the caller's language)."""
        admin = require_admin()
        return sending.preview_newsletter(context(), admin.member_id, body)


@newsletters.route("/test")
class NewsletterTestResource(MethodView):
    decorators = [login_required]

    @newsletters.arguments(schemas.NewsletterTestIn)
    @newsletters.response(202, schemas.NewsletterTestOut)
    @newsletters.doc(security=BEARER)
    def post(self, body):
        """Send the newsletter to yourself only, at your own verified address (admins)."""
        admin = require_admin()
        return sending.test_newsletter(context(), admin.member_id, body)


@newsletters.route("/<uuid:newsletter_id>")
class NewsletterResource(MethodView):
    decorators = [login_required]

    @newsletters.response(200, schemas.NewsletterOut)
    @newsletters.doc(security=BEARER)
    def get(self, newsletter_id):
        """One newsletter's progress (admins)."""
        require_admin()
        return sending.get_newsletter(context(), newsletter_id)

    @newsletters.arguments(schemas.NewsletterScheduleIn)
    @newsletters.response(200, schemas.NewsletterOut)
    @newsletters.alt_response(409, description="It has gone already, or was not scheduled.")
    @newsletters.doc(security=BEARER)
    def patch(self, body, newsletter_id):
        """Move a scheduled newsletter to another time, in the future, before it goes
        (admins)."""
        admin = require_admin()
        return sending.reschedule_newsletter(
            context(), admin.member_id, newsletter_id, body["send_at"]
        )


@newsletters.route("/<uuid:newsletter_id>/cancel")
class NewsletterCancelResource(MethodView):
    decorators = [login_required]

    @newsletters.response(200, schemas.NewsletterOut)
    @newsletters.alt_response(409, description="It has gone already, or was not scheduled.")
    @newsletters.doc(security=BEARER)
    def post(self, newsletter_id):
        """Cancel a scheduled newsletter before it goes: nobody gets it (admins)."""
        admin = require_admin()
        return sending.cancel_newsletter(context(), admin.member_id, newsletter_id)
