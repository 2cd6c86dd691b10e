"""Routes: the discussion of a poll or a proposal, and the moderators' reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import login_required
from services.common.requests import context, identity, optional_identity
from services.polls.api.docs import AUTH
from services.polls.schemas.discussion import (
    CommentCreateSchema,
    CommentEditSchema,
    CommentListQuerySchema,
    CommentListSchema,
    CommentReportListSchema,
    CommentSchema,
    DismissedSchema,
    HiddenCommentListSchema,
    HideSchema,
    OffsetPageQuerySchema,
    ReactionSchema,
    ReportedSchema,
    ReportSchema,
    RestoreSchema,
)
from services.polls.service import discussion

comments_blp = Blueprint(
    "comments",
    __name__,
    description="Discussions of polls and proposals: comments, reactions, reports",
)


class _Action(NamedTuple):
    """An action on one comment, alike for polls and proposals: a member's, one input field
    passed on to the use case."""

    name: str
    method: str
    schema: type
    field: str
    use_case: Callable
    answer: type
    doc: str
    others: tuple[tuple[int, str], ...] = ()


_ACTIONS = (
    _Action(
        "reaction",
        "put",
        ReactionSchema,
        "reaction",
        discussion.react,
        CommentSchema,
        "Like or dislike a comment (null takes your reaction back).",
    ),
    _Action(
        "hide",
        "post",
        HideSchema,
        "reason",
        discussion.hide,
        CommentSchema,
        "Hide a comment with a public reason (moderators: whoever may launch the poll).",
    ),
    _Action(
        "report",
        "post",
        ReportSchema,
        "reason",
        discussion.report,
        ReportedSchema,
        "Report a comment to the moderators (active members; again replaces your reason).",
    ),
    _Action(
        "restore",
        "post",
        RestoreSchema,
        "reason",
        discussion.restore,
        CommentSchema,
        "Show a hidden comment again with a public reason (moderators: whoever may launch "
        "the poll).",
        ((409, "The comment is not hidden."),),
    ),
)


def _action_view(blp: Blueprint, kind: str, action: _Action) -> type[MethodView]:
    def handle(self, data, subject_id, comment_id):
        return action.use_case(
            context(), identity(), kind, subject_id, comment_id, data[action.field]
        )

    handle.__doc__ = action.doc
    handler = blp.response(200, action.answer)(blp.doc(security=AUTH)(handle))
    for status, description in action.others:
        handler = blp.alt_response(status, description=description)(handler)
    handler = login_required(blp.arguments(action.schema)(handler))
    name = f"{kind.title()}{action.name.title()}"
    return type(name, (MethodView,), {action.method: handler})


def _comment_routes(blp: Blueprint, prefix: str, kind: str) -> None:
    """The discussion of a poll or a proposal: one implementation serving both."""

    class Comments(MethodView):
        @blp.arguments(CommentListQuerySchema, location="query")
        @blp.response(200, CommentListSchema)
        def get(self, query, subject_id):
            """The discussion, one page of threads (newest, oldest or best first), each
            comment with its first replies, likes and dislikes, mentions and the caller's
            reaction; `thread=<comment id>` pages that comment's replies the same way."""
            return discussion.page(context(), kind, subject_id, query, optional_identity())

        @login_required
        @blp.arguments(CommentCreateSchema)
        @blp.response(201, CommentSchema)
        @blp.doc(security=AUTH)
        def post(self, data, subject_id):
            """Comment, or reply with `parent_id` (active members); `@Name` mentions a member."""
            return discussion.add(context(), identity(), kind, subject_id, data)

    class Comment(MethodView):
        @blp.response(200, CommentSchema)
        def get(self, subject_id, comment_id):
            """One comment (its replies are in the discussion's pages)."""
            return discussion.get(context(), kind, subject_id, comment_id, optional_identity())

        @login_required
        @blp.arguments(CommentEditSchema)
        @blp.response(200, CommentSchema)
        @blp.doc(security=AUTH)
        def patch(self, data, subject_id, comment_id):
            """Correct your comment within 15 minutes of posting it."""
            return discussion.edit(
                context(), identity(), kind, subject_id, comment_id, data["body"]
            )

    base = f"{prefix}/<uuid:subject_id>/comments"
    for view in (Comments, Comment):
        view.__name__ = f"{kind.title()}{view.__name__}"
    blp.route(base)(Comments)
    blp.route(base + "/<uuid:comment_id>")(Comment)
    for action in _ACTIONS:
        blp.route(f"{base}/<uuid:comment_id>/{action.name}")(_action_view(blp, kind, action))


_comment_routes(comments_blp, "/api/v1/polls", "poll")
_comment_routes(comments_blp, "/api/v1/proposals", "proposal")


@comments_blp.route("/api/v1/comment-reports")
class CommentReports(MethodView):
    @login_required
    @comments_blp.arguments(OffsetPageQuerySchema, location="query")
    @comments_blp.response(200, CommentReportListSchema)
    @comments_blp.doc(security=AUTH)
    def get(self, query):
        """Comments with open reports, the most reported first (admins)."""
        return discussion.reports(context(), identity(), query["limit"], query["offset"])


@comments_blp.route("/api/v1/comment-reports/hidden")
class HiddenComments(MethodView):
    @login_required
    @comments_blp.arguments(OffsetPageQuerySchema, location="query")
    @comments_blp.response(200, HiddenCommentListSchema)
    @comments_blp.doc(security=AUTH)
    def get(self, query):
        """Hidden comments with their public reasons, latest hidden first (admins)."""
        return discussion.hidden(context(), identity(), query["limit"], query["offset"])


@comments_blp.route("/api/v1/comment-reports/<uuid:comment_id>/dismiss")
class CommentReportDismiss(MethodView):
    @login_required
    @comments_blp.response(200, DismissedSchema)
    @comments_blp.doc(security=AUTH)
    def post(self, comment_id):
        """Close a comment's open reports without hiding it (admins)."""
        return discussion.dismiss(context(), identity(), comment_id)
