"""Proposals: members draft a poll (a question with options, or a consensus text), discuss it,
edit or withdraw it; the coordinators of its scope (or admins) open it as a poll."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from gateway.client import ApiProblem
from gateway.web import proposal_form as pf
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.numbers import page_number

bp = Blueprint("proposals", __name__)

PER_PAGE = 20
STATUSES = ("draft", "opened", "withdrawn")


@bp.get("/proposals")
def proposals():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    page = page_number(request.args.get("page"))
    data = api().get(
        "/api/v1/proposals", status=status, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE
    )["proposals"]
    # render_template, not render: `status` here is the filter, not the HTTP status.
    return render_template(
        "proposals.html",
        proposals=data[:PER_PAGE],
        more=len(data) > PER_PAGE,
        page=page,
        status=status,
        statuses=STATUSES,
    )


def _choices() -> dict:
    member = me() or {}
    return {
        "chapters": member.get("chapters") or [],
        "currents": member.get("currents") or [],
        "methods": pf.methods_of_questions(api().voting_methods()),
        "limits": pf.LIMITS,
    }


def _form(template_status: int, draft: dict, errors: dict, proposal: dict | None = None):
    return render(
        "proposal_form.html",
        template_status,
        draft=draft,
        errors=errors,
        proposal=proposal,
        **_choices(),
    )


@bp.route("/proposals/new", methods=["GET", "POST"])
def new():
    _ = translator()
    if not me():
        return to_login(request.path)
    if request.method == "GET":
        return _form(200, pf.blank(), {})
    draft = pf.read(request.form)
    errors = pf.check(_, draft, api().voting_methods())
    if errors:
        return _form(422, draft, errors)
    try:
        created = api().post("/api/v1/proposals", pf.body(draft))
    except ApiProblem as problem:
        if problem.status not in (403, 422):
            raise
        return _form(
            problem.status, draft, pf.api_errors(problem.fields) or {"title": problem.message}
        )
    flash(_("Your proposal is saved as a draft."), "success")
    return redirect(url_for("proposals.proposal", proposal_id=created["id"]))


def _load(proposal_id: str) -> dict:
    uuid_or_404(proposal_id)
    return api().get(f"/api/v1/proposals/{proposal_id}")


def _scope_words(scope: dict) -> tuple[str, str]:
    """Who it is for, and who may open it, in words."""
    _ = translator()
    if scope.get("type") == "chapter":
        try:
            name = api().get(f"/api/v1/chapters/{scope['id']}", depth=0, members=0).get("name", "?")
        except ApiProblem:
            name = "?"
        return (
            _("Members of the chapter {name} and its sub-chapters", name=name),
            _(
                "The coordinators of {name} (or of a chapter above it) and the admins may "
                "open it as a poll.",
                name=name,
            ),
        )
    if scope.get("type") == "current":
        return _("Members of a current"), _("The admins may open it as a poll.")
    return (_("Every active member of the organisation"), _("The admins may open it as a poll."))


@bp.get("/proposals/<proposal_id>")
def proposal(proposal_id, errors: dict | None = None, status: int = 200):
    item = _load(proposal_id)
    who, openers = _scope_words(item.get("scope") or {})
    member = me()
    mine = bool(member and str(member["id"]) == item["author_id"])
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    return render(
        "proposal.html",
        status,
        proposal=item,
        who=who,
        openers=openers,
        mine=mine,
        errors=errors or {},
        closes_at=request.form.get("closes_at") or closes,
    )


@bp.route("/proposals/<proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id):
    _ = translator()
    if not me():
        return to_login(request.path)
    item = _load(proposal_id)
    if request.method == "GET":
        return _form(200, pf.from_proposal(item), {}, item)
    draft = {
        **pf.read(request.form),
        **{
            k: v
            for k, v in pf.from_proposal(item).items()
            if k in ("scope_type", "chapter_id", "current_id")
        },
    }
    errors = pf.check(_, draft, api().voting_methods(), with_scope=False)
    if errors:
        return _form(422, draft, errors, item)
    body = pf.body(draft, (item.get("questions") or [])[1:])
    body.pop("scope")
    try:
        api().call("PATCH", f"/api/v1/proposals/{proposal_id}", json=body)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return _form(
            problem.status, draft, pf.api_errors(problem.fields) or {"title": problem.message}, item
        )
    flash(_("Your proposal is updated."), "success")
    return redirect(url_for("proposals.proposal", proposal_id=proposal_id))


@bp.post("/proposals/<proposal_id>/support")
def support(proposal_id):
    """Support the proposal, or take the support back (`withdraw=1`): member initiative."""
    _ = translator()
    if not me():
        return to_login(url_for("proposals.proposal", proposal_id=proposal_id))
    uuid_or_404(proposal_id)
    path = f"/api/v1/proposals/{proposal_id}/support"
    taking_back = request.form.get("withdraw") == "1"
    try:
        api().call("DELETE" if taking_back else "POST", path)
    except ApiProblem as problem:
        if problem.status not in (403, 409):
            raise
        flash(problem.message, "error")
        return redirect(url_for("proposals.proposal", proposal_id=proposal_id))
    flash(
        _("Your support is taken back.") if taking_back else _("You support this proposal."),
        "success",
    )
    return redirect(url_for("proposals.proposal", proposal_id=proposal_id))


@bp.post("/proposals/<proposal_id>/withdraw")
def withdraw(proposal_id):
    _ = translator()
    if not me():
        return to_login(url_for("proposals.proposal", proposal_id=proposal_id))
    uuid_or_404(proposal_id)
    api().post(f"/api/v1/proposals/{proposal_id}/withdraw")
    flash(_("The proposal is withdrawn."), "success")
    return redirect(url_for("proposals.proposal", proposal_id=proposal_id))


@bp.post("/proposals/<proposal_id>/open")
def open_as_poll(proposal_id):
    _ = translator()
    if not me():
        return to_login(url_for("proposals.proposal", proposal_id=proposal_id))
    uuid_or_404(proposal_id)
    raw = (request.form.get("closes_at") or "").strip()
    try:
        closes = dt.datetime.fromisoformat(raw).replace(tzinfo=dt.UTC)
    except ValueError:
        return proposal(proposal_id, {"closes_at": _("Give a closing date and time.")}, 422)
    if closes <= dt.datetime.now(dt.UTC):
        return proposal(
            proposal_id, {"closes_at": _("The closing time must be in the future.")}, 422
        )
    try:
        poll = api().post(
            f"/api/v1/proposals/{proposal_id}/open", {"closes_at": closes.isoformat()}
        )
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return proposal(proposal_id, {"closes_at": problem.message}, problem.status)
    flash(_("The proposal is open as a poll."), "success")
    return redirect(url_for("polls.poll", poll_id=poll["id"]))
