"""Schemas of proposals and of the discussion (comments, reactions, reports)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.text import MultiLine, OneLine, not_blank
from services.polls.schemas.polls import QuestionInSchema, ScopeSchema


class ProposalCreateSchema(Schema):
    title = OneLine(required=True, validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    scope = fields.Nested(ScopeSchema, required=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema), required=True, validate=validate.Length(min=1, max=100)
    )


class ProposalUpdateSchema(Schema):
    title = OneLine(validate=validate.Length(min=1, max=300))
    text = MultiLine(validate=validate.Length(max=20000))
    questions = fields.List(
        fields.Nested(QuestionInSchema), validate=validate.Length(min=1, max=100)
    )


class NextRoundSchema(Schema):
    text = MultiLine(validate=validate.Length(max=20000))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)


class ProposalOpenSchema(Schema):
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(required=True)


class ProposalSchema(Schema):
    id = OneLine()
    title = OneLine()
    text = MultiLine()
    scope = fields.Dict()
    questions = fields.List(fields.Dict())
    author_id = OneLine()
    author_name = OneLine(allow_none=True)
    status = OneLine()
    poll_id = OneLine(allow_none=True)
    created_at = OneLine()
    updated_at = OneLine()
    may_open = fields.Bool()
    discussion_ends_at = OneLine()
    initiative_opened_at = OneLine(allow_none=True)
    # member initiative (one proposal only, not in lists)
    supporters = fields.List(fields.Dict())
    supporters_count = fields.Int()
    threshold = fields.Dict()
    threshold_reached = fields.Bool()
    supported = fields.Bool()
    may_support = fields.Bool()


class ProposalListQuerySchema(Schema):
    status = OneLine(validate=validate.OneOf(("draft", "opened", "withdrawn")))
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class ProposalListSchema(Schema):
    proposals = fields.List(fields.Nested(ProposalSchema))


class CommentCreateSchema(Schema):
    body = MultiLine(required=True, validate=validate.Length(min=1, max=10000))
    parent_id = fields.UUID(allow_none=True)


class CommentEditSchema(Schema):
    body = MultiLine(required=True, validate=validate.Length(min=1, max=10000))


class CommentListQuerySchema(Schema):
    sort = OneLine(load_default="oldest", validate=validate.OneOf(("newest", "oldest", "best")))
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))
    thread = fields.UUID(
        load_default=None,
        metadata={"description": "a comment's id: its replies, paged as the threads are"},
    )


class MentionSchema(Schema):
    member_id = OneLine()
    handle = OneLine()


class CommentSchema(Schema):
    id = OneLine()
    parent_id = OneLine(allow_none=True)
    author_id = OneLine()
    author_name = OneLine(allow_none=True)
    body = MultiLine(allow_none=True)
    created_at = OneLine()
    edited_at = OneLine(allow_none=True)
    editable_until = OneLine()
    hidden = fields.Bool()
    hidden_reason = MultiLine(allow_none=True)
    restored_reason = MultiLine(
        allow_none=True, metadata={"description": "why a moderator showed it again (public)"}
    )
    likes = fields.Int()
    dislikes = fields.Int()
    my_reaction = OneLine(allow_none=True)
    reply_count = fields.Int()
    replies_not_shown = fields.Int(
        metadata={"description": "replies not nested here: read them with thread=<id>"}
    )
    mentions = fields.List(fields.Nested(MentionSchema))
    replies = fields.List(fields.Dict())


class CommentListSchema(Schema):
    comments = fields.List(fields.Nested(CommentSchema))
    thread = fields.Nested(
        CommentSchema, allow_none=True, metadata={"description": "the comment asked with thread"}
    )
    sort = OneLine()
    limit = fields.Int()
    offset = fields.Int()
    threads = fields.Int()
    total = fields.Int()
    more_replies = fields.Bool()
    edit_minutes = fields.Int()
    may_moderate = fields.Bool(metadata={"description": "the caller may hide comments here"})


class ReactionSchema(Schema):
    reaction = OneLine(required=True, allow_none=True, validate=validate.OneOf(("like", "dislike")))


class HideSchema(Schema):
    reason = MultiLine(required=True, validate=[validate.Length(min=1, max=2000), not_blank])


class RestoreSchema(Schema):
    reason = MultiLine(
        required=True,
        validate=[validate.Length(min=1, max=2000), not_blank],
        metadata={"description": "public: shown beside the comment"},
    )


class ReportSchema(Schema):
    reason = MultiLine(required=True, validate=[validate.Length(min=1, max=1000), not_blank])


class ReportedSchema(Schema):
    comment_id = OneLine()
    reported = fields.Bool()


class OffsetPageQuerySchema(Schema):
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class CommentReportSchema(Schema):
    comment_id = OneLine()
    subject = fields.Dict()
    author_id = OneLine()
    author_name = OneLine(allow_none=True)
    body = MultiLine(allow_none=True)
    created_at = OneLine()
    hidden = fields.Bool()
    reports = fields.Int()
    last_reported_at = OneLine()
    reasons = fields.List(MultiLine())


class CommentReportListSchema(Schema):
    reports = fields.List(fields.Nested(CommentReportSchema))
    total = fields.Int()
    limit = fields.Int()
    offset = fields.Int()


class DismissedSchema(Schema):
    comment_id = OneLine()
    dismissed = fields.Int()


class HiddenCommentSchema(CommentReportSchema):
    hidden_reason = MultiLine()
    hidden_at = OneLine(allow_none=True)


class HiddenCommentListSchema(Schema):
    hidden = fields.List(fields.Nested(HiddenCommentSchema))
    total = fields.Int()
    limit = fields.Int()
    offset = fields.Int()
