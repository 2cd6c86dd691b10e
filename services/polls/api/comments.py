"""Routes: the discussion of a poll or a proposal, and the moderators' reports."""

from __future__ import annotations

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


def _comment_routes(blp: Blueprint, prefix: str, kind: str) -> None:
    class Comments(MethodView):
        @blp.arguments(CommentListQuerySchema, location="query")
        @blp.response(200, CommentListSchema)
        def get(self, query, subject_id):
            """The discussion, one page of threads (newest, oldest or best first), each
            comment with its replies, likes and dislikes, mentions and the caller's reaction."""
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

    class Reaction(MethodView):
        @login_required
        @blp.arguments(ReactionSchema)
        @blp.response(200, CommentSchema)
        @blp.doc(security=AUTH)
        def put(self, data, subject_id, comment_id):
            """Like or dislike a comment (null takes your reaction back)."""
            return discussion.react(
                context(), identity(), kind, subject_id, comment_id, data["reaction"]
            )

    class Hide(MethodView):
        @login_required
        @blp.arguments(HideSchema)
        @blp.response(200, CommentSchema)
        @blp.doc(security=AUTH)
        def post(self, data, subject_id, comment_id):
            """Hide a comment with a public reason (moderators: whoever may launch the poll)."""
            return discussion.hide(
                context(), identity(), kind, subject_id, comment_id, data["reason"]
            )

    class Report(MethodView):
        @login_required
        @blp.arguments(ReportSchema)
        @blp.response(200, ReportedSchema)
        @blp.doc(security=AUTH)
        def post(self, data, subject_id, comment_id):
            """Report a comment to the moderators (active members; again replaces your reason)."""
            return discussion.report(
                context(), identity(), kind, subject_id, comment_id, data["reason"]
            )

    base = f"{prefix}/<uuid:subject_id>/comments"
    for view, path in (
        (Comments, ""),
        (Comment, "/<uuid:comment_id>"),
        (Reaction, "/<uuid:comment_id>/reaction"),
        (Hide, "/<uuid:comment_id>/hide"),
        (Report, "/<uuid:comment_id>/report"),
    ):
        view.__name__ = f"{kind.title()}{view.__name__}"
        blp.route(base + path)(view)


def _restore_route(blp: Blueprint, prefix: str, kind: str) -> None:
    class Restore(MethodView):
        @login_required
        @blp.arguments(RestoreSchema)
        @blp.response(200, CommentSchema)
        @blp.alt_response(409, description="The comment is not hidden.")
        @blp.doc(security=AUTH)
        def post(self, data, subject_id, comment_id):
            """Show a hidden comment again with a public reason (moderators: whoever may
            launch the poll)."""
            return discussion.restore(
                context(), identity(), kind, subject_id, comment_id, data["reason"]
            )

    Restore.__name__ = f"{kind.title()}Restore"
    blp.route(f"{prefix}/<uuid:subject_id>/comments/<uuid:comment_id>/restore")(Restore)


_comment_routes(comments_blp, "/api/v1/polls", "poll")
_comment_routes(comments_blp, "/api/v1/proposals", "proposal")
_restore_route(comments_blp, "/api/v1/polls", "poll")
_restore_route(comments_blp, "/api/v1/proposals", "proposal")


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
