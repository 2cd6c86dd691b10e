"""Routes for delegate elections, delegate polls and their public roll-call (issue 7).

- `POST /api/v1/polls/delegate-elections` {chapter_id, title, text?, question?, candidates:
  [{member_id, name}], seats?, term_days?, closes_at, opens_at?} → 201 poll (coordinators of
  the chapter or above, admins)
- `POST /api/v1/polls/delegate-polls` {chapter_id, title, text?, questions, closes_at,
  opens_at?} → 201 poll; electorate: the delegates of the child chapters, weighted
- `GET /api/v1/polls/{id}/roll-call` (public): every delegate, the members they represent, their
  weight and what they voted
- `GET /api/v1/delegates/{member_id}/votes` (public): a delegate's votes in delegate polls
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import login_required
from services.common.text import MultiLine, OneLine
from services.polls import delegate_polls
from services.polls import schemas as s
from services.polls.api import AUTH, identity, request_id, service

delegates_blp = Blueprint("delegates", __name__, description="Delegates: elections, delegate "
                          "polls with weighted roll-call ballots, public voting records")


class CandidateSchema(Schema):
    member_id = OneLine(required=True, validate=validate.Length(min=1, max=200))
    name = OneLine(required=True, validate=validate.Length(min=1, max=200))


class ElectionCreateSchema(Schema):
    chapter_id = OneLine(required=True, validate=validate.Length(min=1, max=200))
    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    question = MultiLine(validate=validate.Length(min=1, max=4000))
    candidates = fields.List(fields.Nested(CandidateSchema), required=True,
                             validate=validate.Length(min=1, max=200), metadata={
                                 "description": "No more candidates than seats: uncontested, "
                                                "elected without a vote (closed at once)."})
    seats = fields.Int(validate=validate.Range(min=1, max=100))
    term_days = fields.Int(validate=validate.Range(min=1, max=3650))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)


class DelegatePollCreateSchema(Schema):
    chapter_id = OneLine(required=True, validate=validate.Length(min=1, max=200))
    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)
    questions = fields.List(fields.Nested(s.QuestionInSchema), required=True,
                            validate=validate.Length(min=1, max=100))


class RollCallSchema(Schema):
    poll_id = OneLine()
    title = OneLine()
    status = OneLine()
    chapter_id = OneLine()
    electors = fields.List(fields.Dict(), metadata={
        "description": "{member_id, chapter_id, members_represented, delegates_of_chapter, "
                       "weight, voted, answers, cast_at}"})


class DelegateVotesSchema(Schema):
    member_id = OneLine()
    votes = fields.List(fields.Dict(), metadata={
        "description": "{poll_id, title, chapter_id, represents, status, closes_at, weight, "
                       "answers, cast_at}"})


@delegates_blp.route("/api/v1/polls/delegate-elections")
class DelegateElections(MethodView):
    @login_required
    @delegates_blp.arguments(ElectionCreateSchema)
    @delegates_blp.response(201, s.PollSchema)
    @delegates_blp.doc(security=AUTH)
    def post(self, data):
        """Launch a chapter's election of its delegate(s) (STV with `seats`); an uncontested
        one (candidates ≤ seats) elects every candidate without a vote and is closed at once."""
        return delegate_polls.create_election(service(), identity(), data, request_id())


@delegates_blp.route("/api/v1/polls/delegate-polls")
class DelegatePolls(MethodView):
    @login_required
    @delegates_blp.arguments(DelegatePollCreateSchema)
    @delegates_blp.response(201, s.PollSchema)
    @delegates_blp.doc(security=AUTH)
    def post(self, data):
        """Launch a poll of a higher-level chapter decided by its child chapters' delegates."""
        return delegate_polls.create_delegate_poll(service(), identity(), data, request_id())


@delegates_blp.route("/api/v1/polls/<uuid:poll_id>/roll-call")
class RollCall(MethodView):
    @delegates_blp.response(200, RollCallSchema)
    def get(self, poll_id):
        """Who may vote in a delegate poll, with what weight, and what each delegate voted."""
        return delegate_polls.roll_call(service(), poll_id)


@delegates_blp.route("/api/v1/delegates/<string:member_id>/votes")
class DelegateVotes(MethodView):
    @delegates_blp.response(200, DelegateVotesSchema)
    def get(self, member_id):
        """A delegate's public votes in delegate polls, newest first."""
        return delegate_polls.votes_of(service(), member_id)
