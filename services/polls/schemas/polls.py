"""Schemas of polls, their questions, ballots, receipts and results."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.common.text import MultiLine, OneLine, not_blank
from services.polls.answers import METHODS, RESPONSES
from services.polls.secrecy import RECEIPT_PATTERN
from services.polls.settings import AFFECTED_WEIGHT_CEILING

SCOPE_TYPES = ("organisation", "chapter", "current")


class ScopeSchema(Schema):
    type = OneLine(required=True, validate=validate.OneOf(SCOPE_TYPES))
    id = OneLine(validate=validate.Length(min=1, max=200))

    @validates_schema
    def _id_when_needed(self, data, **kwargs):
        if data.get("type") in ("chapter", "current") and not data.get("id"):
            raise ValidationError("A chapter or current scope needs its id.", "id")


class QuestionInSchema(Schema):
    text = MultiLine(required=True, validate=validate.Length(min=1, max=4000))
    method = OneLine(required=True, validate=validate.OneOf(sorted(METHODS)))
    options = fields.List(OneLine(validate=validate.Length(min=1, max=500)), load_default=list)
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


class AffectedSchema(Schema):
    """A chapter the poll affects most, whose members' ballots weigh `weight` (issue 18)."""

    chapter_id = OneLine(required=True, validate=validate.Length(min=1, max=100))
    weight = fields.Int(required=True, validate=validate.Range(min=2, max=AFFECTED_WEIGHT_CEILING))
    reason = OneLine(required=True, validate=[validate.Length(min=1, max=500), not_blank])


class PollCreateSchema(Schema):
    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    scope = fields.Nested(ScopeSchema, required=True)
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema), required=True, validate=validate.Length(min=1, max=100)
    )
    # Partial counts while open (GET /results, flagged "final": false); hidden by default.
    live_results = fields.Bool(load_default=False)
    affected = fields.List(
        fields.Nested(AffectedSchema),
        validate=validate.Length(max=20),
        metadata={
            "description": "chapters weighted more heavily, at most POLLS_AFFECTED_MAX_WEIGHT"
        },
    )


class PollEditSchema(Schema):
    """What may change while a poll is scheduled; `questions` replaces them all."""

    title = OneLine(validate=validate.Length(min=1, max=300))
    text = MultiLine(allow_none=True, validate=validate.Length(max=20000))
    opens_at = fields.AwareDateTime(allow_none=True, metadata={"description": "null: now"})
    closes_at = fields.AwareDateTime()
    questions = fields.List(
        fields.Nested(QuestionInSchema), validate=validate.Length(min=1, max=100)
    )


class CancelSchema(Schema):
    reason = MultiLine(
        required=True,
        validate=[validate.Length(min=1, max=2000), not_blank],
        metadata={"description": "public: shown with the poll"},
    )


class QuestionOutSchema(Schema):
    class Meta:
        unknown = INCLUDE

    id = OneLine()
    position = fields.Int()
    text = MultiLine()
    method = OneLine()
    options = fields.List(OneLine())
    seats = fields.Int()
    threshold = fields.Raw()
    quorum = fields.Raw()
    max_stand_asides = fields.Raw()
    seed = fields.Raw()
    max_rounds = fields.Int()
    fallback = fields.Raw()
    fallback_quorum = fields.Raw()
    process = fields.Dict(metadata={"description": "consensus: the rounds before this one"})
    previous_poll_id = OneLine()


class DeadlineChangeSchema(Schema):
    from_ = OneLine(data_key="from")
    to = OneLine()
    reason = MultiLine()
    by = OneLine()
    at = OneLine()


class PollSchema(Schema):
    id = OneLine()
    title = OneLine()
    text = MultiLine()
    scope = fields.Dict()
    status = OneLine()
    opens_at = OneLine()
    closes_at = OneLine()
    created_by = OneLine()
    created_at = OneLine()
    opened_at = OneLine(allow_none=True)
    closed_at = OneLine(allow_none=True)
    proposal_id = OneLine(allow_none=True)
    electorate = fields.Int(allow_none=True)
    voters = fields.Int(allow_none=True)
    counted = fields.Bool()
    live_results = fields.Bool()
    live_results_rule = fields.Dict(
        allow_none=True,
        metadata={
            "description": "how live results are published (state it on the ballot "
            "page): {kind, min_new_voters, description}; null without live results"
        },
    )
    eligible = fields.Bool()
    voted = fields.Bool()
    questions = fields.List(fields.Nested(QuestionOutSchema))
    deadline_changes = fields.List(fields.Dict())
    edited_at = OneLine(allow_none=True, metadata={"description": "last edited while scheduled"})
    cancelled_at = OneLine(allow_none=True)
    cancel_reason = MultiLine(allow_none=True, metadata={"description": "public"})
    purpose = OneLine(
        allow_none=True,
        metadata={
            "description": "delegate_election, delegate_poll (its roll-call at "
            "/roll-call) or recall; null for an ordinary poll"
        },
    )
    affected = fields.List(
        fields.Dict(),
        metadata={"description": "{chapter_id, chapter_name, weight, reason, set_aside}"},
    )


