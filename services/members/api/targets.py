"""Routes of `/api/v1/targets`: targets and the organisation's figures."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.requests import (
    context,
    identity,
)
from services.members.api.security import authenticated
from services.members.schemas.targets import (
    FiguresSchema,
    TargetCreateSchema,
    TargetSchema,
    TargetUpdateSchema,
)
from services.members.service import targets

blp = Blueprint(
    "targets",
    __name__,
    url_prefix="/api/v1/targets",
    description="Founding-convention targets and how far the organisation is.",
)


@blp.route("")
class Targets(MethodView):
    @blp.response(200, TargetSchema(many=True))
    def get(self):
        """Every target with its current value, whether it is met, and progress (public)."""
        return targets.targets(context())

    @blp.arguments(TargetCreateSchema)
    @blp.response(201, TargetSchema)
    @authenticated
    def post(self, data):
        """Define a target (admins). Kinds: members, working_chapters, women_share (percent),
        countries, continents."""
        return targets.define_target(context(), identity(), data)


@blp.route("/figures")
class Figures(MethodView):
    @blp.response(200, FiguresSchema)
    def get(self):
        """The organisation's figures the targets are measured against (public)."""
        return targets.organisation_figures(context())


@blp.route("/<uuid:target_id>")
class TargetById(MethodView):
    @blp.arguments(TargetUpdateSchema)
    @blp.response(200, TargetSchema)
    @authenticated
    def patch(self, data, target_id):
        """Change a target (admins)."""
        return targets.change_target(context(), identity(), target_id, data)

    @blp.response(204)
    @authenticated
    def delete(self, target_id):
        """Remove a target (admins)."""
        targets.remove_target(context(), identity(), target_id)
