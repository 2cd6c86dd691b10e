"""Routes: the voting methods, each with its answer form and the settings it takes (the web
front end and the CLI build their forms from this)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.polls.answers import methods_document
from services.polls.schemas.methods import MethodListSchema

methods_blp = Blueprint("methods", __name__, description="Voting methods and their answers")


@methods_blp.route("/api/v1/polls/methods")
class Methods(MethodView):
    @methods_blp.response(200, MethodListSchema)
    def get(self):
        """Every voting method: the answer form a ballot gives for it (`choice`, `approve`,
        `ranking`, `response`), the question settings it takes, whether polls may be launched
        with it, and its fixed options. Public; it changes only with a new release."""
        return methods_document()
