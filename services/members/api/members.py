"""Routes of `/api/v1/members`: the member's own data, approval, vouching, suspension."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
)
from services.members.api.security import authenticated
from services.members.schemas.accounts import DryRunArgs, MemberAddedSchema, MemberAddSchema
from services.members.schemas.members import (
    AnnouncedSchema,
    ApprovedSchema,
    DeleteMeSchema,
    MeCorrectSchema,
    MemberListArgs,
    MemberPublicSchema,
    MemberVouchesSchema,
    MeSchema,
    PendingListArgs,
    PendingMemberSchema,
    ProfileSchema,
    RejectedSchema,
    RejectSchema,
    SuspendSchema,
    SuspensionSchema,
    VouchedSchema,
    VouchSchema,
)
from services.members.service import announce, approval, profile, roster, suspension

blp = Blueprint(
    "members",
    __name__,
    url_prefix="/api/v1/members",
    description="Members: their own data, approval and vouching.",
)


@blp.route("")
class Members(MethodView):
    @blp.arguments(MemberListArgs, location="query")
    @blp.response(200, ProfileSchema(many=True))
    @authenticated
    def get(self, args):
        """List members (admins)."""
        return roster.list_members(
            context(),
            identity(),
            status=args.get("status"),
            query=args.get("q"),
            limit=args["limit"],
            offset=args["offset"],
            country=args.get("country"),
            chapter_id=args.get("chapter_id"),
            suspended=args.get("suspended"),
        )

    @blp.arguments(DryRunArgs, location="query")
    @blp.arguments(MemberAddSchema)
    @blp.response(201, MemberAddedSchema)
    @blp.alt_response(200, schema=MemberAddedSchema, description="dry_run: nothing done")
    @blp.alt_response(403, description="Only admins add blp.")
    @authenticated
    def post(self, args, data):
        """Add a member (admins, imports): no password; a mail says an admin added them and
        links to choosing a password. `?dry_run=true` checks everything and adds nothing."""
        added = approval.add_member(context(), identity(), data, dry_run=args["dry_run"])
        return (added, 200) if args["dry_run"] else added


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    @authenticated
    def get(self):
        """The caller's own data."""
        return profile.me(context(), identity())

    @blp.arguments(MeCorrectSchema)
    @blp.response(200, MeSchema)
    @authenticated
    def patch(self, data):
        """Correct one's own data; a new email address has to be verified again."""
        return profile.correct_me(context(), identity(), data)

    @blp.arguments(DeleteMeSchema)
    @blp.response(204)
    @authenticated
    def delete(self, data):
        """Delete one's account: personal data is erased, aggregate figures are kept."""
        profile.delete_me(context(), identity(), data["password"])


@blp.route("/me/export")
class MeExport(MethodView):
    @blp.response(200)
    @authenticated
    def get(self):
        """Everything the service keeps about the caller, as one JSON document."""
        body = profile.export_me(context(), identity())
        response = current_app.json.response(body)
        response.headers["Content-Disposition"] = 'attachment; filename="councils-me.json"'
        return response


@blp.route("/pending")
class Pending(MethodView):
    @blp.arguments(PendingListArgs, location="query")
    @blp.response(200, PendingMemberSchema(many=True))
    @blp.alt_response(404, description="No such chapter (`chapter_id`).")
    @authenticated
    def get(self, args):
        """Pending members, their introductions and chapters, for active members to vouch for:
        `chapter_id` keeps those of that chapter or below, `mine=true` those of a chapter the
        caller joined or below."""
        return approval.pending_members(
            context(),
            identity(),
            args["limit"],
            args["offset"],
            chapter_id=args.get("chapter_id"),
            mine=args["mine"],
        )


@blp.route("/announce")
class Announce(MethodView):
    @blp.response(202, AnnouncedSchema)
    @authenticated
    def post(self):
        """Re-announce the current state as snapshot events (admins), for consumers that
        rebuild their replicas."""
        return announce.announce_state(context(), identity())


@blp.route("/<uuid:member_id>")
class MemberById(MethodView):
    @blp.response(200, MemberPublicSchema)
    @authenticated
    def get(self, member_id):
        """What active members see of another member (never their gender)."""
        return roster.member_profile(context(), identity(), member_id)


@blp.route("/<uuid:member_id>/approve")
class Approve(MethodView):
    @blp.response(200, ApprovedSchema)
    @blp.alt_response(403, description="Only admins approve.")
    @blp.alt_response(409, description="The member was refused or is suspended.")
    @authenticated
    def post(self, member_id):
        """Approve a pending member (admins): they become active."""
        return approval.approve(context(), identity(), member_id)


@blp.route("/<uuid:member_id>/reject")
class Reject(MethodView):
    @blp.arguments(RejectSchema)
    @blp.response(200, RejectedSchema)
    @blp.alt_response(403, description="Only admins refuse blp.")
    @authenticated
    def post(self, data, member_id):
        """Refuse a pending member (admins), with a reason they read when they log in."""
        return approval.reject(context(), identity(), member_id, data["reason"])


@blp.route("/<uuid:member_id>/vouch")
class Vouch(MethodView):
    @blp.arguments(VouchSchema, required=False)
    @blp.response(200, VouchedSchema)
    @authenticated
    def post(self, data, member_id):
        """Vouch that a pending member's introduction was written by a human (active
        members; when the activation rule allows vouching)."""
        return approval.vouch(context(), identity(), member_id, (data or {}).get("note"))


@blp.route("/<uuid:member_id>/vouches")
class MemberVouches(MethodView):
    @blp.response(200, MemberVouchesSchema)
    @blp.alt_response(403, description="Only admins see every vouch.")
    @authenticated
    def get(self, member_id):
        """Every vouch the member received and gave, and whether each counted (admins)."""
        return approval.vouches_of_member(context(), identity(), member_id)


@blp.route("/<uuid:member_id>/suspend")
class Suspend(MethodView):
    @blp.arguments(SuspendSchema, required=False)
    @blp.response(200, SuspensionSchema)
    @blp.alt_response(403, description="Only admins suspend accounts.")
    @authenticated
    def post(self, data, member_id):
        """Suspend an account (admins): its sessions end and its tokens stop working."""
        return suspension.suspend(context(), identity(), member_id, (data or {}).get("reason"))


@blp.route("/<uuid:member_id>/restore")
class Restore(MethodView):
    @blp.response(200, SuspensionSchema)
    @blp.alt_response(403, description="Only admins restore accounts.")
    @authenticated
    def post(self, member_id):
        """Lift a suspension (admins): the member may log in again."""
        return suspension.restore(context(), identity(), member_id)
