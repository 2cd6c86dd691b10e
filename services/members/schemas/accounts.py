"""Registration, login, tokens, verification, passwords."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import OneLine
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


class RegisterSchema(StrictSchema):
    email = Email(required=True)
    password = Password(required=True)
    display_name = Text(required=True, max_length=80)
    country = Country(required=True)
    language = Language(allow_none=True)
    phone = Phone(allow_none=True)
    gender = Gender(
        allow_none=True,
        metadata={"description": "Self-described; only ever used in aggregate diversity figures."},
    )
    introduction = LongText(
        allow_none=True,
        max_length=2000,
        metadata={
            "description": "A few words about yourself, read by the members who vouch for you."
        },
    )


class MemberAddSchema(StrictSchema):
    """An admin adds a member (imports): no password; the member sets one from the mail."""

    email = Email(required=True)
    display_name = Text(required=True, max_length=80)
    country = Country(required=True)
    language = Language(allow_none=True)
    phone = Phone(allow_none=True)
    introduction = LongText(allow_none=True, max_length=2000)
    chapter_id = fields.UUID(
        allow_none=True,
        metadata={"description": "put the member in this chapter (and so every chapter above it)"},
    )
    approve = fields.Bool(load_default=False, metadata={"description": "active at once"})


class DryRunArgs(Schema):
    dry_run = fields.Bool(
        load_default=False,
        metadata={
            "description": "run every check, change nothing, answer 200 with what would happen"
        },
    )


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
    current = fields.Boolean(metadata={"description": "The session of the token of this call."})


class StatusSchema(Schema):
    status = OneLine()
