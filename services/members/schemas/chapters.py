"""Chapters, their members, meetings and working status."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import MultiLine, OneLine
from services.members.schemas.fields import Continent, Country, LongText, StrictSchema, Text
from services.members.schemas.members import PageArgs


class WorkingStatusSchema(Schema):
    working = fields.Boolean()
    members = fields.Integer()
    women = fields.Integer()
    gender_stated = fields.Integer()
    women_share = fields.Float(
        allow_none=True,
        metadata={
            "description": "Women among all members (0..1); no stated gender counts as not a woman."
        },
    )
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
    until = fields.DateTime(allow_none=True)
    interim = fields.Boolean(
        metadata={"description": "Appointed, not elected: until the chapter elects."}
    )


class AncestorSchema(Schema):
    id = fields.UUID()
    parent_id = fields.UUID(allow_none=True)
    name = OneLine()
    level = OneLine()


class ChapterPageSchema(ChapterTreeSchema):
    status = fields.Nested(WorkingStatusSchema)
    ancestors = fields.List(fields.Nested(AncestorSchema))
    coordinators = fields.List(fields.Nested(CoordinatorSchema))
    members = fields.List(
        fields.Nested(ChapterMemberSchema),
        metadata={"description": "Only shown to active members."},
    )


class WorkingChapterSchema(ChapterSchema):
    status = fields.Nested(WorkingStatusSchema)


class ChapterStatusSchema(WorkingStatusSchema):
    chapter_id = fields.UUID()
    name = OneLine()


class ChapterMembersArgs(PageArgs):
    q = OneLine(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "words of the member's name (case-insensitive)"},
    )


class ChapterListArgs(PageArgs):
    q = OneLine(validate=validate.Length(max=100))
    level = OneLine(
        validate=validate.Length(min=1, max=40),
        metadata={"description": "one of the levels of FEDERATION_LEVELS"},
    )
    country = Country()
    parent_id = fields.UUID()
    root = fields.Boolean(load_default=False)
    sort = OneLine(
        load_default="newest",
        validate=validate.OneOf(("newest", "name")),
        metadata={"description": "newest (founded last first) or name (A to Z)."},
    )


class ChapterPageArgs(Schema):
    depth = fields.Integer(
        load_default=1,
        validate=validate.Range(min=0, max=64),
        metadata={
            "description": "How many levels of sub-chapters to include (0: none, 1: the direct "
            "sub-chapters, the default; 64: the whole sub-tree)."
        },
    )
    members = fields.Integer(
        load_default=500,
        validate=validate.Range(min=0, max=500),
        metadata={
            "description": "For active members: how many of its members to include, by name "
            "(500, the default; 0: none, for a page that reads them a page at a time from "
            "/chapters/{id}/members)."
        },
    )


class ChapterCreateSchema(StrictSchema):
    name = Text(required=True, max_length=120)
    level = OneLine(
        validate=validate.Length(min=1, max=40),
        metadata={"description": "one of FEDERATION_LEVELS (default: the bottom level, local)"},
    )
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


ATTENDEES_MAX = 2000


class MeetingEditSchema(StrictSchema):
    """A meeting's fields; on an edit, those given replace the recorded ones."""

    held_on = fields.Date()
    place = Text(allow_none=True, max_length=200)
    agenda = LongText(allow_none=True, max_length=4000)
    minutes = LongText(allow_none=True, max_length=20000)
    attendance = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=0, max=1_000_000),
        metadata={"description": "How many people were present (default: the members named)."},
    )
    attendees = fields.List(
        fields.UUID(),
        allow_none=True,
        validate=validate.Length(max=ATTENDEES_MAX),
        metadata={"description": "Members of the chapter who were present (optional)."},
    )
    note = LongText(allow_none=True, max_length=4000)


class MeetingCreateSchema(MeetingEditSchema):
    held_on = fields.Date(required=True)


class MeetingAttendeeSchema(Schema):
    id = fields.UUID()
    display_name = OneLine()


class MeetingSchema(Schema):
    id = fields.UUID()
    chapter_id = fields.UUID()
    held_on = fields.Date()
    place = OneLine(allow_none=True)
    agenda = MultiLine(allow_none=True)
    minutes = MultiLine(allow_none=True)
    attendance = fields.Integer(allow_none=True)
    attendees = fields.List(fields.Nested(MeetingAttendeeSchema))
    note = MultiLine(allow_none=True)
    recorded_by = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)
