"""Marshmallow schemas: the single description of what the polls API takes and gives."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.polls.answers import METHODS, RESPONSES
from services.polls.secrecy import RECEIPT_PATTERN

SCOPE_TYPES = ("organisation", "chapter", "current")


class ScopeSchema(Schema):
    type = fields.Str(required=True, validate=validate.OneOf(SCOPE_TYPES))
    id = fields.Str(validate=validate.Length(min=1, max=200))

    @validates_schema
    def _id_when_needed(self, data, **kwargs):
        if data.get("type") in ("chapter", "current") and not data.get("id"):
            raise ValidationError("A chapter or current scope needs its id.", "id")


class QuestionInSchema(Schema):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=4000))
    method = fields.Str(required=True, validate=validate.OneOf(sorted(METHODS)))
    options = fields.List(fields.Str(validate=validate.Length(min=1, max=500)), load_default=list)
    seats = fields.Int(validate=validate.Range(min=1, max=1000))
    threshold = fields.Raw(
        metadata={
            "description": "plurality | simple | absolute | two_thirds | a fraction such as 0.6"
        }
    )
    quorum = fields.Raw(metadata={"description": "turnout as a fraction of the electorate"})
    max_stand_asides = fields.Raw(metadata={"description": "consensus: a count, or a share"})
    seed = fields.Raw(metadata={"description": "tie-break seed (published with the result)"})
    max_rounds = fields.Int(
        validate=validate.Range(min=1, max=20), metadata={"description": "consensus rounds"}
    )
    fallback = fields.Raw(
        metadata={"description": "consensus: share needed in the fallback vote, e.g. '9/10'"}
    )
    fallback_quorum = fields.Raw(metadata={"description": "consensus: fallback vote quorum"})


class PollCreateSchema(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    text = fields.Str(validate=validate.Length(max=20000))
    scope = fields.Nested(ScopeSchema, required=True)
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema), required=True, validate=validate.Length(min=1, max=100)
    )
    # Partial counts while open (GET /results, flagged "final": false); hidden by default.
    live_results = fields.Bool(load_default=False)


class QuestionOutSchema(Schema):
    class Meta:
        unknown = INCLUDE

    id = fields.Str()
    position = fields.Int()
    text = fields.Str()
    method = fields.Str()
    options = fields.List(fields.Str())
    seats = fields.Int()
    threshold = fields.Raw()
    quorum = fields.Raw()
    max_stand_asides = fields.Raw()
    seed = fields.Raw()
    max_rounds = fields.Int()
    fallback = fields.Raw()
    fallback_quorum = fields.Raw()
    process = fields.Dict(metadata={"description": "consensus: the rounds before this one"})
    previous_poll_id = fields.Str()


class DeadlineChangeSchema(Schema):
    from_ = fields.Str(data_key="from")
    to = fields.Str()
    reason = fields.Str()
    by = fields.Str()
    at = fields.Str()


class PollSchema(Schema):
    id = fields.Str()
    title = fields.Str()
    text = fields.Str()
    scope = fields.Dict()
    status = fields.Str()
    opens_at = fields.Str()
    closes_at = fields.Str()
    created_by = fields.Str()
    created_at = fields.Str()
    opened_at = fields.Str(allow_none=True)
    closed_at = fields.Str(allow_none=True)
    proposal_id = fields.Str(allow_none=True)
    electorate = fields.Int(allow_none=True)
    voters = fields.Int(allow_none=True)
    counted = fields.Bool()
    live_results = fields.Bool()
    live_results_rule = fields.Dict(
        allow_none=True,
        metadata={"description": "how live results are published (state it on the ballot "
                  "page): {kind, min_new_voters, description}; null without live results"},
    )
    eligible = fields.Bool()
    voted = fields.Bool()
    questions = fields.List(fields.Nested(QuestionOutSchema))
    deadline_changes = fields.List(fields.Dict())


class PollListQuerySchema(Schema):
    status = fields.Str(validate=validate.OneOf(("scheduled", "open", "closed")))
    scope = fields.Str(validate=validate.OneOf(SCOPE_TYPES))
    scope_id = fields.Str()
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class PollListSchema(Schema):
    polls = fields.List(fields.Nested(PollSchema))


class AnswerSchema(Schema):
    question_id = fields.Str(required=True)
    choice = fields.Str(allow_none=True)
    ranking = fields.List(fields.Raw())
    approve = fields.List(fields.Raw())
    response = fields.Str(metadata={"description": " | ".join(RESPONSES)})
    reason = fields.Str(validate=validate.Length(max=4000))
    abstain = fields.Bool()


class BallotSchema(Schema):
    answers = fields.List(
        fields.Nested(AnswerSchema),
        required=True,
        validate=validate.Length(max=100),
        metadata={"description": "any subset of the questions; [] is a blank ballot"},
    )


class ReceiptSchema(Schema):
    receipt = fields.Str()


def _receipt_field():
    return fields.Str(
        required=True,
        validate=validate.Regexp(RECEIPT_PATTERN, error="Not a receipt (24 characters)."),
        metadata={"description": "the receipt the cast answered (kept out of URLs and logs)"},
    )


class BallotChangeSchema(BallotSchema):
    receipt = _receipt_field()


class ReceiptCheckSchema(Schema):
    receipt = _receipt_field()


class CheckResultSchema(Schema):
    status = fields.Str(metadata={"description": "recorded (open) | counted (closed)"})
    entry = fields.Str(
        allow_none=True,
        metadata={"description": "after close: the receipt's commitment (SHA-256, hex) as "
                  "published among the counted ones; never the answers"},
    )


class PublishedBallotSchema(Schema):
    id = fields.Str(metadata={"description": "random; pages follow it"})
    weight = fields.Int()
    answers = fields.List(fields.Dict())


class CommitmentsSchema(Schema):
    commitments = fields.List(fields.Str(), metadata={"description": "sorted SHA-256 (hex) of "
                              "the counted receipts"})
    next = fields.Str(allow_none=True)


class PageQuerySchema(Schema):
    limit = fields.Int(load_default=1000, validate=validate.Range(min=1, max=10000))
    after = fields.Str()


class PublishedBallotsSchema(Schema):
    ballots = fields.List(fields.Nested(PublishedBallotSchema))
    next = fields.Str(allow_none=True)


class BallotsQuerySchema(Schema):
    limit = fields.Int(load_default=1000, validate=validate.Range(min=1, max=10000))
    after = fields.Str()
    receipt = fields.Str(metadata={"description": "gone (410 `use_ballot_check`): receipts "
                                   "never go in URLs; POST /ballots/check"})


class ResultsSchema(Schema):
    class Meta:
        unknown = INCLUDE

    poll_id = fields.Str()
    title = fields.Str()
    voters = fields.Int()
    electorate = fields.Int()
    ballots = fields.Int()
    turnout = fields.Float(allow_none=True)
    closed_at = fields.Str(allow_none=True)
    final = fields.Bool()  # false: partial counts of an open poll with live results
    live_results_rule = fields.Dict(
        metadata={"description": "while open: how live results are published (batches)"}
    )
    questions = fields.List(
        fields.Dict(),
        metadata={
            "description": (
                "Per question, the count: winners and the story of the count in `rounds`. "
                "Amounts are exact, as JSON integers or decimal / 'p/q' strings. An IRV round "
                "that eliminates options, and an STV stage that moves votes (a surplus or an "
                "exclusion), has `transfers`: {source option: {'to': {receiving option: "
                "amount}, 'exhausted': amount}}, receivers with non-zero amounts only, "
                "rendered like the round's `totals`. Each receiver's total after the move "
                "(IRV: in the next round; STV: in the same stage) is its total before plus "
                "what it received. Results "
                "counted before transfers were recorded have none."
            )
        },
    )


class ExportQuerySchema(Schema):
    format = fields.Str(load_default="json", validate=validate.OneOf(("json", "csv")))


class DeadlineSchema(Schema):
    closes_at = fields.AwareDateTime(required=True)
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class ProposalCreateSchema(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    text = fields.Str(validate=validate.Length(max=20000))
    scope = fields.Nested(ScopeSchema, required=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema), required=True, validate=validate.Length(min=1, max=100)
    )


class ProposalUpdateSchema(Schema):
    title = fields.Str(validate=validate.Length(min=1, max=300))
    text = fields.Str(validate=validate.Length(max=20000))
    questions = fields.List(
        fields.Nested(QuestionInSchema), validate=validate.Length(min=1, max=100)
    )


class NextRoundSchema(Schema):
    text = fields.Str(validate=validate.Length(max=20000))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)


class ProposalOpenSchema(Schema):
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)


class ProposalSchema(Schema):
    id = fields.Str()
    title = fields.Str()
    text = fields.Str()
    scope = fields.Dict()
    questions = fields.List(fields.Dict())
    author_id = fields.Str()
    status = fields.Str()
    poll_id = fields.Str(allow_none=True)
    created_at = fields.Str()
    updated_at = fields.Str()


class ProposalListQuerySchema(Schema):
    status = fields.Str(validate=validate.OneOf(("draft", "opened", "withdrawn")))
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class ProposalListSchema(Schema):
    proposals = fields.List(fields.Nested(ProposalSchema))


class CommentCreateSchema(Schema):
    body = fields.Str(required=True, validate=validate.Length(min=1, max=10000))
    parent_id = fields.UUID(allow_none=True)


class CommentSchema(Schema):
    id = fields.Str()
    parent_id = fields.Str(allow_none=True)
    author_id = fields.Str()
    body = fields.Str(allow_none=True)
    created_at = fields.Str()
    hidden = fields.Bool()
    hidden_reason = fields.Str(allow_none=True)
    likes = fields.Int()
    dislikes = fields.Int()
    replies = fields.List(fields.Dict())


class CommentListSchema(Schema):
    comments = fields.List(fields.Nested(CommentSchema))


class ReactionSchema(Schema):
    reaction = fields.Str(
        required=True, allow_none=True, validate=validate.OneOf(("like", "dislike"))
    )


class HideSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))
