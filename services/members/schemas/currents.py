"""Currents and their members."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import MultiLine, OneLine
from services.members.schemas.fields import LongText, StrictSchema, Text
from services.members.schemas.members import PageArgs


class CurrentSchema(Schema):
    id = fields.UUID()
    name = OneLine()
    description = MultiLine(allow_none=True)
    created_by = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
    member_count = fields.Integer()


class CurrentCreateSchema(StrictSchema):
    name = Text(required=True, max_length=120)
    description = LongText(allow_none=True, max_length=4000)


class CurrentListArgs(PageArgs):
    q = OneLine(validate=validate.Length(max=100))


class CurrentMembershipSchema(Schema):
    current_id = fields.UUID()
    member_id = fields.UUID()
    member = fields.Boolean()
    changed = fields.Boolean()
