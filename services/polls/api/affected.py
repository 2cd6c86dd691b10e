"""Routes: challenges to the weights a poll gives its most affected chapters (issue 18)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity, optional_identity
from services.polls.api.docs import AUTH
from services.polls.schemas.initiative import ChallengeCreateSchema, ChallengesSchema
from services.polls.service import affected

affected_blp = Blueprint(
    "affected", __name__, description="Affected scopes: challenges to a poll's weights"
)


@affected_blp.route("/api/v1/polls/<uuid:poll_id>/challenges")
class Challenges(MethodView):
    @affected_blp.response(200, ChallengesSchema)
    def get(self, poll_id):
        """The challenges filed against the poll's weights, and the threshold that sets the
        weights aside when the poll opens."""
        return affected.list_challenges(context(), poll_id, optional_identity())

    @login_required
    @affected_blp.arguments(ChallengeCreateSchema)
    @affected_blp.response(201, ChallengesSchema)
    @affected_blp.doc(security=AUTH)
    def post(self, data, poll_id):
        """Challenge the weights (active members of the poll's scope, while it is scheduled)."""
        return affected.file_challenge(context(), identity(), poll_id, data["reason"])
