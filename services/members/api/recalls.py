"""Routes of `/api/v1/recalls`: recall petitions against delegates."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
    optional_identity,
)
from services.members.api.security import authenticated
from services.members.schemas.recall import PetitionCreateSchema, PetitionListArgs, PetitionSchema
from services.members.service import recall

blp = Blueprint(
    "recalls",
    __name__,
    url_prefix="/api/v1/recalls",
    description="Recall petitions against delegates.",
)


@blp.route("")
class Petitions(MethodView):
    @blp.arguments(PetitionListArgs, location="query")
    @blp.response(200, PetitionSchema(many=True))
    def get(self, args):
        """Recall petitions, newest first (public)."""
        return recall.list_petitions(
            context(),
            chapter_id=args.get("chapter_id"),
            mandate_id=args.get("mandate_id"),
            status=args.get("status"),
            limit=args["limit"],
            offset=args["offset"],
        )

    @blp.arguments(PetitionCreateSchema)
    @blp.response(201, PetitionSchema)
    @authenticated
    def post(self, data):
        """Open a recall petition against a delegate (members of the represented chapter)."""
        return recall.open_petition(
            context(), identity(), data["mandate_id"], data["reason"].strip()
        )


@blp.route("/<uuid:petition_id>")
class Petition(MethodView):
    @blp.response(200, PetitionSchema)
    def get(self, petition_id):
        """One petition: signatures, threshold, state, outcome (public)."""
        return recall.get_petition(context(), petition_id, optional_identity())


@blp.route("/<uuid:petition_id>/signature")
class Signature(MethodView):
    @blp.response(201, PetitionSchema)
    @authenticated
    def post(self, petition_id):
        """Sign (once; members of the represented chapter, while the petition is open)."""
        return recall.sign(context(), identity(), petition_id)

    @blp.response(200, PetitionSchema)
    @authenticated
    def delete(self, petition_id):
        """Withdraw your signature while the petition is open."""
        return recall.withdraw(context(), identity(), petition_id)
