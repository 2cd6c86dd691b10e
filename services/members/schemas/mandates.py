"""Mandates and the audit log."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from services.common.text import OneLine
from services.members.rules import ROLES
from services.members.schemas.fields import LongText, StrictSchema
from services.members.schemas.members import PageArgs


def _grantable_role(value: str) -> None:
    if value == "delegate":
        raise ValidationError(
            "Delegates are not granted by hand: they come from their chapter's "
            "delegate election (POST /api/v1/polls/delegate-elections), which "
            "records the mandate when it closes."
        )
    validate.OneOf(ROLES)(value)


class MandateCreateSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    role = OneLine(required=True, validate=_grantable_role, metadata={"enum": list(ROLES)})
    chapter_id = fields.UUID(allow_none=True)
    starts_at = fields.AwareDateTime(allow_none=True, default_timezone=None)
    ends_at = fields.AwareDateTime(allow_none=True)
    note = LongText(allow_none=True, max_length=500)


class MandateRevokeSchema(StrictSchema):
    reason = LongText(allow_none=True, max_length=500)


class MandateTermSchema(StrictSchema):
    ends_at = fields.AwareDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the mandate ends (future); null: no set end."},
    )
    reason = LongText(
        allow_none=True, max_length=500, metadata={"description": "Public, in the audit log."}
    )


class MandateListArgs(PageArgs):
    member_id = fields.UUID()
    chapter_id = fields.UUID()
    # Delegates are listed too; they are granted only by elections, never by hand.
    role = OneLine(validate=validate.OneOf((*ROLES, "delegate")))
    all = fields.Boolean(
        load_default=False, metadata={"description": "Include revoked and ended mandates."}
    )
    elected = fields.Boolean(
        metadata={"description": "Only mandates the members' elections granted (true) or not."}
    )


class AuditEntrySchema(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    action = OneLine()
    actor_id = fields.UUID(allow_none=True)
    actor_name = OneLine(allow_none=True)
    member_id = fields.UUID(allow_none=True)
    member_name = OneLine(allow_none=True)
    mandate_id = fields.UUID(allow_none=True)
    role = OneLine(allow_none=True)
    chapter_id = fields.UUID(allow_none=True)
    chapter_name = OneLine(allow_none=True)
    detail = fields.Dict()


class AuditArgs(Schema):
    chapter_id = fields.UUID()
    member_id = fields.UUID()
    before = fields.Integer(validate=validate.Range(min=1, max=2**63 - 1))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
