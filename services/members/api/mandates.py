"""Routes of `/api/v1/mandates`."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
)
from services.members.api.security import authenticated
from services.members.schemas.mandates import (
    MandateCreateSchema,
    MandateListArgs,
    MandateRevokeSchema,
    MandateTermSchema,
)
from services.members.schemas.members import MandateSchema
from services.members.service import mandate_terms, mandates

blp = Blueprint(
    "mandates",
    __name__,
    url_prefix="/api/v1/mandates",
    description="Roles as revocable mandates, in the open.",
)


@blp.route("")
class Mandates(MethodView):
    @blp.arguments(MandateListArgs, location="query")
    @blp.response(200, MandateSchema(many=True))
    def get(self, args):
        """Who holds which mandate (public)."""
        return mandates.list_mandates(
            context(),
            member_id=args.get("member_id"),
            chapter_id=args.get("chapter_id"),
            role=args.get("role"),
            active_only=not args["all"],
            elected=args.get("elected"),
            limit=args["limit"],
            offset=args["offset"],
        )

    @blp.arguments(MandateCreateSchema)
    @blp.response(201, MandateSchema)
    @blp.alt_response(409, description="Already held, or the members elect this role now.")
    @authenticated
    def post(self, data):
        """Appoint an interim mandate: admin (by admins) or coordinator of a chapter (by admins
        and coordinators of a chapter above it). It ends on `ends_at`, by default and at the
        latest INTERIM_MANDATE_DAYS after it starts (422 naming `ends_at` past that). While
        the members' elected holders of the role are live (the chapter's coordinators, the
        organisation's admins) it is refused: 409 `elected_role`, launch an election."""
        return mandates.grant_mandate(context(), identity(), data)


@blp.route("/<uuid:mandate_id>")
class MandateById(MethodView):
    @blp.arguments(MandateTermSchema)
    @blp.response(200, MandateSchema)
    @blp.alt_response(403, description="Only admins change a mandate's term.")
    @blp.alt_response(404, description="No such mandate.")
    @blp.alt_response(
        409,
        description="Revoked, ended, a delegate's, elected (`elected_term`: the members set "
        "its term), or the last admin's.",
    )
    @authenticated
    def patch(self, data, mandate_id):
        """Set or move the end of an appointed (interim) admin or coordinator mandate (admins),
        within its longest term, with a public reason: written to the audit log. An elected
        mandate's term is the members': 409 `elected_term` naming `ends_at` (recall or
        resignation end it early)."""
        return mandate_terms.change_term(context(), identity(), mandate_id, data)


@blp.route("/<uuid:mandate_id>/revoke")
class RevokeMandate(MethodView):
    @blp.arguments(MandateRevokeSchema, required=False)
    @blp.response(200, MandateSchema)
    @blp.alt_response(
        409, description="Revoked already, the last admin's, or elected (`elected_mandate`)."
    )
    @authenticated
    def post(self, data, mandate_id):
        """Revoke an appointed (interim) mandate (whoever may grant it); its holder may resign
        any. An elected mandate is taken back by the members only, by recall (POST
        /api/v1/recalls): 409 `elected_mandate`."""
        return mandates.revoke_mandate(
            context(), identity(), mandate_id, (data or {}).get("reason")
        )


@blp.route("/<uuid:mandate_id>/resign")
class ResignMandate(MethodView):
    @blp.arguments(MandateRevokeSchema, required=False)
    @blp.response(200, MandateSchema)
    @authenticated
    def post(self, data, mandate_id):
        """Resign your own mandate; a delegate's empty seat is filled again by a by-election
        (or the next candidate, if the chapter chose that rule)."""
        return mandates.resign_mandate(
            context(), identity(), mandate_id, (data or {}).get("reason")
        )
