"""Marshmallow schemas: the one description of notify's input and output."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.notify.locales import LANGUAGES
from services.notify.service import CATEGORIES, CHANNELS


class ChannelChoice(Schema):
    email = fields.Bool(required=True)
    sms = fields.Bool(required=True)


class ChannelChange(Schema):
    email = fields.Bool()
    sms = fields.Bool()


class Preferences(Schema):
    categories = fields.Dict(keys=fields.Str(), values=fields.Nested(ChannelChoice))
    email = fields.Str(allow_none=True)
    email_verified = fields.Bool()
    phone = fields.Str(allow_none=True)
    sms_available = fields.Bool(
        metadata={"description": "SMS needs a phone number, given in the member's profile."}
    )
    language = fields.Str()


class PreferencesChange(Schema):
    categories = fields.Dict(
        keys=fields.Str(validate=validate.OneOf(CATEGORIES)),
        values=fields.Nested(ChannelChange),
        required=True,
        metadata={"description": f"Any of: {', '.join(CATEGORIES)}."},
    )


class DeliveryQuery(Schema):
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    before = fields.Int(load_default=None, validate=validate.Range(min=1, max=2**63 - 1),
                        metadata={"description": "Page: ids below this."})


class DeliveryItem(Schema):
    id = fields.Int()
    kind = fields.Str()
    category = fields.Str()
    channel = fields.Str()
    status = fields.Str(metadata={"description": "pending, sent, failed or skipped"})
    attempts = fields.Int()
    address = fields.Str(allow_none=True)
    last_error = fields.Str(allow_none=True)
    segments = fields.Int(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(DeliveryItem))
    next_before = fields.Int(allow_none=True)


class Stats(Schema):
    totals = fields.Dict(keys=fields.Str(), values=fields.Int())
    by_channel = fields.Dict(keys=fields.Str(), values=fields.Dict())
    by_category = fields.Dict(keys=fields.Str(), values=fields.Dict())
    contacts = fields.Dict(keys=fields.Str(), values=fields.Int())
    unreachable = fields.Dict(metadata={
        "description": "Per channel, active members an organisation-wide poll announcement "
                       "would not reach, by reason (unverified, opted_out, no_address, "
                       "no_phone)."})


class Unsubscribed(Schema):
    category = fields.Str()
    subscribed = fields.Bool()


class Scope(Schema):
    type = fields.Str(required=True, validate=validate.OneOf(["organisation", "chapter",
                                                              "current"]))
    id = fields.Raw(load_default=None)


class Translation(Schema):
    subject = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    body = fields.Str(required=True, validate=validate.Length(min=1, max=100_000))


class NewsletterIn(Schema):
    subject = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    body = fields.Str(required=True, validate=validate.Length(min=1, max=100_000))
    translations = fields.Dict(
        keys=fields.Str(validate=validate.OneOf(LANGUAGES)),
        values=fields.Nested(Translation),
        load_default=dict,
    )
    scope = fields.Nested(Scope, required=True)
    channels = fields.List(fields.Str(validate=validate.OneOf(CHANNELS)),
                           load_default=lambda: ["email"], validate=validate.Length(min=1))


class NewsletterOut(Schema):
    id = fields.UUID()
    subject = fields.Str()
    scope = fields.Dict()
    channels = fields.List(fields.Str())
    status = fields.Str(metadata={"description": "queued, sending or sent"})
    recipients = fields.Int(allow_none=True)
    unreachable = fields.Dict(allow_none=True, metadata={
        "description": "Per channel, how many members of the scope the newsletter could not "
                       "reach, by reason: unverified, opted_out, no_address, no_phone."})
    created_at = fields.DateTime()
    deliveries = fields.Dict(keys=fields.Str(), values=fields.Int())


class NewsletterQuery(Schema):
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))
