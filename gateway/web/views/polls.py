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
from gateway.web.representation import representation_view

bp = Blueprint("polls", __name__)


def load_poll(poll_id: str) -> dict:
    """The poll, each question with the answer form its method takes."""
    uuid_or_404(poll_id)
    poll = api().get(f"/api/v1/polls/{poll_id}")
    questions = ballots.with_forms(poll.get("questions") or [], api().voting_methods())
    return {**poll, "questions": questions}


def _results(poll: dict) -> tuple[dict, list | None, bool]:
    """The poll with its result document once closed (or, while open, the live counts of a
    poll that publishes them: `"final": false`), the results in words, and whether the count
    is still under way."""
    live = poll.get("status") == "open" and bool(poll.get("live_results"))
    if poll.get("status") != "closed" and not live:
        return poll, None, False
    try:
        document = api().get(f"/api/v1/polls/{poll['id']}/results")
    except ApiProblem as problem:
        if problem.status != 409:
            raise
        return poll, None, not live
    views = [
        explain.explain(translator(), q, document.get("voters"))
        for q in document.get("questions", [])
    ]
    if live:
        for view in views:
            _as_leading(translator(), view)
    return {**poll, "results": document}, views, False


def _as_leading(_, view: dict) -> None:
    """While a poll is open nobody has won yet: the options ahead are leading, not winners."""
    if view["winners"] and view["method"] != "consensus":
        view["headline"] = _.ngettext(
            "Leading so far: {names}",
            "Leading so far: {names}",
            len(view["winners"]),
            names=_.format_list(view["winners"]),
        )
        view["winners"] = []


def _representation(poll: dict) -> dict | None:
    """How a delegate poll's scope is represented: from its results once published, else from
    its public roll-call; None for any other poll."""
    if poll.get("purpose") != "delegate_poll":
        return None
    summary = (poll.get("results") or {}).get("representation")
    if summary is None:
        try:
            summary = api().get(f"/api/v1/polls/{poll['id']}/roll-call")
        except ApiProblem as problem:
            if problem.status != 404:
                raise
            return None
    return representation_view(translator(), summary)


def poll_page(
    poll: dict,
    status: int = 200,
    draft: dict | None = None,
    errors: dict | None = None,
    challenge_error: str | None = None,
):
    _ = translator()
    poll, result_views, counting = _results(poll)
    if draft is None:
        saved = (session.get("ballots") or {}).get(poll["id"]) or {}
        draft = prefill(saved.get("answers") or [])
    questions = ballots.shown(
        _, poll.get("questions", []), api().voting_methods(), poll.get("electorate"), draft
    )
    changing = bool(poll.get("voted")) and (
        request.values.get("change") == "1" or draft is not None and bool(errors)
    )
    member = me()
    cannot_vote = (
        labels.not_eligible_reason(_, poll, member)
        if member
        and poll.get("status") == "open"
        and not poll.get("eligible")
        and not poll.get("voted")
        else None
    )
    return render(
        "poll.html",
        status,
        rep=_representation(poll),
        poll=poll,
        questions=questions,
        errors=errors or {},
        results=result_views,
        counting=counting,
        changing=changing,
        cannot_vote=cannot_vote,
        live_rule=labels.live_rule(_, poll),
        weighted_turnout=labels.weighted_turnout(_, poll.get("results")),
        challenges=_challenges(poll),
        challenge_error=challenge_error,
        challenge_reason=request.form.get("reason") if challenge_error else None,
    )


def _challenges(poll: dict) -> dict | None:
    """The public challenges to the poll's affected weights (issue 18)."""
    if not poll.get("affected"):
        return None
    return api().get(f"/api/v1/polls/{poll['id']}/challenges")


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
    return render(
        "review.html", poll=poll, rows=rows, unanswered=sum(1 for r in rows if r["warning"])
    )