class PollCreateQuerySchema(Schema):
    # Run every check of a launch (rules, scope, chapter, permission) and create nothing.
    dry_run = fields.Bool(load_default=False)


class PollListQuerySchema(Schema):
    status = OneLine(validate=validate.OneOf(("scheduled", "open", "closed", "cancelled")))
    scope = OneLine(validate=validate.OneOf(SCOPE_TYPES))
    scope_id = OneLine()
    q = OneLine(
        validate=validate.Length(min=1, max=300),
        metadata={"description": "words of the title (case-insensitive)"},
    )
    method = OneLine(
        validate=validate.OneOf(sorted(METHODS)),
        metadata={"description": "polls with at least one question of this method"},
    )
    purpose = OneLine(
        validate=validate.OneOf(
            (
                "delegate_election",
                "delegate_poll",
                "recall",
                "coordinator_election",
                "admin_election",
            )
        ),
        metadata={
            "description": "only delegate, coordinator or admin elections, delegate polls or "
            "recall votes"
        },
    )
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class PollListSchema(Schema):
    polls = fields.List(fields.Nested(PollSchema))


class AnswerSchema(Schema):
    question_id = OneLine(required=True)
    choice = OneLine(allow_none=True)
    ranking = fields.List(fields.Raw())
    approve = fields.List(fields.Raw())
    response = OneLine(metadata={"description": " | ".join(RESPONSES)})
    reason = MultiLine(validate=validate.Length(max=4000))
    abstain = fields.Bool()


class BallotSchema(Schema):
    answers = fields.List(
        fields.Nested(AnswerSchema),
        required=True,
        validate=validate.Length(max=100),
        metadata={"description": "any subset of the questions; [] is a blank ballot"},
    )


class ReceiptSchema(Schema):
    receipt = OneLine()


def _receipt_field():
    return OneLine(
        required=True,
        validate=validate.Regexp(RECEIPT_PATTERN, error="Not a receipt (24 characters)."),
        metadata={"description": "the receipt the cast answered (kept out of URLs and logs)"},
    )


class BallotChangeSchema(BallotSchema):
    receipt = _receipt_field()


class ReceiptCheckSchema(Schema):
    receipt = _receipt_field()


class CheckResultSchema(Schema):
    status = OneLine(metadata={"description": "recorded (open) | counted (closed)"})
    entry = OneLine(
        allow_none=True,
        metadata={
            "description": "after close: the receipt's commitment (SHA-256, hex) as "
            "published among the counted ones; never the answers"
        },
    )


class PublishedBallotSchema(Schema):
    id = OneLine(metadata={"description": "random; pages follow it"})
    weight = fields.Int()
    answers = fields.List(fields.Dict())


class CommitmentsSchema(Schema):
    commitments = fields.List(
        OneLine(), metadata={"description": "sorted SHA-256 (hex) of the counted receipts"}
    )
    next = OneLine(allow_none=True)


class PageQuerySchema(Schema):
    limit = fields.Int(load_default=1000, validate=validate.Range(min=1, max=10000))
    after = OneLine()


class PublishedBallotsSchema(Schema):
    ballots = fields.List(fields.Nested(PublishedBallotSchema))
    next = OneLine(allow_none=True)


class BallotsQuerySchema(Schema):
    limit = fields.Int(load_default=1000, validate=validate.Range(min=1, max=10000))
    after = OneLine()
    receipt = OneLine(
        metadata={
            "description": "gone (410 `use_ballot_check`): receipts "
            "never go in URLs; POST /ballots/check"
        }
    )


class ResultsSchema(Schema):
    class Meta:
        unknown = INCLUDE

    poll_id = OneLine()
    title = OneLine()
    voters = fields.Int(metadata={"description": "people who voted"})
    electorate = fields.Int(
        metadata={"description": "the electorate's total weight (people, when nobody weighs more)"}
    )
    electors = fields.Int(
        metadata={"description": "polls with affected weights: people in the electorate"}
    )
    ballots = fields.Int()
    turnout = fields.Float(
        allow_none=True,
        metadata={
            "description": "voters / electorate; by weight (= turnout_weight) for delegate polls"
            " and polls with affected weights"
        },
    )
    closed_at = OneLine(allow_none=True)
    final = fields.Bool()  # false: partial counts of an open poll with live results
    representation = fields.Dict(
        metadata={"description": "delegate polls: the roll-call's chapters and totals"}
    )
    turnout_people = fields.Float(
        allow_none=True,
        metadata={
            "description": "delegate polls and polls with affected weights: electors who voted"
            " / electors (people)"
        },
    )
    turnout_weight = fields.Float(
        allow_none=True,
        metadata={
            "description": "delegate polls: weight that voted / members of the scope; polls with"
            " affected weights: weight that voted / the electorate's weight"
        },
    )
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
    format = OneLine(load_default="json", validate=validate.OneOf(("json", "csv")))


class DeadlineSchema(Schema):
    closes_at = fields.AwareDateTime(required=True)
    reason = MultiLine(required=True, validate=[validate.Length(min=1, max=2000), not_blank])
