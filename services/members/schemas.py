"""Marshmallow schemas: the one description of what the members API takes and gives."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.common.text import MultiLine, OneLine
from services.members import geo
from services.members.rules import GENDERS, LEVELS, ROLES, TARGET_KINDS

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
GENDER_WORDS = {
    "woman": "woman", "female": "woman", "f": "woman", "w": "woman",
    "man": "man", "male": "man", "m": "man",
    "non_binary": "non_binary", "non-binary": "non_binary", "nonbinary": "non_binary",
    "other": "other",
}


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class _Trimmed:
    """A string with surrounding white space removed; empty means missing when required."""

    def __init__(self, *args, max_length: int = 200, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > self.max_length:
            raise ValidationError(f"At most {self.max_length} characters.")
        if not text and self.required:
            raise ValidationError("Must not be empty.")
        return text or None


class Text(_Trimmed, OneLine):
    """One line (a name, a place): control characters and line breaks are refused."""


class LongText(_Trimmed, MultiLine):
    """Lines (an introduction, a description, a note): breaks kept as \\n, other control
    characters refused."""


class Email(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > 254:
            raise ValidationError("Not a valid email address: too long.")
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValidationError(f"Not a valid email address: {exc}") from None


class Country(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        code = geo.country_code(text)
        if code is None:
            raise ValidationError("Not an ISO 3166-1 alpha-2 country code (e.g. GB, DE, IN).")
        return code


class Language(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            return None
        code = geo.language_code(text)
        if code is None:
            raise ValidationError("Not a language code (ISO 639, e.g. en, de, pt-BR).")
        return code


class Phone(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = re.sub(r"[\s().-]", "", super()._deserialize(value, attr, data, **kwargs))
        if not text:
            return None
        if not E164.match(text):
            raise ValidationError("Not a phone number in E.164 form (e.g. +441234567890).")
        return text


class Gender(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if text in ("", "unstated", "prefer_not_to_say", "none"):
            return None
        if text not in GENDER_WORDS:
            raise ValidationError(f"One of {', '.join(GENDERS)} (or leave it out).")
        return GENDER_WORDS[text]


class Continent(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text.upper() in geo.CONTINENTS:
            return text.upper()
        for code, name in geo.CONTINENTS.items():
            if name.lower() == text.lower():
                return code
        raise ValidationError(f"One of {', '.join(geo.CONTINENTS)} (or their names).")


class Number(fields.Raw):
    """A number as it is: integral counts stay integers, shares keep their decimals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {})["type"] = "number"
        super().__init__(**kwargs)


