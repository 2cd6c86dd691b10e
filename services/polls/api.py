"""Routes of the polls service (full public paths; the gateway forwards them unchanged)."""

from __future__ import annotations

import io
import json

from flask import Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from services.common import csvcells
from services.common.auth import bearer_token, current_identity, login_required
from services.common.errors import ApiError
from services.common.text import one_line
from services.polls import schemas as s

polls_blp = Blueprint("polls", __name__, description="Polls, ballots and results")
proposals_blp = Blueprint("proposals", __name__, description="Members' drafts of polls")

AUTH = [{"bearerAuth": []}]


def service():
    return current_app.extensions["polls_service"]


def identity():
    return current_identity(current_app.config.get("JWT_PUBLIC_KEY"))


def optional_identity():
    return identity() if bearer_token() else None


def request_id():
    return g.get("request_id")


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 200:
        raise ApiError(400, "Idempotency-Key is at most 200 characters.", "bad_request")
    try:
        return one_line(key)
    except ValidationError as exc:
        raise ApiError(400, f"Idempotency-Key: {exc.messages[0]}", "bad_request",
                       fields={"Idempotency-Key": exc.messages}) from None


@polls_blp.route("/api/v1/polls")
class Polls(MethodView):
    @polls_blp.arguments(s.PollListQuerySchema, location="query")
    @polls_blp.response(200, s.PollListSchema)
    def get(self, query):
        """List polls, newest first; filter by status, scope, method, and words of the title."""
        return {
            "polls": service().list_polls(
                title=query.get("q"),
                method=query.get("method"),
                status=query.get("status"),
                scope_type=query.get("scope"),
                scope_id=query.get("scope_id"),
                limit=query["limit"],
                offset=query["offset"],
                purpose=query.get("purpose"),
            )
        }

    @login_required
    @polls_blp.arguments(s.PollCreateQuerySchema, location="query")
    @polls_blp.arguments(s.PollCreateSchema)
    @polls_blp.response(201, s.PollSchema)
    @polls_blp.alt_response(200, schema=s.PollSchema, description="dry_run: the poll as it "
                            "would be created; nothing was stored")
    @polls_blp.doc(security=AUTH)
    def post(self, query, data):
        """Launch a poll (admin for the organisation, coordinators for their chapter).

        With `?dry_run=true` every check runs and nothing is created (answer 200)."""
        if query["dry_run"]:
            return service().validate_poll(identity(), data), 200
        return service().create_poll(identity(), data, request_id=request_id())


@polls_blp.route("/api/v1/polls/<uuid:poll_id>")
class PollResource(MethodView):
    @polls_blp.response(200, s.PollSchema)
    def get(self, poll_id):
        """One poll: questions, status, deadlines (and their public changes), turnout."""
        return service().get_poll(poll_id, optional_identity())


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/ballots")
class Ballots(MethodView):
    @login_required
    @polls_blp.arguments(s.BallotSchema())  # an instance: not rebuilt per request
    @polls_blp.response(201, s.ReceiptSchema)
    @polls_blp.doc(
        security=AUTH,
        parameters=[
            {
                "in": "header",
                "name": "Idempotency-Key",
                "schema": {"type": "string"},
                "description": "a retried request with the same key gets the same receipt",
            }
        ],
    )
    def post(self, data, poll_id):
        """Cast a secret ballot; keep the receipt to change it or to find it after close."""
        result = service().cast(identity(), poll_id, data["answers"], idempotency_key())
        return {"receipt": result["receipt"]}

    @login_required
    @polls_blp.arguments(s.BallotChangeSchema())
    @polls_blp.response(200, s.ReceiptSchema)
    @polls_blp.doc(security=AUTH)
    def put(self, data, poll_id):
        """Change your vote before close: `{receipt, answers}` (your receipt stays the same)."""
        return service().change(identity(), poll_id, data["receipt"], data["answers"])

    @polls_blp.arguments(s.BallotsQuerySchema, location="query")
    @polls_blp.response(200, s.PublishedBallotsSchema)
    def get(self, query, poll_id):
        """After close: every counted ballot's contents, shuffled, without receipts (the
        receipts' commitments are listed apart: /commitments)."""
        if "receipt" in query:
            raise gone_receipt_url()
        return service().published_ballots(poll_id, query["limit"], query.get("after"))


