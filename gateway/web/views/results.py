"""What a closed poll publishes besides its results: the commitments of the counted receipts
(a voter finds theirs, named by the check page) and the counted ballots' contents, shuffled and
without receipts (anyone can recount); neither links a ballot to a receipt."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, request

from gateway.client import ApiClient, ApiProblem
from gateway.web.context import api, render, translator, uuid_or_404
from gateway.web.labels import describe_answer

bp = Blueprint("results", __name__)
BALLOTS_PAGE = 200
COMMITMENTS_PAGE = 1000


def _lines(ballot: Mapping, questions: Mapping[str, Mapping]) -> list[tuple[str, str]]:
    _ = translator()
    lines = []
    for answer in ballot.get("answers") or []:
        if isinstance(answer, Mapping):
            question = questions.get(str(answer.get("question_id")), {})
            lines.append((question.get("text", ""), describe_answer(_, answer)))
    return lines


def _commitments(client: ApiClient, poll_id: str, ballots: list[Mapping],
                 after: str | None) -> tuple[list[str], str | None]:
    try:
        page = client.get(f"/api/v1/polls/{poll_id}/commitments", limit=COMMITMENTS_PAGE,
                          after=after)
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        # TRANSITIONAL (issue 13): before /commitments, each ballot carried its receipt's hash.
        return sorted(b["receipt_hash"] for b in ballots if b.get("receipt_hash")), None
    return list(page.get("commitments") or []), page.get("next")


@bp.get("/polls/<poll_id>/ballots")
def ballots(poll_id):
    uuid_or_404(poll_id)
    client = api()
    poll = client.get(f"/api/v1/polls/{poll_id}")
    published = client.get(f"/api/v1/polls/{poll_id}/ballots", limit=BALLOTS_PAGE,
                           after=request.args.get("after") or None)
    found = list(published.get("ballots") or [])
    commitments, commitments_next = _commitments(
        client, poll_id, found, request.args.get("commitments_after") or None)
    questions = {str(q["id"]): q for q in poll.get("questions", [])}
    return render("ballots.html", poll=poll, commitments=commitments,
                  commitments_next=commitments_next,
                  entries=[_lines(b, questions) for b in found], next=published.get("next"))
