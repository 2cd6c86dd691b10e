"""Marshmallow schemas: the one description of notify's input and output."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import MultiLine, OneLine
from services.notify.i18n import LANGUAGES
from services.notify.service.preferences import CATEGORIES, CHANNELS


class ChannelChoice(Schema):
    email = fields.Bool(required=True)
    sms = fields.Bool(required=True)


class ChannelChange(Schema):
    email = fields.Bool()
    sms = fields.Bool()


class Preferences(Schema):
    categories = fields.Dict(keys=OneLine(), values=fields.Nested(ChannelChoice))
    email = OneLine(allow_none=True)
    email_verified = fields.Bool()
    phone = OneLine(allow_none=True)
    sms_available = fields.Bool(
        metadata={"description": "SMS needs a phone number, given in the member's profile."}
    )
    language = OneLine()


class PreferencesChange(Schema):
    categories = fields.Dict(
        keys=OneLine(validate=validate.OneOf(CATEGORIES)),
        values=fields.Nested(ChannelChange),
        required=True,
        metadata={"description": f"Any of: {', '.join(CATEGORIES)}."},
    )


class DeliveryQuery(Schema):
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    before = fields.Int(
        load_default=None,
        validate=validate.Range(min=1, max=2**63 - 1),
        metadata={"description": "Page: ids below this."},
    )


class DeliveryItem(Schema):
    id = fields.Int()
    kind = OneLine()
    category = OneLine()
    channel = OneLine()
    status = OneLine(metadata={"description": "pending, sent, failed or skipped"})
    attempts = fields.Int()
    address = OneLine(allow_none=True)
    last_error = OneLine(allow_none=True)
    segments = fields.Int(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(DeliveryItem))
    next_before = fields.Int(allow_none=True)


class Stats(Schema):
    totals = fields.Dict(keys=OneLine(), values=fields.Int())
    by_channel = fields.Dict(keys=OneLine(), values=fields.Dict())
    by_category = fields.Dict(keys=OneLine(), values=fields.Dict())
    contacts = fields.Dict(keys=OneLine(), values=fields.Int())
    unreachable = fields.Dict(
        metadata={
            "description": "Per channel, active members an organisation-wide poll announcement "
            "would not reach, by reason (unverified, opted_out, no_address, "
            "no_phone)."
        }
    )


class Unsubscribed(Schema):
    category = OneLine()
    subscribed = fields.Bool()


class Scope(Schema):
    type = OneLine(required=True, validate=validate.OneOf(["organisation", "chapter", "current"]))
    id = fields.Raw(load_default=None)


class Translation(Schema):
    subject = OneLine(required=True, validate=validate.Length(min=1, max=200))
    body = MultiLine(required=True, validate=validate.Length(min=1, max=100_000))


class NewsletterIn(Schema):
    subject = OneLine(required=True, validate=validate.Length(min=1, max=200))
    body = MultiLine(required=True, validate=validate.Length(min=1, max=100_000))
    translations = fields.Dict(
        keys=OneLine(validate=validate.OneOf(LANGUAGES)),
        values=fields.Nested(Translation),
        load_default=dict,
    )
    scope = fields.Nested(Scope, required=True)
    channels = fields.List(
        OneLine(validate=validate.OneOf(CHANNELS)),
        load_default=lambda: ["email"],
        validate=validate.Length(min=1),
    )
    send_at = fields.AwareDateTime(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "When to send it (in the future; with its time zone). Without it, it "
            "goes now. Until then it can be moved or cancelled; who gets it is counted when it "
            "goes."
        },
    )


class NewsletterScheduleIn(Schema):
    send_at = fields.AwareDateTime(required=True, metadata={"description": "The new time."})


class NewsletterPreviewIn(NewsletterIn):
    language = OneLine(
        validate=validate.OneOf(LANGUAGES),
        allow_none=True,
        metadata={
            "description": "The language to show the mail in (its translation, or the main "
            "text with the mail's words in that language); default: the caller's."
        },
    )


class NewsletterOut(Schema):
    id = fields.UUID()
    subject = OneLine()
    scope = fields.Dict()
    channels = fields.List(OneLine())
    status = OneLine(metadata={"description": "scheduled, queued, sending, sent or cancelled"})
    recipients = fields.Int(allow_none=True)
    unreachable = fields.Dict(
        allow_none=True,
        metadata={
            "description": "Per channel, how many members of the scope the newsletter could not "
            "reach, by reason: unverified, opted_out, no_address, no_phone."
        },
    )
    created_at = fields.DateTime()
    send_at = fields.DateTime(
        allow_none=True, metadata={"description": "When it is scheduled to go, if it was."}
    )
    sent_at = fields.DateTime(allow_none=True, metadata={"description": "When it went out."})
    cancelled_at = fields.DateTime(allow_none=True)
    deliveries = fields.Dict(keys=OneLine(), values=fields.Int())


class NewsletterPreview(Schema):
    recipients = fields.Dict(
        keys=OneLine(),
        values=fields.Int(),
        metadata={
            "description": "Per channel, how many members the newsletter would reach if sent now."
        },
    )
    unreachable = fields.Dict(
        metadata={
            "description": "Per channel, how many members it would not reach, by reason: "
            "unverified, opted_out, no_address, no_phone."
        }
    )
    mail = fields.Dict(
        keys=OneLine(),
        values=MultiLine(),
        metadata={
            "description": "The mail as a member of `language` (default: the caller) would get "
            "it: language, subject, text, html."
        },
    )


class NewsletterTestIn(Schema):
    subject = OneLine(required=True, validate=validate.Length(min=1, max=200))
    body = MultiLine(required=True, validate=validate.Length(min=1, max=100_000))
    translations = fields.Dict(
        keys=OneLine(validate=validate.OneOf(LANGUAGES)),
        values=fields.Nested(Translation),
        load_default=dict,
    )


class NewsletterTestOut(Schema):
    queued = fields.Int()


class ArchiveQuery(Schema):
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class ArchivedNewsletter(Schema):
    id = fields.UUID()
    subject = OneLine()
    body = MultiLine()
    translations = fields.Dict(metadata={"description": "language → {subject, body}"})
    sent_at = fields.DateTime()


class NewsletterQuery(Schema):
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))