def _send_ballot(poll_id: str, saved: dict, receipt: str) -> dict:
    """Cast the saved ballot, or change the vote that `receipt` proves (the receipt travels in
    the body, never in a URL: URLs end up in logs)."""
    if receipt:
        answer = _legacy_fallback(
            lambda: api().call(
                "PUT",
                f"/api/v1/polls/{poll_id}/ballots",
                json={"receipt": receipt, "answers": saved["answers"]},
            ),
            lambda: api().call(
                "PUT",
                f"/api/v1/polls/{poll_id}/ballots/{quote(receipt, safe='')}",
                json={"answers": saved["answers"]},
            ),
        )
        return {**(answer or {}), "receipt": (answer or {}).get("receipt") or receipt}
    return api().post(
        f"/api/v1/polls/{poll_id}/ballots",
        {"answers": saved["answers"]},
        headers={"Idempotency-Key": saved["key"]},
    )


def _legacy_fallback(call, legacy):
    """`call`, or `legacy` where the polls service still has the receipt in the URL (405).
    TRANSITIONAL (issue 13): remove `legacy` once the polls service takes receipts in bodies."""
    try:
        return call()
    except ApiProblem as problem:
        if problem.status != 405:
            raise
    return legacy()


def _legacy_check(poll_id: str, receipt: str) -> dict:
    found = api().get(f"/api/v1/polls/{poll_id}/ballots", receipt=receipt)
    ballot = (found.get("ballots") or [None])[0] or {}
    return {"status": "counted", "entry": ballot.get("receipt_hash")}


def check_receipt(poll_id: str, receipt: str) -> tuple[dict | None, str | None]:
    """({status: recorded|counted, entry}, None), or (None, what went wrong in words)."""
    _ = translator()
    try:
        return _legacy_fallback(
            lambda: api().post(f"/api/v1/polls/{poll_id}/ballots/check", {"receipt": receipt}),
            lambda: _legacy_check(poll_id, receipt),
        ), None
    except ApiProblem as problem:
        if problem.status == 404:
            return None, _(
                "No ballot with this receipt was found in this poll. "
                "Check that you copied all of it."
            )
        if problem.status == 409:
            return None, _("Ballots are published when the poll closes; check again then.")
        if problem.status in (400, 422):
            return None, _("That does not look like a receipt.")
        raise


@bp.post("/polls/<poll_id>/cast")
def cast(poll_id):
    _ = translator()
    uuid_or_404(poll_id)
    saved = (session.get("ballots") or {}).get(poll_id)
    if not saved:
        flash(_("Your ballot was not found in this session; please fill it in again."), "error")
        return redirect(url_for("polls.poll", poll_id=poll_id))
    given = (request.form.get("receipt") or "").strip()
    try:
        answer = _send_ballot(poll_id, saved, given)
    except ApiProblem as problem:
        if problem.status == 422 or (given and problem.status in (400, 403, 404, 409)):
            flash(
                _(
                    "That receipt does not match your ballot in this poll; check that "
                    "you copied all of it."
                )
                if given and problem.status in (403, 404)
                else problem.message,
                "error",
            )
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


@bp.route("/polls/<poll_id>/check", methods=["GET", "POST"])
def check(poll_id):
    """The receipt comes by POST only: in a query string it would end up in logs and history."""
    poll = load_poll(poll_id)
    found, problem_text = None, None
    if request.method == "POST":
        code = (request.form.get("receipt") or "").strip()
        if code:
            found, problem_text = check_receipt(poll_id, code)
        else:
            problem_text = translator()("That does not look like a receipt.")
    return render("check.html", poll=poll, found=found, problem=problem_text)


@bp.post("/polls/<poll_id>/close")
def close(poll_id):
    uuid_or_404(poll_id)
    api().post(f"/api/v1/polls/{poll_id}/close")
    flash(translator()("The poll is closed; results appear once counted."), "info")
    return redirect(url_for("polls.poll", poll_id=poll_id))
