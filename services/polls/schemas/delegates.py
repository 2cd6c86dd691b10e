"""Schemas of delegate elections, delegate polls and their roll-call."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import MultiLine, OneLine
from services.polls.schemas.polls import QuestionInSchema


class CandidateSchema(Schema):
    member_id = OneLine(required=True, validate=validate.Length(min=1, max=200))
    name = OneLine(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Optional: the ballot shows the member's own display name; a name "
            "given that is not it is refused (422)."
        },
    )


class AdminElectionCreateSchema(Schema):
    """An election of mandates; the organisation's admins have no chapter."""

    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    question = MultiLine(validate=validate.Length(min=1, max=4000))
    candidates = fields.List(
        fields.Nested(CandidateSchema),
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "No more candidates than seats: uncontested, "
            "elected without a vote (closed at once)."
        },
    )
    seats = fields.Int(validate=validate.Range(min=1, max=100))
    term_days = fields.Int(validate=validate.Range(min=1, max=3650))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)
    by_election_for = OneLine(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "A by-election: the delegate mandate whose empty seat it fills (one "
            "seat, until that seat's term ends). Refused (422) while the seat is filled."
        },
    )


class ElectionCreateSchema(AdminElectionCreateSchema):
    """A chapter's election of its delegates or of its coordinators."""

    chapter_id = OneLine(required=True, validate=validate.Length(min=1, max=200))


class DelegatePollCreateSchema(Schema):
    chapter_id = OneLine(required=True, validate=validate.Length(min=1, max=200))
    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema), required=True, validate=validate.Length(min=1, max=100)
    )


class RollCallSchema(Schema):
    poll_id = OneLine()
    title = OneLine()
    status = OneLine()
    chapter_id = OneLine()
    electors = fields.List(
        fields.Dict(),
        metadata={
            "description": "{member_id, chapter_id, members_represented, delegates_of_chapter, "
            "weight, voted, answers, cast_at}"
        },
    )
    chapters = fields.List(
        fields.Dict(),
        metadata={
            "description": "How the scope is represented, one entry per child chapter (kind "
            "`chapter`) and one for the direct members (kind `direct`): {chapter_id, "
            "chapter_name, kind, members, seats, filled, weight, electors, voted, voted_weight, "
            "unrepresented: [{weight, reason, since}], unrepresented_weight}. `weight` plus "
            "`unrepresented_weight` is `members`. Reasons: resigned, recalled, term, "
            "superseded, revoked, left, never_elected."
        },
    )
    scope_members = fields.Int(metadata={"description": "active members of the scope's subtree"})
    represented_weight = fields.Int()
    unrepresented_weight = fields.Int()
    elector_count = fields.Int()
    voters = fields.Int()
    voted_weight = fields.Int()
    turnout_people = fields.Float(
        allow_none=True, metadata={"description": "electors who voted / electors"}
    )
    turnout_weight = fields.Float(
        allow_none=True, metadata={"description": "weight that voted / scope_members"}
    )


class DelegateVotesSchema(Schema):
    member_id = OneLine()
    votes = fields.List(
        fields.Dict(),
        metadata={
            "description": "{poll_id, title, chapter_id, represents, status, closes_at, weight, "
            "answers, cast_at}"
        },
    )
