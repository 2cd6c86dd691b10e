"""Routes: chapters put matters upward — a delegate poll asked of the level above (issue 18)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity, optional_identity
from services.polls.api.docs import AUTH
from services.polls.schemas.upward import (
    UpwardRequestCreateSchema,
    UpwardRequestListQuerySchema,
    UpwardRequestListSchema,
    UpwardRequestOpenSchema,
    UpwardRequestRefuseSchema,
    UpwardRequestSchema,
)
from services.polls.service import upward

upward_blp = Blueprint(
    "upward", __name__, description="Chapters ask the level above to hold a delegate poll"
)


@upward_blp.route("/api/v1/polls/upward-requests")
class UpwardRequests(MethodView):
    @upward_blp.arguments(UpwardRequestListQuerySchema, location="query")
    @upward_blp.response(200, UpwardRequestListSchema)
    def get(self, query):
        """Requests, newest first (public), by the chapter asking or the level asked."""
        limit, offset = query.pop("limit"), query.pop("offset")
        return {"requests": upward.list_requests(context(), query, limit, offset)}

    @login_required
    @upward_blp.arguments(UpwardRequestCreateSchema)
    @upward_blp.response(201, UpwardRequestSchema)
    @upward_blp.doc(security=AUTH)
    def post(self, data):
        """Ask the level above for a delegate poll: by a closed poll of the chapter, or by a
        coordinator's mandate for it."""
        return upward.file_request(context(), identity(), data)


@upward_blp.route("/api/v1/polls/upward-requests/<uuid:request_id>")
class UpwardRequest(MethodView):
    @upward_blp.response(200, UpwardRequestSchema)
    def get(self, request_id):
        """One request; `may_answer` says whether the caller may answer it."""
        return upward.get_request(context(), request_id, optional_identity())


@upward_blp.route("/api/v1/polls/upward-requests/<uuid:request_id>/open")
class UpwardRequestOpen(MethodView):
    @login_required
    @upward_blp.arguments(UpwardRequestOpenSchema)
    @upward_blp.response(200, UpwardRequestSchema)
    @upward_blp.doc(security=AUTH)
    def post(self, data, request_id):
        """Answer by opening the delegate poll in the level above (its coordinators, admins)."""
        return upward.open_poll(context(), identity(), request_id, data)


@upward_blp.route("/api/v1/polls/upward-requests/<uuid:request_id>/refuse")
class UpwardRequestRefuse(MethodView):
    @login_required
    @upward_blp.arguments(UpwardRequestRefuseSchema)
    @upward_blp.response(200, UpwardRequestSchema)
    @upward_blp.doc(security=AUTH)
    def post(self, data, request_id):
        """Answer by refusing, with a public reason."""
        return upward.refuse(context(), identity(), request_id, data["reason"])
