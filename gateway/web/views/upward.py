"""Chapters put matters upward (issue 18): a chapter asks the level above for a delegate poll
(the form, from the chapter's pages); the request's public page, where the level above's
coordinators open the delegate poll or refuse with a public reason."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web import proposal_form as pf
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404

bp = Blueprint("upward", __name__)

REQUESTS = "/api/v1/polls/upward-requests"


def chapter_requests(client, chapter_id: str) -> dict[str, list[dict]]:
    """The requests a chapter sent up and those sent to it (empty if polls does not answer)."""

    def listed(**query) -> list[dict]:
        try:
            return client.get(REQUESTS, limit=20, **query).get("requests") or []
        except ApiProblem:
            return []

    return {"sent": listed(chapter_id=chapter_id), "received": listed(parent_id=chapter_id)}


def _form(chapter: dict, draft: dict, errors: dict, status: int = 200):
    closed = api().get(
        "/api/v1/polls", scope="chapter", scope_id=chapter["id"], status="closed", limit=50
    )
    return render(
        "upward_new.html",
        status,
        chapter=chapter,
        draft=draft,
        errors=errors,
        methods=pf.methods_of_questions(api().voting_methods()),
        closed_polls=closed.get("polls") or [],
        limits=pf.LIMITS,
    )


@bp.route("/chapters/<chapter_id>/requests/new", methods=["GET", "POST"])
def new(chapter_id):
    _ = translator()
    uuid_or_404(chapter_id)
    if not me():
        return to_login(request.path)
    chapter = api().get(f"/api/v1/chapters/{chapter_id}", depth=0, members=0)
    if request.method == "GET":
        return _form(chapter, {**pf.blank(), "method": "majority", "decided_by": ""}, {})
    draft = {**pf.read(request.form), "kind": "question"}
    draft["decided_by"] = (request.form.get("decided_by") or "").strip()
    errors = pf.check(_, draft, api().voting_methods(), with_scope=False)
    if errors:
        return _form(chapter, draft, errors, 422)
    body = {**pf.body(draft), "chapter_id": chapter_id}
    body.pop("scope")
    if draft["decided_by"]:
        body["decided_by_poll_id"] = draft["decided_by"]
    try:
        filed = api().post(REQUESTS, body)
    except ApiProblem as problem:
        if problem.status not in (403, 422):
            raise
        fields = dict(problem.fields or {})
        found = (
            {"decided_by": " ".join(map(str, fields.pop("decided_by_poll_id")))}
            if ("decided_by_poll_id" in fields)
            else {}
        )
        found.update(pf.api_errors(fields) if fields else {})
        return _form(chapter, draft, found or {"title": problem.message}, problem.status)
    flash(_("Your request is sent to the level above."), "success")
    return redirect(url_for("upward.request_page", request_id=filed["id"]))


@bp.get("/requests/<request_id>")
def request_page(request_id, errors: dict | None = None, status: int = 200):
    uuid_or_404(request_id)
    found = api().get(f"{REQUESTS}/{request_id}")
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    return render(
        "upward_request.html",
        status,
        item=found,
        errors=errors or {},
        closes_at=request.form.get("closes_at") or closes,
        reason=request.form.get("reason") or "",
    )


def _answer(request_id: str, action: str, body: dict):
    try:
        api().post(f"{REQUESTS}/{request_id}/{action}", body)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        field = "reason" if action == "refuse" else "closes_at"
        return request_page(request_id, {field: problem.message}, problem.status)
    return None


@bp.post("/requests/<request_id>/open")
def open_poll(request_id):
    _ = translator()
    uuid_or_404(request_id)
    if not me():
        return to_login(url_for("upward.request_page", request_id=request_id))
    raw = (request.form.get("closes_at") or "").strip()
    try:
        closes = dt.datetime.fromisoformat(raw).replace(tzinfo=dt.UTC)
    except ValueError:
        return request_page(request_id, {"closes_at": _("Give a closing date and time.")}, 422)
    failed = _answer(request_id, "open", {"closes_at": closes.isoformat()})
    if failed is not None:
        return failed
    flash(_("The delegate poll is open."), "success")
    return redirect(url_for("upward.request_page", request_id=request_id))


@bp.post("/requests/<request_id>/refuse")
def refuse(request_id):
    _ = translator()
    uuid_or_404(request_id)
    if not me():
        return to_login(url_for("upward.request_page", request_id=request_id))
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return request_page(request_id, {"reason": _("Give the reason for refusing.")}, 422)
    failed = _answer(request_id, "refuse", {"reason": reason})
    if failed is not None:
        return failed
    flash(_("The request is refused; the reason is public."), "success")
    return redirect(url_for("upward.request_page", request_id=request_id))
