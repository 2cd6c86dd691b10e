"""Delegates' public record, recall petitions and rules."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from services.common.text import MultiLine, OneLine
from services.members.schemas.fields import StrictSchema


class PetitionCreateSchema(StrictSchema):
    mandate_id = fields.UUID(required=True)
    reason = MultiLine(required=True, validate=validate.Length(min=1, max=4000))


class PetitionListArgs(Schema):
    chapter_id = fields.UUID()
    mandate_id = fields.UUID()
    status = OneLine(
        validate=validate.OneOf(
            ["open", "threshold_reached", "voting", "revoked", "kept", "expired"]
        )
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class PetitionSchema(Schema):
    id = OneLine()
    mandate_id = OneLine()
    role = OneLine(metadata={"description": "delegate, coordinator or admin"})
    chapter_id = OneLine(allow_none=True, metadata={"description": "None: an admin's recall"})
    chapter_name = OneLine(allow_none=True)
    delegate_id = OneLine(metadata={"description": "The mandate holder (any role)."})
    delegate_name = OneLine(allow_none=True)
    opened_by = OneLine()
    reason = MultiLine()
    status = OneLine()
    signatures = fields.Integer()
    threshold = fields.Integer()
    members_at_opening = fields.Integer()
    opened_at = OneLine()
    expires_at = OneLine()
    threshold_at = OneLine(allow_none=True)
    poll_id = OneLine(allow_none=True)
    decided_at = OneLine(allow_none=True)
    votes_for = fields.Integer(allow_none=True)
    votes_against = fields.Integer(allow_none=True)
    cooling_off_until = OneLine(allow_none=True)
    quorum_percent = fields.Float()
    quorum_needed = fields.Integer(
        metadata={
            "description": "Voters the recall vote needs (of its electorate, or of the "
            "members counted when the petition opened, until it is voted on)."
        }
    )
    voters = fields.Integer(allow_none=True)
    electorate = fields.Integer(allow_none=True)
    outcome_reason = MultiLine(
        allow_none=True,
        metadata={"description": "Why the petition ended as it did (e.g. the quorum was not met)."},
    )
    signed = fields.Boolean()


class RecallSettingsSchema(Schema):
    chapter_id = OneLine(dump_only=True)
    threshold_percent = fields.Float(validate=validate.Range(min=0.01, max=100))
    threshold_minimum = fields.Integer(validate=validate.Range(min=1, max=1_000_000))
    petition_days = fields.Integer(validate=validate.Range(min=1, max=3650))
    cooling_off_days = fields.Integer(validate=validate.Range(min=0, max=3650))
    vote_hours = fields.Integer(validate=validate.Range(min=1, max=24 * 365))
    quorum_percent = fields.Float(
        validate=validate.Range(min=0, max=100),
        metadata={
            "description": "Share of the recall vote's electorate (the chapter's active "
            "members) that must vote for its outcome to count; under it the mandate is kept. "
            "Default 20. 0 (no quorum) needs `decided_by_poll_id`."
        },
    )
    decided_by_poll_id = OneLine(
        load_only=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The closed chapter poll that decided a quorum of 0."},
    )
    quorum_decided_by_poll_id = OneLine(dump_only=True, allow_none=True)
    vacancy_rule = OneLine(
        validate=validate.OneOf(["by_election", "next_candidate"]),
        metadata={
            "description": "What fills a delegate seat that empties before its term ends: a "
            "by-election (default) or the next candidate of the original STV count."
        },
    )

    class Meta:
        unknown = RAISE


class RecordMandateSchema(Schema):
    id = OneLine()
    role = OneLine()
    chapter_id = OneLine(allow_none=True)
    chapter_name = OneLine(allow_none=True)
    starts_at = OneLine()
    ends_at = OneLine(allow_none=True)
    revoked_at = OneLine(allow_none=True)
    revoke_reason = MultiLine(allow_none=True)
    active = fields.Boolean()
    interim = fields.Boolean()
    elected_by_poll = OneLine(allow_none=True)
    members_represented = fields.Integer(allow_none=True)
    recall_petitions = fields.List(fields.Nested(PetitionSchema))


class RecordSchema(Schema):
    member_id = OneLine()
    display_name = OneLine()
    mandates = fields.List(fields.Nested(RecordMandateSchema))
