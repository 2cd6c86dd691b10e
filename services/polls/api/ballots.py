"""Routes: secret ballots — cast, change, check; after close the published ballots and
the commitments of the counted receipts."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from services.common.auth import login_required
from services.common.errors import ApiError
from services.common.requests import context, identity
from services.common.text import one_line
from services.polls.api.docs import AUTH
from services.polls.schemas.polls import (
    BallotChangeSchema,
    BallotSchema,
    BallotsQuerySchema,
    CheckResultSchema,
    CommitmentsSchema,
    PageQuerySchema,
    PublishedBallotsSchema,
    ReceiptCheckSchema,
    ReceiptSchema,
)
from services.polls.service import ballots, closing

ballots_blp = Blueprint(
    "ballots",
    __name__,
    description="Secret ballots, receipts and what is published of them after close",
)


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 200:
        raise ApiError(400, "Idempotency-Key is at most 200 characters.", "bad_request")
    try:
        return one_line(key)
    except ValidationError as exc:
        raise ApiError(
            400,
            f"Idempotency-Key: {exc.messages[0]}",
            "bad_request",
            fields={"Idempotency-Key": exc.messages},
        ) from None


@ballots_blp.route("/api/v1/polls/<uuid:poll_id>/ballots")
class Ballots(MethodView):
    @login_required
    @ballots_blp.arguments(BallotSchema())  # an instance: not rebuilt per request
    @ballots_blp.response(201, ReceiptSchema)
    @ballots_blp.doc(
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
        result = ballots.cast(context(), identity(), poll_id, data["answers"], idempotency_key())
        return {"receipt": result["receipt"]}

    @login_required
    @ballots_blp.arguments(BallotChangeSchema())
    @ballots_blp.response(200, ReceiptSchema)
    @ballots_blp.doc(security=AUTH)
    def put(self, data, poll_id):
        """Change your vote before close: `{receipt, answers}` (your receipt stays the same)."""
        return ballots.change(context(), identity(), poll_id, data["receipt"], data["answers"])

    @ballots_blp.arguments(BallotsQuerySchema, location="query")
    @ballots_blp.response(200, PublishedBallotsSchema)
    def get(self, query, poll_id):
        """After close: every counted ballot's contents, shuffled, without receipts (the
        receipts' commitments are listed apart: /commitments)."""
        if "receipt" in query:
            raise gone_receipt_url()
        return closing.published_ballots(context(), poll_id, query["limit"], query.get("after"))


def gone_receipt_url() -> ApiError:
    return ApiError(
        410,
        "Receipts are no longer taken in URLs (they would end up in logs): "
        "POST /api/v1/polls/{id}/ballots/check with {receipt}.",
        "use_ballot_check",
    )


@ballots_blp.route("/api/v1/polls/<uuid:poll_id>/ballots/check")
class BallotCheck(MethodView):
    @ballots_blp.arguments(ReceiptCheckSchema)
    @ballots_blp.response(200, CheckResultSchema)
    def post(self, data, poll_id):
        """Was my ballot recorded / counted? `recorded` while open, `counted` (with the
        published commitment, `entry`) after close; never the answers (receipt-free)."""
        return ballots.check(context(), poll_id, data["receipt"])


@ballots_blp.route("/api/v1/polls/<uuid:poll_id>/commitments")
class Commitments(MethodView):
    @ballots_blp.arguments(PageQuerySchema, location="query")
    @ballots_blp.response(200, CommitmentsSchema)
    def get(self, query, poll_id):
        """After close: the sorted commitments (SHA-256) of the counted receipts."""
        return closing.commitments(context(), poll_id, query["limit"], query.get("after"))


@ballots_blp.route("/api/v1/polls/<uuid:poll_id>/ballots/<string:receipt>")
class BallotByReceipt(MethodView):
    @ballots_blp.response(410)
    @ballots_blp.doc(deprecated=True)
    def get(self, poll_id, receipt):
        """Gone: receipts never go in URLs. POST /ballots/check with {receipt}."""
        raise gone_receipt_url()

    @login_required
    @ballots_blp.arguments(BallotSchema())  # an instance: not rebuilt per request
    @ballots_blp.response(200, ReceiptSchema)
    @ballots_blp.doc(security=AUTH, deprecated=True)
    def put(self, data, poll_id, receipt):
        """Deprecated (the receipt is in the path): PUT /ballots with {receipt, answers}.
        Kept working; logs show only the route template, never the receipt."""
        return ballots.change(context(), identity(), poll_id, receipt, data["answers"])
