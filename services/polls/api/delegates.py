"""Routes for delegate elections, delegate polls and their public roll-call (issue 7).

- `POST /api/v1/polls/delegate-elections` {chapter_id, title, text?, question?, candidates:
  [{member_id, name?}] (the ballot shows the member's own name), seats?, term_days?, closes_at,
  opens_at?} → 201 poll (coordinators of the chapter or above, admins)
- `POST /api/v1/polls/coordinator-elections` (same body) → 201 poll: the chapter elects its
  coordinators (issue 18; also any active member of a chapter without an elected coordinator)
- `POST /api/v1/polls/admin-elections` (same body without chapter_id) → 201 poll: the
  organisation elects its admins (`ADMIN_ELECTORATE`; admins, or any active member while no
  elected admin is live)
  Both: one at a time (409 `election_pending` naming the one scheduled or open)
- `POST /api/v1/polls/delegate-polls` {chapter_id, title, text?, questions, closes_at,
  opens_at?} → 201 poll; electorate: the delegates of the child chapters, weighted
- `GET /api/v1/polls/{id}/roll-call` (public): every delegate, the members they represent, their
  weight and what they voted
- `GET /api/v1/delegates/{member_id}/votes` (public): a delegate's votes in delegate polls
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity
from services.polls.api.docs import AUTH
from services.polls.schemas.delegates import (
    AdminElectionCreateSchema,
    DelegatePollCreateSchema,
    DelegateVotesSchema,
    ElectionCreateSchema,
    RollCallSchema,
)
from services.polls.schemas.polls import PollSchema
from services.polls.service import delegates, elections

delegates_blp = Blueprint(
    "delegates",
    __name__,
    description="Delegates: elections, delegate "
    "polls with weighted roll-call ballots, public voting records",
)


@delegates_blp.route("/api/v1/polls/delegate-elections")
class DelegateElections(MethodView):
    @login_required
    @delegates_blp.arguments(ElectionCreateSchema)
    @delegates_blp.response(201, PollSchema)
    @delegates_blp.doc(security=AUTH)
    def post(self, data):
        """Launch a chapter's election of its delegate(s) (STV with `seats`); an uncontested
        one (candidates ≤ seats) elects every candidate without a vote and is closed at once."""
        return elections.create_delegate_election(context(), identity(), data)


@delegates_blp.route("/api/v1/polls/coordinator-elections")
class CoordinatorElections(MethodView):
    @login_required
    @delegates_blp.arguments(ElectionCreateSchema)
    @delegates_blp.response(201, PollSchema)
    @delegates_blp.alt_response(409, description="One is scheduled or open already.")
    @delegates_blp.doc(security=AUTH)
    def post(self, data):
        """Launch a chapter's election of its coordinator(s) (409 `election_pending` while one
        is scheduled or open); at close they hold coordinator
        mandates for `term_days` and the chapter's previous coordinators' mandates end."""
        return elections.create_coordinator_election(context(), identity(), data)


@delegates_blp.route("/api/v1/polls/admin-elections")
class AdminElections(MethodView):
    @login_required
    @delegates_blp.arguments(AdminElectionCreateSchema)
    @delegates_blp.response(201, PollSchema)
    @delegates_blp.alt_response(409, description="One is scheduled or open already.")
    @delegates_blp.doc(security=AUTH)
    def post(self, data):
        """Launch the organisation's election of its admin(s) (409 `election_pending` while one
        is scheduled or open), by every active member or by the
        delegates of the national level (`ADMIN_ELECTORATE`); at close the elected hold admin
        mandates for `term_days` and the previous admins' (the interim one's too) end."""
        return elections.create_admin_election(context(), identity(), data)


@delegates_blp.route("/api/v1/polls/delegate-polls")
class DelegatePolls(MethodView):
    @login_required
    @delegates_blp.arguments(DelegatePollCreateSchema)
    @delegates_blp.response(201, PollSchema)
    @delegates_blp.doc(security=AUTH)
    def post(self, data):
        """Launch a poll of a higher-level chapter decided by its child chapters' delegates."""
        return delegates.create_delegate_poll(context(), identity(), data)


@delegates_blp.route("/api/v1/polls/<uuid:poll_id>/roll-call")
class RollCall(MethodView):
    @delegates_blp.response(200, RollCallSchema)
    def get(self, poll_id):
        """Who may vote in a delegate poll, with what weight, and what each delegate voted."""
        return delegates.roll_call(context(), poll_id)


@delegates_blp.route("/api/v1/delegates/<string:member_id>/votes")
class DelegateVotes(MethodView):
    @delegates_blp.response(200, DelegateVotesSchema)
    def get(self, member_id):
        """A delegate's public votes in delegate polls, newest first."""
        return delegates.votes_of(context(), member_id)
