"""Challenging the weights a scheduled poll gives its most affected chapters (issue 18)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, me, to_login, translator
from gateway.web.views.polls import load_poll, poll_page

bp = Blueprint("challenges", __name__)


@bp.post("/polls/<poll_id>/challenges")
def challenge(poll_id):
    _ = translator()
    if not me():
        return to_login(url_for("polls.poll", poll_id=poll_id))
    poll = load_poll(poll_id)
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return poll_page(poll, 422, challenge_error=_("Say why the weights are wrong."))
    try:
        api().post(f"/api/v1/polls/{poll_id}/challenges", {"reason": reason})
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return poll_page(poll, problem.status, challenge_error=problem.message)
    flash(_("Your challenge is filed."), "success")
    return redirect(url_for("polls.poll", poll_id=poll_id))
