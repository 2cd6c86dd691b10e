"""A chapter's page: its working-chapter criteria and, for members, its meetings."""

from __future__ import annotations

from flask import Blueprint

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, translator, uuid_or_404
from gateway.web.labels import chapter_criteria

bp = Blueprint("chapters", __name__)


@bp.get("/chapters/<chapter_id>")
def chapter(chapter_id):
    uuid_or_404(chapter_id)
    client = api()
    page = client.get(f"/api/v1/chapters/{chapter_id}")
    meetings, meetings_hidden = [], True
    if me():
        try:
            meetings = client.get(f"/api/v1/chapters/{chapter_id}/meetings", limit=20)
            meetings_hidden = False
        except ApiProblem as problem:
            if problem.status not in (403, 404):
                raise
    return render("chapter.html", chapter=page, meetings=meetings,
                  meetings_hidden=meetings_hidden,
                  criteria=chapter_criteria(translator(), page.get("status") or {}))
