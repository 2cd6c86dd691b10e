"""Targets and the organisation's figures."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.text import OneLine
from services.members.rules import TARGET_KINDS
from services.members.schemas.fields import Number, StrictSchema, Text


class TargetSchema(Schema):
    id = fields.UUID()
    name = OneLine()
    kind = OneLine()
    target = Number()
    current = Number()
    met = fields.Boolean()
    progress = fields.Float()
    deadline = fields.Date(allow_none=True)
    unit = OneLine()


class TargetCreateSchema(StrictSchema):
    name = Text(required=True, max_length=200)
    kind = OneLine(required=True, validate=validate.OneOf(TARGET_KINDS))
    target = fields.Decimal(
        required=True, places=None, allow_nan=False, validate=validate.Range(min=0, max=1e9)
    )
    deadline = fields.Date(allow_none=True)
    position = fields.Integer(validate=validate.Range(min=0, max=10_000))

    @validates_schema
    def _percent(self, data, **kwargs):
        if data.get("kind") == "women_share" and data.get("target", 0) > 100:
            raise ValidationError("A share is a percentage: 0..100.", "target")


class TargetUpdateSchema(StrictSchema):
    name = Text(max_length=200)
    kind = OneLine(validate=validate.OneOf(TARGET_KINDS))
    target = fields.Decimal(places=None, allow_nan=False, validate=validate.Range(min=0, max=1e9))
    deadline = fields.Date(allow_none=True)
    position = fields.Integer(validate=validate.Range(min=0, max=10_000))


class FiguresSchema(Schema):
    members = fields.Integer()
    women = fields.Integer()
    gender_stated = fields.Integer()
    women_share = fields.Float()
    women_share_of_stated = fields.Float(allow_none=True)
    countries = fields.Integer()
    continents = fields.Integer()
    continent_names = fields.List(OneLine())
    chapters = fields.Integer()
    working_chapters = fields.Integer()
