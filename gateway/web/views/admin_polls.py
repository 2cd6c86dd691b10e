"""The admin's polls: every poll with its status, turnout and closing time (/admin/polls), one
poll's desk (/admin/polls/<id>): edit or cancel it while scheduled (views/admin_poll_edit.py),
extend the deadline with a public reason, close early only
after a confirmation page stating who has not voted and the time left, export."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, render, require_admin, translator, uuid_or_404
from gateway.web.poll_desk import next_rounds, roll_call
from gateway.web.representation import representation_view

bp = Blueprint("admin_polls", __name__, url_prefix="/admin/polls")

STATUSES = ("scheduled", "open", "closed", "cancelled")
REASON_MAX = 2000


def _moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def time_left(closes_at: str) -> tuple[int, int, int] | None:
    """(days, hours, minutes) until the deadline, None once passed."""
    seconds = int((_moment(closes_at) - dt.datetime.now(dt.UTC)).total_seconds())
    if seconds <= 0:
        return None
    return seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60


@bp.get("")
def polls():
    require_admin()
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    search = (request.args.get("q") or "").strip()[:100]
    found = api().get("/api/v1/polls", status=status or None, limit=200)["polls"]
    if search:
        found = [p for p in found if search.lower() in p["title"].lower()]
    return render("admin_polls.html", polls=found, chosen=status, q=search, statuses=STATUSES)


def _poll_page(poll_id: str, code: int = 200, errors: dict | None = None, **extra):
    client = api()
    poll = client.get(f"/api/v1/polls/{poll_id}")
    roll = roll_call(client, poll)
    return render(
        "admin_poll_desk.html",
        code,
        poll=poll,
        errors=errors or {},
        reason_max=REASON_MAX,
        left=time_left(poll["closes_at"]),
        roll=roll,
        rep=representation_view(translator(), roll),
        rounds=next_rounds(client, poll),
        **extra,
    )


@bp.get("/<poll_id>")
def poll(poll_id):
    require_admin()
    uuid_or_404(poll_id)
    return _poll_page(poll_id)


@bp.post("/<poll_id>/extend")
def extend(poll_id):
    _ = translator()
    require_admin()
    uuid_or_404(poll_id)
    closes = (request.form.get("closes_at") or "").strip()
    reason = (request.form.get("reason") or "").strip()
    errors = {}
    try:
        moment = dt.datetime.fromisoformat(closes).replace(tzinfo=dt.UTC)
    except ValueError:
        errors["closes_at"] = _("Give the new closing date and time.")
    if not reason:
        errors["reason"] = _("Say why: members see the reason with the poll.")
    if errors:
        return _poll_page(poll_id, 422, errors, form={"closes_at": closes, "reason": reason})
    try:
        api().post(
            f"/api/v1/polls/{poll_id}/deadline", {"closes_at": moment.isoformat(), "reason": reason}
        )
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        field = "reason" if "reason" in problem.fields else "closes_at"
        return _poll_page(
            poll_id,
            problem.status,
            {field: problem.message},
            form={"closes_at": closes, "reason": reason},
        )
    flash(_("Deadline moved; members see your reason with the poll."), "info")
    return redirect(url_for("admin_polls.poll", poll_id=poll_id))


@bp.get("/<poll_id>/close")
def confirm_close(poll_id):
    require_admin()
    uuid_or_404(poll_id)
    poll = api().get(f"/api/v1/polls/{poll_id}")
    waiting = max((poll.get("electorate") or 0) - (poll.get("voters") or 0), 0)
    return render(
        "admin_poll_close.html", poll=poll, waiting=waiting, left=time_left(poll["closes_at"])
    )


@bp.post("/<poll_id>/close")
def close(poll_id):
    _ = translator()
    require_admin()
    uuid_or_404(poll_id)
    if request.form.get("confirm") != "yes":
        return redirect(url_for("admin_polls.confirm_close", poll_id=poll_id))
    try:
        api().post(f"/api/v1/polls/{poll_id}/close")
    except ApiProblem as problem:
        if problem.status != 409:
            raise
        flash(problem.message, "error")
        return redirect(url_for("admin_polls.poll", poll_id=poll_id))
    flash(_("The poll is closed; results appear once counted."), "info")
    return redirect(url_for("admin_polls.poll", poll_id=poll_id))


@bp.post("/<poll_id>/questions/<question_id>/next-round")
def next_round(poll_id, question_id):
    """A consensus question without consensus: its next round with the amended text, or the
    fallback vote its rules name, as a new poll."""
    _ = translator()
    require_admin()
    uuid_or_404(poll_id)
    uuid_or_404(question_id)
    form = {k: (request.form.get(k) or "").strip() for k in ("text", "closes_at")}
    key = f"round-{question_id}"
    try:
        closes = dt.datetime.fromisoformat(form["closes_at"]).replace(tzinfo=dt.UTC)
    except ValueError:
        return _poll_page(
            poll_id,
            422,
            {key: _("Give the closing date and time.")},
            round_form={question_id: form},
        )
    body = {"closes_at": closes.isoformat(), **({"text": form["text"]} if form["text"] else {})}
    try:
        created = api().post(f"/api/v1/polls/{poll_id}/questions/{question_id}/next_round", body)
    except ApiProblem as problem:
        if problem.status not in (403, 404, 409, 422):
            raise
        message = " ".join(
            " ".join(map(str, v)) if isinstance(v, list) else str(v)
            for v in problem.fields.values()
        )
        return _poll_page(
            poll_id,
            422,
            {key: f"{problem.message} {message}".strip()},
            round_form={question_id: form},
        )
    flash(_("The next round is launched as a new poll."), "info")
    return redirect(url_for("admin_polls.poll", poll_id=created["id"]))
