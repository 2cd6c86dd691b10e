"""Routes of `/api/v1/chapters`: the tree, memberships, meetings, working status."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
    optional_identity,
)
from services.members.api.security import authenticated
from services.members.schemas.chapters import (
    ChapterCreateSchema,
    ChapterListArgs,
    ChapterMembersArgs,
    ChapterMemberSchema,
    ChapterPageArgs,
    ChapterPageSchema,
    ChapterSchema,
    ChapterStatusSchema,
    ChapterUpdateSchema,
    MeetingCreateSchema,
    MeetingEditSchema,
    MeetingSchema,
    MembershipSchema,
    WorkingChapterSchema,
)
from services.members.schemas.members import PageArgs
from services.members.service import chapters, meetings

TOTAL_HEADER = {
    "X-Total-Count": {
        "description": "How many there are in all (the answer is one page of them).",
        "schema": {"type": "integer"},
    }
}

blp = Blueprint(
    "chapters",
    __name__,
    url_prefix="/api/v1/chapters",
    description="Chapters in a federation whose levels FEDERATION_LEVELS names (default: "
    "international, national, regional, city, local).",
)


@blp.route("")
class Chapters(MethodView):
    @blp.arguments(ChapterListArgs, location="query")
    @blp.response(200, ChapterSchema(many=True))
    def get(self, args):
        """List and search chapters, newest first."""
        return chapters.list_chapters(
            context(),
            query=args.get("q"),
            level=args.get("level"),
            country=args.get("country"),
            parent_id=args.get("parent_id"),
            root_only=args["root"],
            limit=args["limit"],
            offset=args["offset"],
            sort=args["sort"],
        )

    @blp.arguments(ChapterCreateSchema)
    @blp.response(201, ChapterSchema)
    @authenticated
    def post(self, data):
        """Found a chapter. Active members found local chapters (and coordinate them first);
        higher levels are founded by admins or coordinators of a chapter above."""
        return chapters.found_chapter(context(), identity(), data)


@blp.route("/working")
class WorkingChapters(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, WorkingChapterSchema(many=True), headers=TOTAL_HEADER)
    def get(self, args):
        """The working chapters (enough members, enough women, a recent meeting), founded
        last first, a page at a time; `X-Total-Count` says how many there are."""
        page, total = meetings.working_chapters(context(), args["limit"], args["offset"])
        return page, 200, {"X-Total-Count": str(total)}


@blp.route("/<uuid:chapter_id>")
class ChapterById(MethodView):
    @blp.arguments(ChapterPageArgs, location="query")
    @blp.response(200, ChapterPageSchema)
    def get(self, args, chapter_id):
        """A chapter, its place in the tree (ancestors nearest first), its sub-tree (to
        `depth` levels, its sub-chapters by default) and status; its members for active
        members."""
        return chapters.chapter_page(
            context(), chapter_id, optional_identity(), args["depth"], args["members"]
        )

    @blp.arguments(ChapterUpdateSchema)
    @blp.response(200, ChapterSchema)
    @authenticated
    def patch(self, data, chapter_id):
        """Change or move a chapter (admins, coordinators of it or above it)."""
        return chapters.update_chapter(context(), identity(), chapter_id, data)


@blp.route("/<uuid:chapter_id>/status")
class ChapterStatus(MethodView):
    @blp.response(200, ChapterStatusSchema)
    def get(self, chapter_id):
        """Working-chapter status and the figures behind it."""
        return meetings.chapter_status(context(), chapter_id)


@blp.route("/<uuid:chapter_id>/members")
class ChapterMembers(MethodView):
    @blp.arguments(ChapterMembersArgs, location="query")
    @blp.response(200, ChapterMemberSchema(many=True))
    @authenticated
    def get(self, args, chapter_id):
        """Members of the chapter and of the chapters below it (active members only), those
        whose name holds `q` when given."""
        return chapters.chapter_members(
            context(), identity(), chapter_id, args["limit"], args["offset"], args.get("q")
        )


@blp.route("/<uuid:chapter_id>/join")
class JoinChapter(MethodView):
    @blp.response(200, MembershipSchema)
    @authenticated
    def post(self, chapter_id):
        """Join a chapter (and so every chapter above it)."""
        return chapters.join_chapter(context(), identity(), chapter_id)


@blp.route("/<uuid:chapter_id>/leave")
class LeaveChapter(MethodView):
    @blp.response(200, MembershipSchema)
    @authenticated
    def post(self, chapter_id):
        """Leave a chapter."""
        return chapters.leave_chapter(context(), identity(), chapter_id)


@blp.route("/<uuid:chapter_id>/meetings")
class Meetings(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeetingSchema(many=True))
    @authenticated
    def get(self, args, chapter_id):
        """Meetings of the chapter, latest first (active members)."""
        return meetings.meetings(context(), identity(), chapter_id, args["limit"], args["offset"])

    @blp.arguments(MeetingCreateSchema)
    @blp.response(201, MeetingSchema)
    @authenticated
    def post(self, data, chapter_id):
        """Record a meeting (coordinators of the chapter or above, admins)."""
        return meetings.record_meeting(context(), identity(), chapter_id, data)


@blp.route("/<uuid:chapter_id>/meetings/<uuid:meeting_id>")
class MeetingById(MethodView):
    @blp.response(200, MeetingSchema)
    @blp.alt_response(404, description="No such meeting in this chapter.")
    @authenticated
    def get(self, chapter_id, meeting_id):
        """One meeting of the chapter (active members)."""
        return meetings.meeting(context(), identity(), chapter_id, meeting_id)

    @blp.arguments(MeetingEditSchema)
    @blp.response(200, MeetingSchema)
    @blp.alt_response(403, description="Not a coordinator of the chapter (or above) or admin.")
    @blp.alt_response(404, description="No such meeting in this chapter.")
    @authenticated
    def patch(self, data, chapter_id, meeting_id):
        """Correct or complete a meeting (coordinators of the chapter or above, admins): the
        fields given replace the recorded ones; `attendees` replaces the list."""
        return meetings.edit_meeting(context(), identity(), chapter_id, meeting_id, data)

    @blp.response(204)
    @blp.alt_response(403, description="Not a coordinator of the chapter (or above) or admin.")
    @blp.alt_response(404, description="No such meeting in this chapter.")
    @authenticated
    def delete(self, chapter_id, meeting_id):
        """Delete a meeting recorded by mistake (coordinators of the chapter or above, admins)."""
        meetings.delete_meeting(context(), identity(), chapter_id, meeting_id)
