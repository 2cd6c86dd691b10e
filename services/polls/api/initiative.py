"""Routes: member initiative — supporting a proposal, and a chapter's own threshold."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity
from services.polls.api.docs import AUTH
from services.polls.schemas.initiative import SupportSchema, ThresholdSchema, ThresholdSetSchema
from services.polls.service import initiative

initiative_blp = Blueprint(
    "initiative",
    __name__,
    description="Member initiative: proposals that open as polls on their supporters' strength",
)


@initiative_blp.route("/api/v1/proposals/<uuid:proposal_id>/support")
class Support(MethodView):
    @login_required
    @initiative_blp.response(200, SupportSchema)
    @initiative_blp.doc(security=AUTH)
    def post(self, proposal_id):
        """Support a draft (active members of its scope); once supporters reach the threshold,
        it opens as a poll at the end of its discussion period."""
        return initiative.support(context(), identity(), proposal_id)

    @login_required
    @initiative_blp.response(200, SupportSchema)
    @initiative_blp.doc(security=AUTH)
    def delete(self, proposal_id):
        """Take your support back (while it is a draft)."""
        return initiative.withdraw_support(context(), identity(), proposal_id)


@initiative_blp.route("/api/v1/proposals/thresholds/<chapter_id>")
class ChapterThreshold(MethodView):
    @initiative_blp.response(200, ThresholdSchema)
    def get(self, chapter_id):
        """The supporters a proposal for this chapter needs now."""
        return initiative.chapter_threshold(context(), chapter_id)

    @login_required
    @initiative_blp.arguments(ThresholdSetSchema)
    @initiative_blp.response(200, ThresholdSchema)
    @initiative_blp.doc(security=AUTH)
    def put(self, data, chapter_id):
        """Record the chapter's own threshold, as a closed poll of the chapter decided it."""
        return initiative.set_chapter_threshold(context(), identity(), chapter_id, data)
