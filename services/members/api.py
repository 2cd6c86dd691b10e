"""Routes of the members service (full public paths; the gateway forwards them unchanged)."""

from __future__ import annotations

import functools
from html import escape

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import Identity, bearer_token, current_identity, login_required
from services.common.errors import ApiError
from services.members import schemas as s
from services.members import service
from services.members.rules import Policy

BEARER = [{"bearerAuth": []}]


def runtime():
    return current_app.extensions["members_runtime"]


def me() -> Identity:
    return current_identity(current_app.config.get("JWT_PUBLIC_KEY"))


def optional_identity() -> Identity | None:
    return me() if bearer_token() else None


def client_ip() -> str | None:
    """The client's address: the entry of X-Forwarded-For that our own proxies (the gateway)
    wrote, else the peer's address."""
    policy: Policy = service.policy_of(runtime())
    forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")
                 if p.strip()]
    if forwarded and policy.trusted_proxy_hops:
        return forwarded[-min(policy.trusted_proxy_hops, len(forwarded))]
    return request.remote_addr


def wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > \
        request.accept_mimetypes["application/json"]


def html_page(title: str, message: str, status: int = 200) -> Response:
    body = (f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(title)}</title>"
            f"<body style='font-family:sans-serif;max-width:40em;margin:3em auto'>"
            f"<h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>")
    return Response(body, status=status, mimetype="text/html")


def authenticated(view):
    """login_required, documented as needing a bearer token."""
    wrapped = login_required(view)
    wrapped = functools.wraps(view)(wrapped)
    doc = getattr(wrapped, "_apidoc", {})
    doc.setdefault("manual_doc", {})["security"] = BEARER
    wrapped._apidoc = doc
    return wrapped


# --- /api/v1/auth ---------------------------------------------------------------------------

auth = Blueprint("auth", __name__, url_prefix="/api/v1/auth",
                 description="Registration, login, tokens, email verification, passwords.")


@auth.route("/register")
class Register(MethodView):
    @auth.arguments(s.RegisterSchema)
    @auth.response(201, s.RegisteredSchema)
    @auth.alt_response(409, description="The email address is registered already.")
    @auth.alt_response(429, description="Too many attempts from this address.")
    def post(self, data):
        """Register: a new member is pending until vouched for or approved."""
        return service.register(runtime(), data, client_ip=client_ip())


@auth.route("/login")
class Login(MethodView):
    @auth.arguments(s.LoginSchema)
    @auth.response(200, s.TokensSchema)
    @auth.alt_response(401, description="Wrong email address or password.")
    def post(self, data):
        """Log in: a short-lived access token and a rotating refresh token."""
        return service.login(runtime(), data["email"], data["password"], client_ip=client_ip())


@auth.route("/refresh")
class Refresh(MethodView):
    @auth.arguments(s.RefreshSchema)
    @auth.response(200, s.TokensSchema)
    def post(self, data):
        """Trade a refresh token for new tokens; the old refresh token dies."""
        return service.refresh(runtime(), data["refresh_token"])


@auth.route("/logout")
class Logout(MethodView):
    @auth.arguments(s.LogoutSchema)
    @auth.response(204)
    def post(self, data):
        """End the session of this refresh token (or every session with `everywhere`)."""
        service.logout(runtime(), data["refresh_token"], everywhere=data["everywhere"])


@auth.route("/sessions")
class Sessions(MethodView):
    @auth.response(200, s.SessionSchema(many=True))
    @authenticated
    def get(self):
        """The caller's sessions (each login and the refresh tokens it rotated through)."""
        return service.sessions(runtime(), me())


@auth.route("/sessions/<uuid:session_id>")
class SessionById(MethodView):
    @auth.response(204)
    @authenticated
    def delete(self, session_id):
        """End one session, e.g. on a lost device: its refresh token stops working."""
        service.end_session(runtime(), me(), session_id)


