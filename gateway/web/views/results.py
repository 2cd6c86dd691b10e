"""What a closed poll publishes besides its results: every ballot under its receipt's hash, so
that anyone can recount and every voter can find their entry (the check page links here)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, request

from gateway.web.context import api, render, translator, uuid_or_404
from gateway.web.labels import describe_answer

bp = Blueprint("results", __name__)
PAGE = 200


def _entry_view(ballot: Mapping, questions: Mapping[str, Mapping]) -> dict:
    _ = translator()
    lines = []
    for answer in ballot.get("answers") or []:
        if isinstance(answer, Mapping):
            question = questions.get(str(answer.get("question_id")), {})
            lines.append((question.get("text", ""), describe_answer(_, answer)))
    return {"entry": ballot.get("entry") or ballot.get("receipt_hash") or "", "lines": lines}


@bp.get("/polls/<poll_id>/ballots")
def ballots(poll_id):
    uuid_or_404(poll_id)
    client = api()
    poll = client.get(f"/api/v1/polls/{poll_id}")
    after = (request.args.get("after") or "").strip() or None
    published = client.get(f"/api/v1/polls/{poll_id}/ballots", limit=PAGE, after=after)
    questions = {str(q["id"]): q for q in poll.get("questions", [])}
    entries = [_entry_view(b, questions) for b in published.get("ballots") or []]
    return render("ballots.html", poll=poll, entries=entries, next=published.get("next"))
