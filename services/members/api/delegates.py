"""Routes of a delegate's public record (`/api/v1/members/{id}/record`) and of a chapter's
recall rules (`/api/v1/chapters/{id}/recall-settings`)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
)
from services.members.api.security import authenticated
from services.members.schemas.recall import RecallSettingsSchema, RecordSchema
from services.members.service import delegates, recall

blp = Blueprint(
    "delegate_record",
    __name__,
    url_prefix="/api/v1",
    description="A delegate's public record; recall rules of a chapter.",
)


@blp.route("/members/<uuid:member_id>/record")
class MemberRecord(MethodView):
    @blp.response(200, RecordSchema)
    def get(self, member_id):
        """Every mandate the member held, delegate terms and recall petitions (public)."""
        return delegates.member_record(context(), member_id)


@blp.route("/chapters/<uuid:chapter_id>/recall-settings")
class RecallSettings(MethodView):
    @blp.response(200, RecallSettingsSchema)
    def get(self, chapter_id):
        """The chapter's recall rules (public)."""
        return recall.get_settings(context(), chapter_id)

    @blp.arguments(RecallSettingsSchema)
    @blp.response(200, RecallSettingsSchema)
    @authenticated
    def put(self, data, chapter_id):
        """Change the chapter's recall rules (admins, coordinators of it or above)."""
        return recall.set_settings(context(), identity(), chapter_id, data)
