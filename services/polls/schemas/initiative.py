"""Schemas of member initiative (supporters, thresholds) and of challenges to affected weights."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import OneLine, not_blank


class ThresholdSchema(Schema):
    share = fields.Float(metadata={"description": "share of the scope's active members"})
    minimum = fields.Int(metadata={"description": "never fewer supporters than this"})
    active_members = fields.Int()
    needed = fields.Int(metadata={"description": "max(minimum, ⌈share × active_members⌉)"})
    decided_by_poll_id = OneLine(
        allow_none=True, metadata={"description": "the chapter poll that set its own rule"}
    )


class SupporterSchema(Schema):
    member_id = OneLine()
    name = OneLine(allow_none=True)
    at = OneLine()


class SupportSchema(Schema):
    supporters = fields.List(fields.Nested(SupporterSchema))
    supporters_count = fields.Int()
    threshold = fields.Nested(ThresholdSchema)
    threshold_reached = fields.Bool()
    supported = fields.Bool()
    may_support = fields.Bool()


class ThresholdSetSchema(Schema):
    share = fields.Float(required=True, validate=validate.Range(min=0.001, max=1))
    minimum = fields.Int(required=True, validate=validate.Range(min=1, max=1_000_000))
    decided_by_poll_id = fields.UUID(required=True)


class ChallengeCreateSchema(Schema):
    reason = OneLine(required=True, validate=[validate.Length(min=1, max=1000), not_blank])


class ChallengeSchema(Schema):
    member_id = OneLine()
    name = OneLine(allow_none=True)
    reason = OneLine()
    at = OneLine()


class ChallengesSchema(Schema):
    challenges = fields.List(fields.Nested(ChallengeSchema))
    count = fields.Int()
    threshold = fields.Nested(
        ThresholdSchema, metadata={"description": "challengers that set the weights aside"}
    )
    open_to_challenge = fields.Bool()
    challenged = fields.Bool()
    may_challenge = fields.Bool()
