"""Routes: polls — list, launch (or dry-run), read, edit or cancel while scheduled, close, extend,
next consensus round."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity, optional_identity
from services.polls.api.docs import AUTH
from services.polls.schemas.discussion import NextRoundSchema
from services.polls.schemas.polls import (
    CancelSchema,
    DeadlineSchema,
    PollCreateQuerySchema,
    PollCreateSchema,
    PollEditSchema,
    PollListQuerySchema,
    PollListSchema,
    PollSchema,
)
from services.polls.service import closing, consensus, editing, launch, schedule, views

polls_blp = Blueprint("polls", __name__, description="Polls, ballots and results")


@polls_blp.route("/api/v1/polls")
class Polls(MethodView):
    @polls_blp.arguments(PollListQuerySchema, location="query")
    @polls_blp.response(200, PollListSchema)
    def get(self, query):
        """List polls, newest first; filter by status, scope, method, and words of the title."""
        return {
            "polls": views.list_polls(
                context(),
                title=query.get("q"),
                method=query.get("method"),
                status=query.get("status"),
                scope_type=query.get("scope"),
                scope_id=query.get("scope_id"),
                limit=query["limit"],
                offset=query["offset"],
                purpose=query.get("purpose"),
            )
        }

    @login_required
    @polls_blp.arguments(PollCreateQuerySchema, location="query")
    @polls_blp.arguments(PollCreateSchema)
    @polls_blp.response(201, PollSchema)
    @polls_blp.alt_response(
        200,
        schema=PollSchema,
        description="dry_run: the poll as it would be created; nothing was stored",
    )
    @polls_blp.doc(security=AUTH)
    def post(self, query, data):
        """Launch a poll (admin for the organisation, coordinators for their chapter).

        With `?dry_run=true` every check runs and nothing is created (answer 200)."""
        if query["dry_run"]:
            return launch.validate_poll(context(), identity(), data), 200
        return launch.create_poll(context(), identity(), data)


@polls_blp.route("/api/v1/polls/<uuid:poll_id>")
class PollResource(MethodView):
    @polls_blp.response(200, PollSchema)
    def get(self, poll_id):
        """One poll: questions, status, deadlines (and their public changes), turnout."""
        return views.get_poll(context(), poll_id, optional_identity())

    @login_required
    @polls_blp.arguments(PollEditSchema)
    @polls_blp.response(200, PollSchema)
    @polls_blp.alt_response(409, description="Open, closed, cancelled, or a purpose poll.")
    @polls_blp.doc(security=AUTH)
    def patch(self, data, poll_id):
        """Edit a scheduled poll (whoever may launch it): title, text, opens_at, closes_at,
        questions (replaced as a whole). 409 once it has opened."""
        return editing.edit_poll(context(), identity(), poll_id, data)


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/cancel")
class Cancel(MethodView):
    @login_required
    @polls_blp.arguments(CancelSchema)
    @polls_blp.response(200, PollSchema)
    @polls_blp.alt_response(409, description="Open, closed, cancelled, or a purpose poll.")
    @polls_blp.doc(security=AUTH)
    def post(self, data, poll_id):
        """Cancel a scheduled poll with a public reason (whoever may launch it); 409 once it
        has opened."""
        return editing.cancel_poll(context(), identity(), poll_id, data["reason"])


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/close")
class Close(MethodView):
    @login_required
    @polls_blp.response(200, PollSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, poll_id):
        """Close now and count (whoever may launch such a poll)."""
        return closing.close(context(), identity(), poll_id)


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/questions/<uuid:question_id>/next_round")
class NextRound(MethodView):
    @login_required
    @polls_blp.arguments(NextRoundSchema)
    @polls_blp.response(201, PollSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, data, poll_id, question_id):
        """Consensus: start the next round (amended text) or the fallback vote, as a new poll."""
        return consensus.next_round(context(), identity(), poll_id, question_id, data)


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/deadline")
class Deadline(MethodView):
    @login_required
    @polls_blp.arguments(DeadlineSchema)
    @polls_blp.response(200, PollSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, data, poll_id):
        """Extend the deadline; the change and its reason are shown with the poll."""
        return schedule.extend(context(), identity(), poll_id, data["closes_at"], data["reason"])
