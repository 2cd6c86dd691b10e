"""Routes of `/api/v1/currents`."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
)
from services.members.api.security import authenticated
from services.members.schemas.currents import (
    CurrentCreateSchema,
    CurrentListArgs,
    CurrentMembershipSchema,
    CurrentSchema,
)
from services.members.service import currents

blp = Blueprint(
    "currents",
    __name__,
    url_prefix="/api/v1/currents",
    description="Currents: groups across chapters, free to join and leave.",
)


@blp.route("")
class Currents(MethodView):
    @blp.arguments(CurrentListArgs, location="query")
    @blp.response(200, CurrentSchema(many=True))
    def get(self, args):
        """List currents, newest first."""
        return currents.list_currents(context(), args.get("q"), args["limit"], args["offset"])

    @blp.arguments(CurrentCreateSchema)
    @blp.response(201, CurrentSchema)
    @authenticated
    def post(self, data):
        """Start a current (active members); its founder is its first member."""
        return currents.found_current(context(), identity(), data)


@blp.route("/<uuid:current_id>")
class CurrentById(MethodView):
    @blp.response(200, CurrentSchema)
    def get(self, current_id):
        """One current."""
        return currents.current_page(context(), current_id)


@blp.route("/<uuid:current_id>/join")
class JoinCurrent(MethodView):
    @blp.response(200, CurrentMembershipSchema)
    @authenticated
    def post(self, current_id):
        """Join a current."""
        return currents.join_current(context(), identity(), current_id, True)


@blp.route("/<uuid:current_id>/leave")
class LeaveCurrent(MethodView):
    @blp.response(200, CurrentMembershipSchema)
    @authenticated
    def post(self, current_id):
        """Leave a current."""
        return currents.join_current(context(), identity(), current_id, False)
