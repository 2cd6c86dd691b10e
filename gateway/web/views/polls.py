"""A poll's page, the ballot (fill in, review, cast, change), the receipt and its check."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from flask import Blueprint, flash, redirect, request, session, url_for

from gateway.client import ApiProblem
from gateway.web import ballot as ballots
from gateway.web import labels
from gateway.web import results as explain
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.forms import prefill
from gateway.web.labels import describe_answer

bp = Blueprint("polls", __name__)


def load_poll(poll_id: str) -> dict:
    uuid_or_404(poll_id)
    return api().get(f"/api/v1/polls/{poll_id}")


def _results(poll: dict) -> tuple[dict, list | None, bool]:
    """The poll with its result document once closed, the results in words, and whether the
    count is still under way."""
    if poll.get("status") != "closed":
        return poll, None, False
    try:
        document = api().get(f"/api/v1/polls/{poll['id']}/results")
    except ApiProblem as problem:
        if problem.status != 409:
            raise
        return poll, None, True
    views = [explain.explain(translator(), q, document.get("voters"))
             for q in document.get("questions", [])]
    return {**poll, "results": document}, views, False


def poll_page(poll: dict, status: int = 200, draft: dict | None = None,
              errors: dict | None = None):
    _ = translator()
    poll, result_views, counting = _results(poll)
    if draft is None:
        saved = (session.get("ballots") or {}).get(poll["id"]) or {}
        draft = prefill(saved.get("answers") or [])
    questions = [
        {**q, "form": ballots.form_of(q["method"]),
         "rules": ballots.rules(_, q, poll.get("electorate")), "draft": draft.get(str(q["id"]))}
        for q in poll.get("questions", [])
    ]
    changing = bool(poll.get("voted")) and (request.values.get("change") == "1"
                                             or draft is not None and bool(errors))
    member = me()
    cannot_vote = (labels.not_eligible_reason(_, poll, member)
                   if member and poll.get("status") == "open" and not poll.get("eligible")
                   and not poll.get("voted") else None)
    return render("poll.html", status, poll=poll, questions=questions,
                  errors=errors or {}, results=result_views, counting=counting,
                  changing=changing, cannot_vote=cannot_vote,
                  live_rule=labels.live_rule(_, poll))


@bp.get("/polls/<poll_id>")
def poll(poll_id):
    return poll_page(load_poll(poll_id))


@bp.post("/polls/<poll_id>/review")
def review(poll_id):
    _ = translator()
    if not me():
        return to_login(url_for("polls.poll", poll_id=poll_id))
    poll = load_poll(poll_id)
    parsed = ballots.parse(_, poll.get("questions", []), request.form)
    if parsed.errors:
        return poll_page(poll, 422, draft=parsed.draft, errors=parsed.errors)
    saved = dict(session.get("ballots") or {})
    saved[poll_id] = {"answers": parsed.answers, "key": uuid.uuid4().hex}
    session["ballots"] = saved
    rows = ballots.review(_, poll.get("questions", []), parsed.answers)
    return render("review.html", poll=poll, rows=rows,
                  unanswered=sum(1 for r in rows if r["warning"]))


def _send_ballot(poll_id: str, saved: dict, receipt: str) -> dict:
    """Cast the saved ballot, or change the vote that `receipt` proves."""
    if receipt:
        path = f"/api/v1/polls/{poll_id}/ballots/{quote(receipt, safe='')}"
        answer = api().call("PUT", path, json={"answers": saved["answers"]})
        return {**(answer or {}), "receipt": (answer or {}).get("receipt") or receipt}
    return api().post(f"/api/v1/polls/{poll_id}/ballots", {"answers": saved["answers"]},
                      headers={"Idempotency-Key": saved["key"]})


@bp.post("/polls/<poll_id>/cast")
def cast(poll_id):
    _ = translator()
    uuid_or_404(poll_id)
    saved = (session.get("ballots") or {}).get(poll_id)
    if not saved:
        flash(_("Your ballot was not found in this session; please fill it in again."),
              "error")
        return redirect(url_for("polls.poll", poll_id=poll_id))
    given = (request.form.get("receipt") or "").strip()
    try:
        answer = _send_ballot(poll_id, saved, given)
    except ApiProblem as problem:
        if problem.status == 422 or (given and problem.status in (400, 403, 404, 409)):
            flash(_("That receipt does not match your ballot in this poll; check that "
                    "you copied all of it.") if given and problem.status in (403, 404)
                  else problem.message, "error")
            return redirect(url_for("polls.poll", poll_id=poll_id, change=1 if given else None))
        raise
    if given:
        flash(_("Your vote is changed. Your receipt stays the same."), "info")
    remaining = dict(session.get("ballots") or {})
    remaining.pop(poll_id, None)
    session["ballots"] = remaining
    session["receipt"] = {"poll_id": poll_id, "receipt": answer["receipt"]}
    return redirect(url_for("polls.receipt", poll_id=poll_id))


@bp.get("/polls/<poll_id>/receipt")
def receipt(poll_id):
    poll = load_poll(poll_id)
    shown = session.get("receipt") or {}
    value = shown.get("receipt") if shown.get("poll_id") == poll_id else None
    if value:
        session.pop("receipt")  # shown once: the session does not keep it
    return render("receipt.html", poll=poll, receipt=value)


@bp.get("/polls/<poll_id>/check")
def check(poll_id):
    _ = translator()
    poll = load_poll(poll_id)
    code = (request.args.get("receipt") or "").strip()
    found = None
    problem_text = None
    if code:
        try:
            found = api().get(f"/api/v1/polls/{poll_id}/ballots", receipt=code)
            found = (found.get("ballots") or [None])[0]
        except ApiProblem as problem:
            if problem.status == 404:
                problem_text = _("No ballot with this receipt was found in this poll. "
                                 "Check that you copied all of it.")
            elif problem.status == 409:
                problem_text = _("Ballots are published when the poll closes; check "
                                 "again then.")
            elif problem.status in (400, 422):
                problem_text = _("That does not look like a receipt.")
            else:
                raise
    questions = {str(q["id"]): q for q in poll.get("questions", [])}
    lines = []
    for answer in (found or {}).get("answers") or []:
        question = questions.get(str(answer.get("question_id")), {})
        lines.append((question.get("text", ""), describe_answer(_, answer)))
    return render("check.html", poll=poll, receipt=code, found=found, lines=lines,
                  problem=problem_text)


@bp.post("/polls/<poll_id>/close")
def close(poll_id):
    uuid_or_404(poll_id)
    api().post(f"/api/v1/polls/{poll_id}/close")
    flash(translator()("The poll is closed; results appear once counted."), "info")
    return redirect(url_for("polls.poll", poll_id=poll_id))