@auth.route("/verify")
class Verify(MethodView):
    @auth.arguments(s.VerifyQuerySchema, location="query")
    @auth.response(200, s.VerifiedSchema)
    def get(self, args):
        """Verify an email address with the token from the mail (the link's target). A
        browser (Accept: text/html) gets a small page instead of JSON."""
        if not wants_html():
            return service.verify_email(runtime(), args["token"])
        try:
            result = service.verify_email(runtime(), args["token"])
        except ApiError as exc:
            return html_page("Link not valid", exc.message, exc.status)
        return html_page("Address verified",
                         f"Thank you: {result['email']} is verified. You can close this page.")

    @auth.arguments(s.VerifySchema)
    @auth.response(200, s.VerifiedSchema)
    def post(self, data):
        """Verify an email address with the token from the mail."""
        return service.verify_email(runtime(), data["token"])


@auth.route("/verify/resend")
class VerifyResend(MethodView):
    @auth.response(202, s.StatusSchema)
    @authenticated
    def post(self):
        """Send a new verification mail to the member's address."""
        return service.resend_verification(runtime(), me())


@auth.route("/password")
class PasswordChange(MethodView):
    @auth.arguments(s.PasswordChangeSchema)
    @auth.response(200, s.TokensSchema)
    @authenticated
    def post(self, data):
        """Change the password; every other session ends, new tokens are returned."""
        return service.change_password(runtime(), me(), data["current_password"],
                                       data["new_password"])


@auth.route("/password/forgot")
class PasswordForgot(MethodView):
    @auth.arguments(s.PasswordForgotSchema)
    @auth.response(202, s.StatusSchema)
    def post(self, data):
        """Mail a reset link if the address is registered (the answer is the same if not)."""
        service.request_password_reset(runtime(), data["email"], client_ip=client_ip())
        return {"status": "sent_if_registered"}


@auth.route("/password/reset")
class PasswordReset(MethodView):
    @auth.arguments(s.PasswordResetSchema)
    @auth.response(200, s.StatusSchema)
    def post(self, data):
        """Set a new password with the token from the reset mail; every session ends."""
        return service.reset_password(runtime(), data["token"], data["password"])


# --- /api/v1/members ------------------------------------------------------------------------

members = Blueprint("members", __name__, url_prefix="/api/v1/members",
                    description="Members: their own data, approval and vouching.")


@members.route("")
class Members(MethodView):
    @members.arguments(s.MemberListArgs, location="query")
    @members.response(200, s.ProfileSchema(many=True))
    @authenticated
    def get(self, args):
        """List members (admins)."""
        return service.list_members(runtime(), me(), status=args.get("status"),
                                    query=args.get("q"), limit=args["limit"],
                                    offset=args["offset"], country=args.get("country"),
                                    chapter_id=args.get("chapter_id"),
                                    suspended=args.get("suspended"))

    @members.arguments(s.DryRunArgs, location="query")
    @members.arguments(s.MemberAddSchema)
    @members.response(201, s.MemberAddedSchema)
    @members.alt_response(200, schema=s.MemberAddedSchema, description="dry_run: nothing done")
    @members.alt_response(403, description="Only admins add members.")
    @authenticated
    def post(self, args, data):
        """Add a member (admins, imports): no password; a mail says an admin added them and
        links to choosing a password. `?dry_run=true` checks everything and adds nothing."""
        added = service.add_member(runtime(), me(), data, dry_run=args["dry_run"])
        return (added, 200) if args["dry_run"] else added


@members.route("/me")
class Me(MethodView):
    @members.response(200, s.MeSchema)
    @authenticated
    def get(self):
        """The caller's own data."""
        return service.me(runtime(), me())

    @members.arguments(s.MeCorrectSchema)
    @members.response(200, s.MeSchema)
    @authenticated
    def patch(self, data):
        """Correct one's own data; a new email address has to be verified again."""
        return service.correct_me(runtime(), me(), data)

    @members.arguments(s.DeleteMeSchema)
    @members.response(204)
    @authenticated
    def delete(self, data):
        """Delete one's account: personal data is erased, aggregate figures are kept."""
        service.delete_me(runtime(), me(), data["password"])


@members.route("/me/export")
class MeExport(MethodView):
    @members.response(200)
    @authenticated
    def get(self):
        """Everything the service keeps about the caller, as one JSON document."""
        body = service.export_me(runtime(), me())
        response = current_app.json.response(body)
        response.headers["Content-Disposition"] = 'attachment; filename="councils-me.json"'
        return response


