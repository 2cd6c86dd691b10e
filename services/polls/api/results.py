"""Routes: results (final, or live while open) and the export of a closed poll."""

from __future__ import annotations

import io
import json

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common import csvcells
from services.common.requests import context
from services.polls.schemas.polls import ExportQuerySchema, ResultsSchema
from services.polls.service import closing, results

results_blp = Blueprint("results", __name__, description="Results and exports")


@results_blp.route("/api/v1/polls/<uuid:poll_id>/results")
class Results(MethodView):
    @results_blp.response(200, ResultsSchema)
    def get(self, poll_id):
        """Per question: winners, totals and the story of the count; 409 before close."""
        return results.results(context(), poll_id)


@results_blp.route("/api/v1/polls/<uuid:poll_id>/export")
class Export(MethodView):
    @results_blp.arguments(ExportQuerySchema, location="query")
    @results_blp.response(200)
    def get(self, query, poll_id):
        """Results and published ballots as JSON, or the count as CSV (one row per figure)."""
        document, ballots = closing.export(context(), poll_id)
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