class Password(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 256:
            raise ValidationError("At most 256 characters.")
        return text


# --- identity -------------------------------------------------------------------------------

class RegisterSchema(StrictSchema):
    email = Email(required=True)
    password = Password(required=True)
    display_name = Text(required=True, max_length=80)
    country = Country(required=True)
    language = Language(allow_none=True)
    phone = Phone(allow_none=True)
    gender = Gender(allow_none=True, metadata={
        "description": "Self-described; only ever used in aggregate diversity figures."})
    introduction = LongText(allow_none=True, max_length=2000, metadata={
        "description": "A few words about yourself, read by the members who vouch for you."})


class MemberAddSchema(StrictSchema):
    """An admin adds a member (imports): no password; the member sets one from the mail."""
    email = Email(required=True)
    display_name = Text(required=True, max_length=80)
    country = Country(required=True)
    language = Language(allow_none=True)
    phone = Phone(allow_none=True)
    introduction = LongText(allow_none=True, max_length=2000)
    chapter_id = fields.UUID(allow_none=True, metadata={
        "description": "put the member in this chapter (and so every chapter above it)"})
    approve = fields.Bool(load_default=False, metadata={"description": "active at once"})


class DryRunArgs(Schema):
    dry_run = fields.Bool(load_default=False, metadata={
        "description": "run every check, change nothing, answer 200 with what would happen"})


class MemberAddedSchema(Schema):
    id = fields.UUID(allow_none=True)
    email = OneLine()
    status = OneLine()
    chapter_id = fields.UUID(allow_none=True)
    chapters = fields.List(OneLine())
    mail = OneLine(metadata={"description": "the first-login mail: 'welcome' (set a password)"})
    dry_run = fields.Bool()


class RegisteredSchema(Schema):
    id = fields.UUID()
    status = OneLine()


class LoginSchema(StrictSchema):
    email = OneLine(required=True, validate=validate.Length(max=254))
    password = OneLine(required=True, validate=validate.Length(max=256))


class TokensSchema(Schema):
    access_token = OneLine()
    refresh_token = OneLine()
    token_type = OneLine()
    expires_in = fields.Integer()
    member_id = fields.UUID()
    status = OneLine()
    admin = fields.Boolean()


class RefreshSchema(StrictSchema):
    refresh_token = OneLine(required=True, validate=validate.Length(min=1, max=200))


class LogoutSchema(RefreshSchema):
    everywhere = fields.Boolean(load_default=False)


class VerifyQuerySchema(Schema):
    token = OneLine(required=True, validate=validate.Length(min=1, max=200))


class VerifySchema(StrictSchema):
    token = OneLine(required=True, validate=validate.Length(min=1, max=200))


class VerifiedSchema(Schema):
    member_id = fields.UUID()
    email = OneLine()
    email_verified = fields.Boolean()


class PasswordChangeSchema(StrictSchema):
    current_password = Password(required=True)
    new_password = Password(required=True)


class PasswordForgotSchema(StrictSchema):
    email = OneLine(required=True, validate=validate.Length(max=254))


class PasswordResetSchema(StrictSchema):
    token = OneLine(required=True, validate=validate.Length(min=1, max=200))
    password = Password(required=True)


class SessionSchema(Schema):
    id = fields.UUID(metadata={"description": "The session (one login and its refreshes)."})
    started_at = fields.DateTime()
    last_used_at = fields.DateTime()
    ended = fields.Boolean()


class StatusSchema(Schema):
    status = OneLine()


# --- members --------------------------------------------------------------------------------

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
    vouches_required = fields.Integer(metadata={
        "description": "Vouches a pending member needs to become active."})
    vouching_enabled = fields.Boolean(metadata={
        "description": "Whether members are activated by vouches here (else by an admin)."})
    chapters = fields.List(fields.Nested(ChapterRefSchema))
    chapter_ids = fields.List(fields.UUID(), metadata={
        "description": "Every chapter the member belongs to, ancestors included."})
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
    current_password = Password(load_only=True, metadata={
        "description": "Required to change the email address."})

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
    counted = fields.Boolean(metadata={
        "description": "False for a vouch from a member vouched in within the window."})
    created_at = fields.DateTime()


class MemberVouchesSchema(Schema):
    member_id = fields.UUID()
    received = fields.List(fields.Nested(VouchEntrySchema))
    given = fields.List(fields.Nested(VouchEntrySchema))


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class MemberListArgs(PageArgs):
    status = OneLine(validate=validate.OneOf(["pending", "active", "deleted", "rejected"]))
    q = OneLine(validate=validate.Length(max=100))
    country = Country()
    chapter_id = fields.UUID(metadata={"description": "members of this chapter or below"})
    suspended = fields.Boolean()


class RejectSchema(StrictSchema):
    reason = LongText(required=True, max_length=1000,
                      metadata={"description": "shown to the member when they log in"})


class RejectedSchema(Schema):
    id = fields.UUID()
    status = OneLine()
    reject_reason = MultiLine()
    rejected_at = fields.DateTime()


class AnnouncedSchema(Schema):
    announce_id = OneLine()
    chapters = fields.Integer()
    members = fields.Integer()


# --- chapters -------------------------------------------------------------------------------

class WorkingStatusSchema(Schema):
    working = fields.Boolean()
    members = fields.Integer()
    women = fields.Integer()
    gender_stated = fields.Integer()
    women_share = fields.Float(allow_none=True, metadata={
        "description": "Women among all members (0..1); no stated gender counts as not a "
                       "woman."})
    women_share_of_stated = fields.Float(allow_none=True)
    last_meeting_on = fields.Date(allow_none=True)
    criteria = fields.Dict(keys=OneLine(), values=fields.Boolean())
    thresholds = fields.Dict()


class ChapterSchema(Schema):
    id = fields.UUID()
    parent_id = fields.UUID(allow_none=True)
    name = OneLine()
    level = OneLine()
    country = OneLine(allow_none=True)
    place = OneLine(allow_none=True)
    continent = OneLine(allow_none=True)
    description = MultiLine(allow_none=True)
    founded_on = fields.Date()
    created_at = fields.DateTime()
    member_count = fields.Integer()
    working = fields.Boolean()


class ChapterTreeSchema(ChapterSchema):
    children = fields.List(fields.Nested(lambda: ChapterTreeSchema()))


class ChapterMemberSchema(Schema):
    id = fields.UUID()
    display_name = OneLine()
    country = OneLine()
    status = OneLine()
    joined_at = fields.DateTime()
    direct = fields.Boolean()


class CoordinatorSchema(Schema):
    member_id = fields.UUID()
    display_name = OneLine()
    mandate_id = fields.UUID()
    since = fields.DateTime()


class AncestorSchema(Schema):
    id = fields.UUID()
    parent_id = fields.UUID(allow_none=True)
    name = OneLine()
    level = OneLine()


class ChapterPageSchema(ChapterTreeSchema):
    status = fields.Nested(WorkingStatusSchema)
    ancestors = fields.List(fields.Nested(AncestorSchema))
    coordinators = fields.List(fields.Nested(CoordinatorSchema))
    members = fields.List(fields.Nested(ChapterMemberSchema), metadata={
        "description": "Only shown to active members."})


class WorkingChapterSchema(ChapterSchema):
    status = fields.Nested(WorkingStatusSchema)


class ChapterStatusSchema(WorkingStatusSchema):
    chapter_id = fields.UUID()
    name = OneLine()


class ChapterListArgs(PageArgs):
    q = OneLine(validate=validate.Length(max=100))
    level = OneLine(validate=validate.OneOf(LEVELS))
    country = Country()
    parent_id = fields.UUID()
    root = fields.Boolean(load_default=False)
    sort = OneLine(load_default="newest", validate=validate.OneOf(("newest", "name")),
                   metadata={"description": "newest (founded last first) or name (A to Z)."})


class ChapterPageArgs(Schema):
    depth = fields.Integer(validate=validate.Range(min=0, max=64), metadata={
        "description": "How many levels of sub-chapters to include (0: none, 1: the direct "
                       "sub-chapters); the whole sub-tree without it."})


class ChapterCreateSchema(StrictSchema):
    name = Text(required=True, max_length=120)
    level = OneLine(load_default="local", validate=validate.OneOf(LEVELS))
    parent_id = fields.UUID(allow_none=True)
    country = Country(allow_none=True)
    place = Text(allow_none=True, max_length=120)
    continent = Continent(allow_none=True)
    description = LongText(allow_none=True, max_length=4000)
    founded_on = fields.Date(allow_none=True)


class ChapterUpdateSchema(StrictSchema):
    name = Text(max_length=120)
    parent_id = fields.UUID(allow_none=True)
    country = Country()
    place = Text(allow_none=True, max_length=120)
    continent = Continent(allow_none=True)
    description = LongText(allow_none=True, max_length=4000)
    founded_on = fields.Date()


class MembershipSchema(Schema):
    chapter_id = fields.UUID()
    member_id = fields.UUID()
    member = fields.Boolean()
    changed = fields.Boolean()
    ancestors = fields.List(fields.UUID())


class MeetingCreateSchema(StrictSchema):
    held_on = fields.Date(required=True)
    note = LongText(allow_none=True, max_length=4000)


class MeetingSchema(Schema):
    id = fields.UUID()
    chapter_id = fields.UUID()
    held_on = fields.Date()
    note = MultiLine(allow_none=True)
    recorded_by = fields.UUID(allow_none=True)
    created_at = fields.DateTime()


# --- currents -------------------------------------------------------------------------------

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


# --- mandates and audit ---------------------------------------------------------------------

def _grantable_role(value: str) -> None:
    if value == "delegate":
        raise ValidationError("Delegates are not granted by hand: they come from their chapter's "
                              "delegate election (POST /api/v1/polls/delegate-elections), which "
                              "records the mandate when it closes.")
    validate.OneOf(ROLES)(value)


class MandateCreateSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    role = OneLine(required=True, validate=_grantable_role,
                         metadata={"enum": list(ROLES)})
    chapter_id = fields.UUID(allow_none=True)
    starts_at = fields.AwareDateTime(allow_none=True, default_timezone=None)
    ends_at = fields.AwareDateTime(allow_none=True)
    note = LongText(allow_none=True, max_length=500)


class MandateRevokeSchema(StrictSchema):
    reason = LongText(allow_none=True, max_length=500)


class MandateListArgs(PageArgs):
    member_id = fields.UUID()
    chapter_id = fields.UUID()
    # Delegates are listed too; they are granted only by elections, never by hand.
    role = OneLine(validate=validate.OneOf((*ROLES, "delegate")))
    all = fields.Boolean(load_default=False, metadata={
        "description": "Include revoked and ended mandates."})


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


# --- targets --------------------------------------------------------------------------------

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
    target = fields.Decimal(required=True, places=None, allow_nan=False,
                            validate=validate.Range(min=0, max=1e9))
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
