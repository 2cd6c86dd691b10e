"""Routes: proposals, members' drafts of polls."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity, optional_identity
from services.polls.api.docs import AUTH
from services.polls.schemas.discussion import (
    ProposalCreateSchema,
    ProposalListQuerySchema,
    ProposalListSchema,
    ProposalOpenSchema,
    ProposalSchema,
    ProposalUpdateSchema,
)
from services.polls.schemas.polls import PollSchema
from services.polls.service import proposals

proposals_blp = Blueprint("proposals", __name__, description="Members' drafts of polls")


@proposals_blp.route("/api/v1/proposals")
class Proposals(MethodView):
    @proposals_blp.arguments(ProposalListQuerySchema, location="query")
    @proposals_blp.response(200, ProposalListSchema)
    def get(self, query):
        """Proposals, newest first."""
        return {
            "proposals": proposals.list_proposals(
                context(), query.get("status"), query["limit"], query["offset"]
            )
        }

    @login_required
    @proposals_blp.arguments(ProposalCreateSchema)
    @proposals_blp.response(201, ProposalSchema)
    @proposals_blp.doc(security=AUTH)
    def post(self, data):
        """Draft a poll for coordinators (or admins) to open; any active member may."""
        return proposals.create_proposal(context(), identity(), data)


@proposals_blp.route("/api/v1/proposals/<uuid:proposal_id>")
class ProposalResource(MethodView):
    @proposals_blp.response(200, ProposalSchema)
    def get(self, proposal_id):
        """One proposal; `may_open` says whether the caller may open it as a poll."""
        return proposals.get_proposal(context(), proposal_id, optional_identity())

    @login_required
    @proposals_blp.arguments(ProposalUpdateSchema)
    @proposals_blp.response(200, ProposalSchema)
    @proposals_blp.doc(security=AUTH)
    def patch(self, data, proposal_id):
        """Edit your draft."""
        return proposals.update_proposal(context(), identity(), proposal_id, data)


@proposals_blp.route("/api/v1/proposals/<uuid:proposal_id>/withdraw")
class ProposalWithdraw(MethodView):
    @login_required
    @proposals_blp.response(200, ProposalSchema)
    @proposals_blp.doc(security=AUTH)
    def post(self, proposal_id):
        """Withdraw a draft (its author, or whoever may open it)."""
        return proposals.withdraw_proposal(context(), identity(), proposal_id)


@proposals_blp.route("/api/v1/proposals/<uuid:proposal_id>/open")
class ProposalOpen(MethodView):
    @login_required
    @proposals_blp.arguments(ProposalOpenSchema)
    @proposals_blp.response(201, PollSchema)
    @proposals_blp.doc(security=AUTH)
    def post(self, data, proposal_id):
        """Open a draft as a poll (needs the mandate for its scope); it opens within
        POLLS_PROPOSAL_OPEN_MAX_DAYS (30) days, else 422 naming `opens_at`."""
        return proposals.open_proposal(context(), identity(), proposal_id, data)
