"""Schemas of the requests chapters send upward (a delegate poll asked of the level above)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import MultiLine, OneLine, not_blank
from services.polls.schemas.polls import QuestionInSchema


class UpwardRequestCreateSchema(Schema):
    chapter_id = OneLine(required=True, validate=validate.Length(min=1, max=200))
    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    questions = fields.List(
        fields.Nested(QuestionInSchema), required=True, validate=validate.Length(min=1, max=20)
    )
    decided_by_poll_id = fields.UUID(
        allow_none=True,
        metadata={
            "description": "the chapter's closed poll that decided to ask; without it, "
            "a coordinator's mandate"
        },
    )


class UpwardRequestListQuerySchema(Schema):
    chapter_id = OneLine(validate=validate.Length(min=1, max=200))
    parent_id = OneLine(validate=validate.Length(min=1, max=200))
    status = OneLine(validate=validate.OneOf(("pending", "opened", "refused")))
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class UpwardRequestRefuseSchema(Schema):
    reason = MultiLine(required=True, validate=[validate.Length(min=1, max=5000), not_blank])


class UpwardRequestOpenSchema(Schema):
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)


class UpwardRequestSchema(Schema):
    id = OneLine()
    chapter = fields.Dict(metadata={"description": "{id, name}: the chapter asking"})
    asks = fields.Dict(metadata={"description": "{id, name}: the level above, asked"})
    title = OneLine()
    text = MultiLine()
    questions = fields.List(fields.Dict())
    basis = OneLine(metadata={"description": "mandate | poll"})
    decided_by_poll_id = OneLine(allow_none=True)
    filed_by = OneLine()
    filed_by_name = OneLine(allow_none=True)
    filed_at = OneLine()
    answer_due_at = OneLine()
    status = OneLine(metadata={"description": "pending | opened | refused"})
    overdue = fields.Bool(metadata={"description": "pending past answer_due_at"})
    answered_late = fields.Bool()
    answered_at = OneLine(allow_none=True)
    answered_by = OneLine(allow_none=True)
    refusal_reason = MultiLine(allow_none=True)
    poll_id = OneLine(allow_none=True)
    may_answer = fields.Bool()


class UpwardRequestListSchema(Schema):
    requests = fields.List(fields.Nested(UpwardRequestSchema))