@members.route("/pending")
class Pending(MethodView):
    @members.arguments(s.PageArgs, location="query")
    @members.response(200, s.PendingMemberSchema(many=True))
    @authenticated
    def get(self, args):
        """Pending members and their introductions, for active members to vouch for."""
        return service.pending_members(runtime(), me(), args["limit"], args["offset"])


@members.route("/announce")
class Announce(MethodView):
    @members.response(202, s.AnnouncedSchema)
    @authenticated
    def post(self):
        """Re-announce the current state as snapshot events (admins), for consumers that
        rebuild their replicas."""
        return service.announce_state(runtime(), me())


@members.route("/<uuid:member_id>")
class MemberById(MethodView):
    @members.response(200, s.MemberPublicSchema)
    @authenticated
    def get(self, member_id):
        """What active members see of another member (never their gender)."""
        return service.member_profile(runtime(), me(), member_id)


@members.route("/<uuid:member_id>/approve")
class Approve(MethodView):
    @members.response(200, s.ApprovedSchema)
    @members.alt_response(403, description="Only admins approve.")
    @authenticated
    def post(self, member_id):
        """Approve a pending member (admins): they become active."""
        return service.approve(runtime(), me(), member_id)


@members.route("/<uuid:member_id>/reject")
class Reject(MethodView):
    @members.arguments(s.RejectSchema)
    @members.response(200, s.RejectedSchema)
    @members.alt_response(403, description="Only admins refuse members.")
    @authenticated
    def post(self, data, member_id):
        """Refuse a pending member (admins), with a reason they read when they log in."""
        return service.reject(runtime(), me(), member_id, data["reason"])


@members.route("/<uuid:member_id>/vouch")
class Vouch(MethodView):
    @members.arguments(s.VouchSchema, required=False)
    @members.response(200, s.VouchedSchema)
    @authenticated
    def post(self, data, member_id):
        """Vouch that a pending member's introduction was written by a human (active
        members; when the activation rule allows vouching)."""
        return service.vouch(runtime(), me(), member_id, (data or {}).get("note"))


@members.route("/<uuid:member_id>/vouches")
class MemberVouches(MethodView):
    @members.response(200, s.MemberVouchesSchema)
    @members.alt_response(403, description="Only admins see every vouch.")
    @authenticated
    def get(self, member_id):
        """Every vouch the member received and gave, and whether each counted (admins)."""
        return service.vouches_of_member(runtime(), me(), member_id)


@members.route("/<uuid:member_id>/suspend")
class Suspend(MethodView):
    @members.arguments(s.SuspendSchema, required=False)
    @members.response(200, s.SuspensionSchema)
    @members.alt_response(403, description="Only admins suspend accounts.")
    @authenticated
    def post(self, data, member_id):
        """Suspend an account (admins): its sessions end and its tokens stop working."""
        return service.suspend(runtime(), me(), member_id, (data or {}).get("reason"))


@members.route("/<uuid:member_id>/restore")
class Restore(MethodView):
    @members.response(200, s.SuspensionSchema)
    @members.alt_response(403, description="Only admins restore accounts.")
    @authenticated
    def post(self, member_id):
        """Lift a suspension (admins): the member may log in again."""
        return service.restore(runtime(), me(), member_id)


# --- /api/v1/chapters -----------------------------------------------------------------------

chapters = Blueprint("chapters", __name__, url_prefix="/api/v1/chapters",
                     description="Chapters in a federation: international, national, regional, "
                                 "local.")


@chapters.route("")
class Chapters(MethodView):
    @chapters.arguments(s.ChapterListArgs, location="query")
    @chapters.response(200, s.ChapterSchema(many=True))
    def get(self, args):
        """List and search chapters, newest first."""
        return service.list_chapters(
            runtime(), query=args.get("q"), level=args.get("level"),
            country=args.get("country"), parent_id=args.get("parent_id"),
            root_only=args["root"], limit=args["limit"], offset=args["offset"],
            sort=args["sort"],
        )

    @chapters.arguments(s.ChapterCreateSchema)
    @chapters.response(201, s.ChapterSchema)
    @authenticated
    def post(self, data):
        """Found a chapter. Active members found local chapters (and coordinate them first);
        higher levels are founded by admins or coordinators of a chapter above."""
        return service.found_chapter(runtime(), me(), data)


