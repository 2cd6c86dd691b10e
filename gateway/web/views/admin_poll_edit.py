"""A scheduled poll changed or cancelled from its admin desk: /admin/polls/<id>/edit (the
poll's form, filled with what it holds; who votes cannot change) and /admin/polls/<id>/cancel
(a confirmation page with the public reason). Both end once the poll has opened."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, render, require_admin, translator, uuid_or_404
from gateway.web.forms import (
    blank_question,
    check_poll,
    field_time,
    launchable,
    poll_body,
    read_poll_form,
)
from gateway.web.views.admin import api_errors, draft_from_poll

bp = Blueprint("admin_poll_edit", __name__, url_prefix="/admin/polls")

REASON_MAX = 2000  # the API's limit


def _scheduled(poll_id: str):
    """(poll, None) while it is scheduled; (None, a redirect to its desk saying why) after.
    Admins only."""
    require_admin()
    uuid_or_404(poll_id)
    poll = api().get(f"/api/v1/polls/{poll_id}")
    if poll.get("status") == "scheduled":
        return poll, None
    flash(translator()("Only a scheduled poll can be edited or cancelled."), "error")
    return None, redirect(url_for("admin_polls.poll", poll_id=poll_id))


def _form(poll: dict, draft: dict, table, status: int = 200, errors: dict | None = None):
    return render(
        "admin_poll.html",
        status,
        draft=draft,
        errors=errors or {},
        editing=poll,
        methods=launchable(table),
    )


@bp.route("/<poll_id>/edit", methods=["GET", "POST"])
def edit(poll_id):
    _ = translator()
    poll, away = _scheduled(poll_id)
    if away:
        return away
    table = api().voting_methods()
    if request.method == "GET":
        draft = draft_from_poll(poll)
        draft.update(opens_at=field_time(poll["opens_at"]), closes_at=field_time(poll["closes_at"]))
        return _form(poll, draft, table)
    draft = read_poll_form(request.form)
    if request.form.get("action") == "add":
        draft["questions"].append(blank_question())
        return _form(poll, draft, table)
    errors = check_poll(_, draft, table)
    if errors:
        return _form(poll, draft, table, 422, errors)
    body = poll_body(draft, table)
    changes = {k: body.get(k) for k in ("title", "opens_at", "closes_at", "questions")}
    changes["text"] = body.get("text") or ""
    try:
        api().call("PATCH", f"/api/v1/polls/{poll_id}", json=changes)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return _form(poll, draft, table, 422, api_errors(problem))
    flash(_("The poll is changed."), "info")
    return redirect(url_for("admin_polls.poll", poll_id=poll_id))


@bp.route("/<poll_id>/cancel", methods=["GET", "POST"])
def cancel(poll_id):
    """Ask for the public reason and a confirmation, then cancel."""
    _ = translator()
    poll, away = _scheduled(poll_id)
    if away:
        return away
    if request.method == "GET":
        return render("admin_poll_cancel.html", poll=poll, errors={}, reason="")
    reason = (request.form.get("reason") or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why: members see the reason with the poll.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Keep the reason under {n} characters.", n=REASON_MAX)
    if request.form.get("confirm") != "yes":
        errors["confirm"] = _("Tick the box to confirm the cancellation.")
    if not errors:
        try:
            api().post(f"/api/v1/polls/{poll_id}/cancel", {"reason": reason})
        except ApiProblem as problem:
            if problem.status not in (403, 409, 422):
                raise
            errors["reason"] = problem.message
    if errors:
        return render("admin_poll_cancel.html", 422, poll=poll, errors=errors, reason=reason)
    flash(_("The poll is cancelled; members see your reason with it."), "info")
    return redirect(url_for("admin_polls.poll", poll_id=poll_id))