def gone_receipt_url() -> ApiError:
    return ApiError(
        410,
        "Receipts are no longer taken in URLs (they would end up in logs): "
        "POST /api/v1/polls/{id}/ballots/check with {receipt}.",
        "use_ballot_check",
    )


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/ballots/check")
class BallotCheck(MethodView):
    @polls_blp.arguments(s.ReceiptCheckSchema)
    @polls_blp.response(200, s.CheckResultSchema)
    def post(self, data, poll_id):
        """Was my ballot recorded / counted? `recorded` while open, `counted` (with the
        published commitment, `entry`) after close; never the answers (receipt-free)."""
        return service().check(poll_id, data["receipt"])


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/commitments")
class Commitments(MethodView):
    @polls_blp.arguments(s.PageQuerySchema, location="query")
    @polls_blp.response(200, s.CommitmentsSchema)
    def get(self, query, poll_id):
        """After close: the sorted commitments (SHA-256) of the counted receipts."""
        return service().commitments(poll_id, query["limit"], query.get("after"))


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/ballots/<string:receipt>")
class BallotByReceipt(MethodView):
    @polls_blp.response(410)
    @polls_blp.doc(deprecated=True)
    def get(self, poll_id, receipt):
        """Gone: receipts never go in URLs. POST /ballots/check with {receipt}."""
        raise gone_receipt_url()

    @login_required
    @polls_blp.arguments(s.BallotSchema())  # an instance: not rebuilt per request
    @polls_blp.response(200, s.ReceiptSchema)
    @polls_blp.doc(security=AUTH, deprecated=True)
    def put(self, data, poll_id, receipt):
        """Deprecated (the receipt is in the path): PUT /ballots with {receipt, answers}.
        Kept working; logs show only the route template, never the receipt."""
        return service().change(identity(), poll_id, receipt, data["answers"])


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/close")
class Close(MethodView):
    @login_required
    @polls_blp.response(200, s.PollSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, poll_id):
        """Close now and count (whoever may launch such a poll)."""
        return service().close(identity(), poll_id, request_id=request_id())


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/questions/<uuid:question_id>/next_round")
class NextRound(MethodView):
    @login_required
    @polls_blp.arguments(s.NextRoundSchema)
    @polls_blp.response(201, s.PollSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, data, poll_id, question_id):
        """Consensus: start the next round (amended text) or the fallback vote, as a new poll."""
        return service().next_round(identity(), poll_id, question_id, data, request_id=request_id())


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/deadline")
class Deadline(MethodView):
    @login_required
    @polls_blp.arguments(s.DeadlineSchema)
    @polls_blp.response(200, s.PollSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, data, poll_id):
        """Extend the deadline; the change and its reason are shown with the poll."""
        return service().extend(
            identity(), poll_id, data["closes_at"], data["reason"], request_id=request_id()
        )


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/results")
class Results(MethodView):
    @polls_blp.response(200, s.ResultsSchema)
    def get(self, poll_id):
        """Per question: winners, totals and the story of the count; 409 before close."""
        return service().results(poll_id)


@polls_blp.route("/api/v1/polls/<uuid:poll_id>/export")
class Export(MethodView):
    @polls_blp.arguments(s.ExportQuerySchema, location="query")
    @polls_blp.response(200)
    def get(self, query, poll_id):
        """Results and published ballots as JSON, or the count as CSV (one row per figure)."""
        document, ballots = service().export(poll_id)
        if query["format"] == "json":
            body = json.dumps({**document, "ballots": ballots}, default=str, indent=1)
            return Response(
                body,
                mimetype="application/json",
                headers={"Content-Disposition": f'attachment; filename="poll-{poll_id}.json"'},
            )
        return Response(
            results_csv(document["results"]),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="poll-{poll_id}.csv"'},
        )