@chapters.route("/working")
class WorkingChapters(MethodView):
    @chapters.response(200, s.WorkingChapterSchema(many=True))
    def get(self):
        """The working chapters: enough members, enough women, a recent meeting."""
        return service.working_chapters(runtime())


@chapters.route("/<uuid:chapter_id>")
class ChapterById(MethodView):
    @chapters.arguments(s.ChapterPageArgs, location="query")
    @chapters.response(200, s.ChapterPageSchema)
    def get(self, args, chapter_id):
        """A chapter, its place in the tree (ancestors nearest first), its sub-tree (to
        `depth` levels) and status; its members for active members."""
        return service.chapter_page(runtime(), chapter_id, optional_identity(),
                                    depth=args.get("depth"))

    @chapters.arguments(s.ChapterUpdateSchema)
    @chapters.response(200, s.ChapterSchema)
    @authenticated
    def patch(self, data, chapter_id):
        """Change or move a chapter (admins, coordinators of it or above it)."""
        return service.update_chapter(runtime(), me(), chapter_id, data)


@chapters.route("/<uuid:chapter_id>/status")
class ChapterStatus(MethodView):
    @chapters.response(200, s.ChapterStatusSchema)
    def get(self, chapter_id):
        """Working-chapter status and the figures behind it."""
        return service.chapter_status(runtime(), chapter_id)


@chapters.route("/<uuid:chapter_id>/members")
class ChapterMembers(MethodView):
    @chapters.arguments(s.PageArgs, location="query")
    @chapters.response(200, s.ChapterMemberSchema(many=True))
    @authenticated
    def get(self, args, chapter_id):
        """Members of the chapter and of the chapters below it (active members only)."""
        return service.chapter_members(runtime(), me(), chapter_id, args["limit"],
                                       args["offset"])


@chapters.route("/<uuid:chapter_id>/join")
class JoinChapter(MethodView):
    @chapters.response(200, s.MembershipSchema)
    @authenticated
    def post(self, chapter_id):
        """Join a chapter (and so every chapter above it)."""
        return service.join_chapter(runtime(), me(), chapter_id)


@chapters.route("/<uuid:chapter_id>/leave")
class LeaveChapter(MethodView):
    @chapters.response(200, s.MembershipSchema)
    @authenticated
    def post(self, chapter_id):
        """Leave a chapter."""
        return service.leave_chapter(runtime(), me(), chapter_id)


@chapters.route("/<uuid:chapter_id>/meetings")
class Meetings(MethodView):
    @chapters.arguments(s.PageArgs, location="query")
    @chapters.response(200, s.MeetingSchema(many=True))
    @authenticated
    def get(self, args, chapter_id):
        """Meetings of the chapter, latest first (active members)."""
        return service.meetings(runtime(), me(), chapter_id, args["limit"], args["offset"])

    @chapters.arguments(s.MeetingCreateSchema)
    @chapters.response(201, s.MeetingSchema)
    @authenticated
    def post(self, data, chapter_id):
        """Record a meeting (coordinators of the chapter or above, admins)."""
        return service.record_meeting(runtime(), me(), chapter_id, data)


# --- /api/v1/currents -----------------------------------------------------------------------

currents = Blueprint("currents", __name__, url_prefix="/api/v1/currents",
                     description="Currents: groups across chapters, free to join and leave.")


@currents.route("")
class Currents(MethodView):
    @currents.arguments(s.CurrentListArgs, location="query")
    @currents.response(200, s.CurrentSchema(many=True))
    def get(self, args):
        """List currents, newest first."""
        return service.list_currents(runtime(), args.get("q"), args["limit"], args["offset"])

    @currents.arguments(s.CurrentCreateSchema)
    @currents.response(201, s.CurrentSchema)
    @authenticated
    def post(self, data):
        """Start a current (active members); its founder is its first member."""
        return service.found_current(runtime(), me(), data)


@currents.route("/<uuid:current_id>")
class CurrentById(MethodView):
    @currents.response(200, s.CurrentSchema)
    def get(self, current_id):
        """One current."""
        return service.current_page(runtime(), current_id)


