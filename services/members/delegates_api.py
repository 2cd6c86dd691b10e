"""Routes for delegates and recall (issue 7); schemas beside them to keep the change apart.

- `GET /api/v1/members/{id}/record` (public): every mandate, delegate terms, recall petitions
- `POST /api/v1/recalls` {mandate_id, reason} → 201 petition (members of the represented chapter)
- `GET /api/v1/recalls` (?chapter_id, mandate_id, status), `GET /api/v1/recalls/{id}` (public)
- `POST /api/v1/recalls/{id}/signature` → 201 sign; `DELETE` → 200 withdraw (while open)
- `GET /api/v1/chapters/{id}/recall-settings` (public), `PUT` (admins, coordinators)
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from services.common.text import MultiLine, OneLine
from services.members import delegates, recall
from services.members.api import authenticated, me, optional_identity, runtime


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PetitionCreateSchema(_Strict):
    mandate_id = fields.UUID(required=True)
    reason = MultiLine(required=True, validate=validate.Length(min=1, max=4000))


class PetitionListArgs(Schema):
    chapter_id = fields.UUID()
    mandate_id = fields.UUID()
    status = OneLine(validate=validate.OneOf(
        ["open", "threshold_reached", "voting", "revoked", "kept", "expired"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class PetitionSchema(Schema):
    id = OneLine()
    mandate_id = OneLine()
    chapter_id = OneLine()
    chapter_name = OneLine(allow_none=True)
    delegate_id = OneLine()
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
    voters = fields.Integer(allow_none=True)
    electorate = fields.Integer(allow_none=True)
    outcome_reason = MultiLine(allow_none=True, metadata={
        "description": "Why the petition ended as it did (e.g. the quorum was not met)."})
    signed = fields.Boolean()


class RecallSettingsSchema(Schema):
    chapter_id = OneLine(dump_only=True)
    threshold_percent = fields.Float(validate=validate.Range(min=0.01, max=100))
    threshold_minimum = fields.Integer(validate=validate.Range(min=1, max=1_000_000))
    petition_days = fields.Integer(validate=validate.Range(min=1, max=3650))
    cooling_off_days = fields.Integer(validate=validate.Range(min=0, max=3650))
    vote_hours = fields.Integer(validate=validate.Range(min=1, max=24 * 365))
    quorum_percent = fields.Float(validate=validate.Range(min=0, max=100), metadata={
        "description": "Share of the recall vote's electorate that must vote for its outcome to "
                       "count; under it the mandate is kept. 0: no quorum."})

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
    elected_by_poll = OneLine(allow_none=True)
    members_represented = fields.Integer(allow_none=True)
    recall_petitions = fields.List(fields.Nested(PetitionSchema))


class RecordSchema(Schema):
    member_id = OneLine()
    display_name = OneLine()
    mandates = fields.List(fields.Nested(RecordMandateSchema))


record_blp = Blueprint("delegate_record", __name__, url_prefix="/api/v1",
                       description="A delegate's public record; recall rules of a chapter.")
recalls_blp = Blueprint("recalls", __name__, url_prefix="/api/v1/recalls",
                        description="Recall petitions against delegates.")


@record_blp.route("/members/<uuid:member_id>/record")
class MemberRecord(MethodView):
    @record_blp.response(200, RecordSchema)
    def get(self, member_id):
        """Every mandate the member held, delegate terms and recall petitions (public)."""
        return delegates.member_record(runtime(), member_id)


@record_blp.route("/chapters/<uuid:chapter_id>/recall-settings")
class RecallSettings(MethodView):
    @record_blp.response(200, RecallSettingsSchema)
    def get(self, chapter_id):
        """The chapter's recall rules (public)."""
        return recall.get_settings(runtime(), chapter_id)

    @record_blp.arguments(RecallSettingsSchema)
    @record_blp.response(200, RecallSettingsSchema)
    @authenticated
    def put(self, data, chapter_id):
        """Change the chapter's recall rules (admins, coordinators of it or above)."""
        return recall.set_settings(runtime(), me(), chapter_id, data)


@recalls_blp.route("")
class Petitions(MethodView):
    @recalls_blp.arguments(PetitionListArgs, location="query")
    @recalls_blp.response(200, PetitionSchema(many=True))
    def get(self, args):
        """Recall petitions, newest first (public)."""
        return recall.list_petitions(runtime(), chapter_id=args.get("chapter_id"),
                                     mandate_id=args.get("mandate_id"),
                                     status=args.get("status"), limit=args["limit"],
                                     offset=args["offset"])

    @recalls_blp.arguments(PetitionCreateSchema)
    @recalls_blp.response(201, PetitionSchema)
    @authenticated
    def post(self, data):
        """Open a recall petition against a delegate (members of the represented chapter)."""
        return recall.open_petition(runtime(), me(), data["mandate_id"], data["reason"].strip())


@recalls_blp.route("/<uuid:petition_id>")
class Petition(MethodView):
    @recalls_blp.response(200, PetitionSchema)
    def get(self, petition_id):
        """One petition: signatures, threshold, state, outcome (public)."""
        return recall.get_petition(runtime(), petition_id, optional_identity())


@recalls_blp.route("/<uuid:petition_id>/signature")
class Signature(MethodView):
    @recalls_blp.response(201, PetitionSchema)
    @authenticated
    def post(self, petition_id):
        """Sign (once; members of the represented chapter, while the petition is open)."""
        return recall.sign(runtime(), me(), petition_id)

    @recalls_blp.response(200, PetitionSchema)
    @authenticated
    def delete(self, petition_id):
        """Withdraw your signature while the petition is open."""
        return recall.withdraw(runtime(), me(), petition_id)


BLUEPRINTS = [record_blp, recalls_blp]