def results_csv(results: dict) -> str:
    out = io.StringIO()
    writer = csvcells.writer(out)
    writer.writerow(["question_id", "question", "method", "round", "option", "votes", "winner"])
    for question in results["questions"]:
        winners = set(question.get("winners") or [])
        rounds = question.get("rounds") or []
        for number, round_ in enumerate(rounds, start=1):
            totals = round_.get("totals") if isinstance(round_, dict) else None
            if not isinstance(totals, dict):
                continue
            for option, votes in totals.items():
                writer.writerow(
                    [
                        question["question_id"],
                        question["text"],
                        question["method"],
                        round_.get("round", number),
                        option,
                        votes,
                        "yes" if option in winners else "",
                    ]
                )
        writer.writerow(
            [
                question["question_id"],
                question["text"],
                question["method"],
                "",
                "(answered)",
                question.get("answered"),
                "",
            ]
        )
    writer.writerow(["", "", "", "", "(voters)", results.get("voters"), ""])
    writer.writerow(["", "", "", "", "(electorate)", results.get("electorate"), ""])
    return out.getvalue()


# --- proposals -----------------------------------------------------------------------------


@proposals_blp.route("/api/v1/proposals")
class Proposals(MethodView):
    @proposals_blp.arguments(s.ProposalListQuerySchema, location="query")
    @proposals_blp.response(200, s.ProposalListSchema)
    def get(self, query):
        """Proposals, newest first."""
        return {
            "proposals": service().list_proposals(
                query.get("status"), query["limit"], query["offset"]
            )
        }

    @login_required
    @proposals_blp.arguments(s.ProposalCreateSchema)
    @proposals_blp.response(201, s.ProposalSchema)
    @proposals_blp.doc(security=AUTH)
    def post(self, data):
        """Draft a poll for coordinators (or admins) to open; any active member may."""
        return service().create_proposal(identity(), data)


@proposals_blp.route("/api/v1/proposals/<uuid:proposal_id>")
class ProposalResource(MethodView):
    @proposals_blp.response(200, s.ProposalSchema)
    def get(self, proposal_id):
        """One proposal; `may_open` says whether the caller may open it as a poll."""
        return service().get_proposal(proposal_id, optional_identity())

    @login_required
    @proposals_blp.arguments(s.ProposalUpdateSchema)
    @proposals_blp.response(200, s.ProposalSchema)
    @proposals_blp.doc(security=AUTH)
    def patch(self, data, proposal_id):
        """Edit your draft."""
        return service().update_proposal(identity(), proposal_id, data)


@proposals_blp.route("/api/v1/proposals/<uuid:proposal_id>/withdraw")
class ProposalWithdraw(MethodView):
    @login_required
    @proposals_blp.response(200, s.ProposalSchema)
    @proposals_blp.doc(security=AUTH)
    def post(self, proposal_id):
        """Withdraw a draft (its author, or whoever may open it)."""
        return service().withdraw_proposal(identity(), proposal_id)


@proposals_blp.route("/api/v1/proposals/<uuid:proposal_id>/open")
class ProposalOpen(MethodView):
    @login_required
    @proposals_blp.arguments(s.ProposalOpenSchema)
    @proposals_blp.response(201, s.PollSchema)
    @proposals_blp.doc(security=AUTH)
    def post(self, data, proposal_id):
        """Open a draft as a poll (needs the mandate for its scope)."""
        return service().open_proposal(identity(), proposal_id, data, request_id=request_id())


# --- deliberation --------------------------------------------------------------------------