@currents.route("/<uuid:current_id>/join")
class JoinCurrent(MethodView):
    @currents.response(200, s.CurrentMembershipSchema)
    @authenticated
    def post(self, current_id):
        """Join a current."""
        return service.join_current(runtime(), me(), current_id, True)


@currents.route("/<uuid:current_id>/leave")
class LeaveCurrent(MethodView):
    @currents.response(200, s.CurrentMembershipSchema)
    @authenticated
    def post(self, current_id):
        """Leave a current."""
        return service.join_current(runtime(), me(), current_id, False)


# --- /api/v1/mandates and /api/v1/audit -----------------------------------------------------

mandates = Blueprint("mandates", __name__, url_prefix="/api/v1/mandates",
                     description="Roles as revocable mandates, in the open.")


@mandates.route("")
class Mandates(MethodView):
    @mandates.arguments(s.MandateListArgs, location="query")
    @mandates.response(200, s.MandateSchema(many=True))
    def get(self, args):
        """Who holds which mandate (public)."""
        return service.list_mandates(
            runtime(), member_id=args.get("member_id"), chapter_id=args.get("chapter_id"),
            role=args.get("role"), active_only=not args["all"], limit=args["limit"],
            offset=args["offset"],
        )

    @mandates.arguments(s.MandateCreateSchema)
    @mandates.response(201, s.MandateSchema)
    @authenticated
    def post(self, data):
        """Grant a mandate: admin (by admins) or coordinator of a chapter (by admins and
        coordinators of a chapter above it)."""
        return service.grant_mandate(runtime(), me(), data)


@mandates.route("/<uuid:mandate_id>/revoke")
class RevokeMandate(MethodView):
    @mandates.arguments(s.MandateRevokeSchema, required=False)
    @mandates.response(200, s.MandateSchema)
    @authenticated
    def post(self, data, mandate_id):
        """Revoke a mandate (whoever may grant it; its holder may resign)."""
        return service.revoke_mandate(runtime(), me(), mandate_id, (data or {}).get("reason"))


audit = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                  description="The members' log of grants, revocations and other acts of "
                              "office.")


@audit.route("")
class Audit(MethodView):
    @audit.arguments(s.AuditArgs, location="query")
    @audit.response(200, s.AuditEntrySchema(many=True))
    @audit.alt_response(403, description="Only active members read the audit log.")
    @authenticated
    def get(self, args):
        """The audit log, newest first (page with `before`): active members."""
        return service.audit_log(runtime(), me(), chapter_id=args.get("chapter_id"),
                                 member_id=args.get("member_id"), limit=args["limit"],
                                 before=args.get("before"))


# --- /api/v1/targets ------------------------------------------------------------------------

targets = Blueprint("targets", __name__, url_prefix="/api/v1/targets",
                    description="Founding-convention targets and how far the organisation is.")


@targets.route("")
class Targets(MethodView):
    @targets.response(200, s.TargetSchema(many=True))
    def get(self):
        """Every target with its current value, whether it is met, and progress (public)."""
        return service.targets(runtime())

    @targets.arguments(s.TargetCreateSchema)
    @targets.response(201, s.TargetSchema)
    @authenticated
    def post(self, data):
        """Define a target (admins). Kinds: members, working_chapters, women_share (percent),
        countries, continents."""
        return service.define_target(runtime(), me(), data)


@targets.route("/figures")
class Figures(MethodView):
    @targets.response(200, s.FiguresSchema)
    def get(self):
        """The organisation's figures the targets are measured against (public)."""
        return service.organisation_figures(runtime())


@targets.route("/<uuid:target_id>")
class TargetById(MethodView):
    @targets.arguments(s.TargetUpdateSchema)
    @targets.response(200, s.TargetSchema)
    @authenticated
    def patch(self, data, target_id):
        """Change a target (admins)."""
        return service.change_target(runtime(), me(), target_id, data)

    @targets.response(204)
    @authenticated
    def delete(self, target_id):
        """Remove a target (admins)."""
        service.remove_target(runtime(), me(), target_id)


BLUEPRINTS = [auth, members, chapters, currents, mandates, audit, targets]
