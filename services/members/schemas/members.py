"""Members: their own data, approval, vouching, suspension."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.text import MultiLine, OneLine
from services.members.schemas.fields import (
    Country,
    Email,
    Gender,
    Language,
    LongText,
    Password,
    Phone,
    StrictSchema,
    Text,
)


class ChapterRefSchema(Schema):
    id = fields.UUID()
    name = OneLine()
    level = OneLine()
    joined_at = fields.DateTime()


class CurrentRefSchema(Schema):
    id = fields.UUID()
    name = OneLine()
    joined_at = fields.DateTime()


class MandateSchema(Schema):
    id = fields.UUID()
    member_id = fields.UUID()
    member_name = OneLine(allow_none=True)
    role = OneLine()
    chapter_id = fields.UUID(allow_none=True)
    chapter_name = OneLine(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)
    granted_by = fields.UUID(allow_none=True)
    granted_at = fields.DateTime()
    note = MultiLine(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by = fields.UUID(allow_none=True)
    revoke_reason = MultiLine(allow_none=True)
    active = fields.Boolean()
    interim = fields.Boolean(
        metadata={
            "description": "Appointed, not elected (the bootstrapped admin's, a chapter "
            "founder's, or granted by POST /api/v1/mandates): it always ends, at most "
            "INTERIM_MANDATE_DAYS after it starts, and the members' next election for the "
            "role supersedes it."
        }
    )
    elected = fields.Boolean(metadata={"description": "Granted by the members' election."})


class ProfileSchema(Schema):
    id = fields.UUID()
    email = OneLine()
    display_name = OneLine()
    status = OneLine()
    country = OneLine()
    language = OneLine(allow_none=True)
    phone = OneLine(allow_none=True)
    gender = OneLine(allow_none=True)
    introduction = MultiLine(allow_none=True)
    email_verified = fields.Boolean()
    created_at = fields.DateTime()
    activated_at = fields.DateTime(allow_none=True)
    suspended = fields.Boolean()
    suspend_reason = MultiLine(allow_none=True)
    reject_reason = MultiLine(allow_none=True)


class MeSchema(ProfileSchema):
    admin = fields.Boolean()
    vouches = fields.Integer()
    vouches_required = fields.Integer(
        metadata={"description": "Vouches a pending member needs to become active."}
    )
    vouching_enabled = fields.Boolean(
        metadata={
            "description": "Whether members are activated by vouches here (else by an admin)."
        }
    )
    chapters = fields.List(fields.Nested(ChapterRefSchema))
    chapter_ids = fields.List(
        fields.UUID(),
        metadata={"description": "Every chapter the member belongs to, ancestors included."},
    )
    currents = fields.List(fields.Nested(CurrentRefSchema))
    mandates = fields.List(fields.Nested(MandateSchema))


class MeCorrectSchema(StrictSchema):
    email = Email()
    display_name = Text(max_length=80)
    country = Country()
    language = Language(allow_none=True)
    phone = Phone(allow_none=True)
    gender = Gender(allow_none=True)
    introduction = LongText(allow_none=True, max_length=2000)
    current_password = Password(
        load_only=True, metadata={"description": "Required to change the email address."}
    )

    @validates_schema
    def _not_empty(self, data, **kwargs):
        for key in ("email", "display_name", "country"):
            if key in data and data[key] is None:
                raise ValidationError("Must not be empty.", key)


class DeleteMeSchema(StrictSchema):
    password = Password(required=True)


class MemberPublicSchema(Schema):
    id = fields.UUID()
    display_name = OneLine()
    country = OneLine()
    status = OneLine()
    introduction = MultiLine(allow_none=True)
    created_at = fields.DateTime()
    email = OneLine()
    chapters = fields.List(fields.Nested(ChapterRefSchema))
    mandates = fields.List(fields.Nested(MandateSchema))


class PendingMemberSchema(Schema):
    id = fields.UUID()
    display_name = OneLine()
    country = OneLine()
    introduction = MultiLine(allow_none=True)
    created_at = fields.DateTime()
    vouches = fields.Integer()
    chapters = fields.List(
        fields.Nested(ChapterRefSchema), metadata={"description": "chapters joined directly"}
    )


class ApprovedSchema(Schema):
    id = fields.UUID()
    status = OneLine()
    activated_at = fields.DateTime(allow_none=True)


class VouchSchema(StrictSchema):
    note = LongText(allow_none=True, max_length=500)


class VouchedSchema(Schema):
    id = fields.UUID()
    status = OneLine()
    vouches = fields.Integer()
    vouches_required = fields.Integer()


class SuspendSchema(StrictSchema):
    reason = LongText(allow_none=True, max_length=500)


class SuspensionSchema(Schema):
    id = fields.UUID()
    status = OneLine()
    suspended = fields.Boolean()
    suspended_at = fields.DateTime(allow_none=True)
    suspend_reason = MultiLine(allow_none=True)


class VouchEntrySchema(Schema):
    member_id = fields.UUID(metadata={"description": "The other member of the vouch."})
    display_name = OneLine()
    note = MultiLine(allow_none=True)
    counted = fields.Boolean(
        metadata={"description": "False for a vouch from a member vouched in within the window."}
    )
    created_at = fields.DateTime()


class MemberVouchesSchema(Schema):
    member_id = fields.UUID()
    received = fields.List(fields.Nested(VouchEntrySchema))
    given = fields.List(fields.Nested(VouchEntrySchema))


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class PendingListArgs(PageArgs):
    chapter_id = fields.UUID(metadata={"description": "pending members of this chapter or below"})
    mine = fields.Boolean(
        load_default=False,
        metadata={"description": "only those in a chapter the caller joined, or below it"},
    )


class MemberListArgs(PageArgs):
    status = OneLine(validate=validate.OneOf(["pending", "active", "deleted", "rejected"]))
    q = OneLine(validate=validate.Length(max=100))
    country = Country()
    chapter_id = fields.UUID(metadata={"description": "members of this chapter or below"})
    suspended = fields.Boolean()


class RejectSchema(StrictSchema):
    reason = LongText(
        required=True,
        max_length=1000,
        metadata={"description": "shown to the member when they log in"},
    )


class RejectedSchema(Schema):
    id = fields.UUID()
    status = OneLine()
    reject_reason = MultiLine()
    rejected_at = fields.DateTime()


class AnnouncedSchema(Schema):
    announce_id = OneLine()
    chapters = fields.Integer()
    members = fields.Integer()