def _comment_routes(blp: Blueprint, prefix: str, kind: str) -> None:
    class Comments(MethodView):
        @blp.arguments(s.CommentListQuerySchema, location="query")
        @blp.response(200, s.CommentListSchema)
        def get(self, query, subject_id):
            """The discussion, one page of threads (newest, oldest or best first), each
            comment with its replies, likes and dislikes, mentions and the caller's reaction."""
            return service().discussion.page(kind, subject_id, query, optional_identity())

        @login_required
        @blp.arguments(s.CommentCreateSchema)
        @blp.response(201, s.CommentSchema)
        @blp.doc(security=AUTH)
        def post(self, data, subject_id):
            """Comment, or reply with `parent_id` (active members); `@Name` mentions a member."""
            return service().discussion.add(identity(), kind, subject_id, data)

    class Comment(MethodView):
        @blp.response(200, s.CommentSchema)
        def get(self, subject_id, comment_id):
            """One comment (its replies are in the discussion's pages)."""
            return service().discussion.get(kind, subject_id, comment_id, optional_identity())

        @login_required
        @blp.arguments(s.CommentEditSchema)
        @blp.response(200, s.CommentSchema)
        @blp.doc(security=AUTH)
        def patch(self, data, subject_id, comment_id):
            """Correct your comment within 15 minutes of posting it."""
            return service().discussion.edit(identity(), kind, subject_id, comment_id,
                                             data["body"])

    class Reaction(MethodView):
        @login_required
        @blp.arguments(s.ReactionSchema)
        @blp.response(200, s.CommentSchema)
        @blp.doc(security=AUTH)
        def put(self, data, subject_id, comment_id):
            """Like or dislike a comment (null takes your reaction back)."""
            return service().discussion.react(identity(), kind, subject_id, comment_id,
                                              data["reaction"])

    class Hide(MethodView):
        @login_required
        @blp.arguments(s.HideSchema)
        @blp.response(200, s.CommentSchema)
        @blp.doc(security=AUTH)
        def post(self, data, subject_id, comment_id):
            """Hide a comment with a public reason (moderators: whoever may launch the poll)."""
            return service().discussion.hide(identity(), kind, subject_id, comment_id,
                                             data["reason"])

    class Report(MethodView):
        @login_required
        @blp.arguments(s.ReportSchema)
        @blp.response(200, s.ReportedSchema)
        @blp.doc(security=AUTH)
        def post(self, data, subject_id, comment_id):
            """Report a comment to the moderators (active members; again replaces your reason)."""
            return service().discussion.report(identity(), kind, subject_id, comment_id,
                                               data["reason"])

    base = f"{prefix}/<uuid:subject_id>/comments"
    for view, path in ((Comments, ""), (Comment, "/<uuid:comment_id>"),
                       (Reaction, "/<uuid:comment_id>/reaction"),
                       (Hide, "/<uuid:comment_id>/hide"), (Report, "/<uuid:comment_id>/report")):
        view.__name__ = f"{kind.title()}{view.__name__}"
        blp.route(base + path)(view)


_comment_routes(polls_blp, "/api/v1/polls", "poll")
_comment_routes(proposals_blp, "/api/v1/proposals", "proposal")


@polls_blp.route("/api/v1/comment-reports")
class CommentReports(MethodView):
    @login_required
    @polls_blp.arguments(s.OffsetPageQuerySchema, location="query")
    @polls_blp.response(200, s.CommentReportListSchema)
    @polls_blp.doc(security=AUTH)
    def get(self, query):
        """Comments with open reports, the most reported first (admins)."""
        return service().discussion.reports(identity(), query["limit"], query["offset"])


@polls_blp.route("/api/v1/comment-reports/<uuid:comment_id>/dismiss")
class CommentReportDismiss(MethodView):
    @login_required
    @polls_blp.response(200, s.DismissedSchema)
    @polls_blp.doc(security=AUTH)
    def post(self, comment_id):
        """Close a comment's open reports without hiding it (admins)."""
        return service().discussion.dismiss(identity(), comment_id)
