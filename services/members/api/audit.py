"""Routes of `/api/v1/audit`: the public audit log of mandates."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
)
from services.members.api.security import authenticated
from services.members.schemas.mandates import AuditArgs, AuditEntrySchema
from services.members.service import audit

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api/v1/audit",
    description="The members' log of grants, revocations and other acts of office.",
)


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.alt_response(403, description="Only active members read the audit log.")
    @authenticated
    def get(self, args):
        """The audit log, newest first (page with `before`): active members."""
        return audit.audit_log(
            context(),
            identity(),
            chapter_id=args.get("chapter_id"),
            member_id=args.get("member_id"),
            limit=args["limit"],
            before=args.get("before"),
        )
