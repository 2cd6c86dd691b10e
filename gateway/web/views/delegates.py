"""Recall petitions against a chapter's delegates, and delegates' public records."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.labels import describe_answer, petition_progress, petition_status, role_label

bp = Blueprint("delegates", __name__)


def _open_petition(client, reason: str, mandate_id: str):
    """(the petition opened, None) or (None, what went wrong in words)."""
    _ = translator()
    if not reason:
        return None, _("Say why the delegate should be recalled.")
    if not mandate_id:
        return None, _("Choose the delegate.")
    try:
        return client.post("/api/v1/recalls", {"mandate_id": mandate_id, "reason": reason}), None
    except ApiProblem as problem:
        if problem.status not in (403, 404, 409, 422):
            raise
        return None, problem.message


@bp.route("/chapters/<chapter_id>/recalls", methods=["GET", "POST"])
def chapter_recalls(chapter_id):
    _ = translator()
    uuid_or_404(chapter_id)
    client = api()
    page = client.get(f"/api/v1/chapters/{chapter_id}", depth=0, members=0)
    trail = [
        (a["name"], url_for("chapters.chapter", chapter_id=a["id"]))
        for a in reversed(page.get("ancestors") or [])
    ]
    error = None
    reason = (request.form.get("reason") or "").strip()
    if request.method == "POST":
        if not me():
            return to_login()
        opened, error = _open_petition(client, reason, request.form.get("mandate_id") or "")
        if opened:
            flash(_("Your recall petition is open; you signed it first."), "info")
            return redirect(url_for("delegates.recall", petition_id=opened["id"]))
    petitions = client.get("/api/v1/recalls", chapter_id=chapter_id, limit=100)
    delegates = client.get("/api/v1/mandates", chapter_id=chapter_id, role="delegate")
    return render(
        "recalls.html",
        422 if error else 200,
        chapter=page,
        trail=trail,
        petitions=petitions,
        delegates=delegates,
        error=error,
        reason=reason,
    )


@bp.get("/recalls/<petition_id>")
def recall(petition_id):
    uuid_or_404(petition_id)
    petition = api().get(f"/api/v1/recalls/{petition_id}")
    return render(
        "recall.html", petition=petition, progress=petition_progress(translator(), petition)
    )


@bp.post("/recalls/<petition_id>/signature")
def recall_signature(petition_id):
    _ = translator()
    uuid_or_404(petition_id)
    if not me():
        return to_login(url_for("delegates.recall", petition_id=petition_id))
    withdraw = request.form.get("action") == "withdraw"
    try:
        api().call("DELETE" if withdraw else "POST", f"/api/v1/recalls/{petition_id}/signature")
    except ApiProblem as problem:
        if problem.status not in (403, 404, 409):
            raise
        flash(problem.message, "error")
    else:
        flash(
            _("Your signature is withdrawn.") if withdraw else _("You signed the petition."), "info"
        )
    return redirect(url_for("delegates.recall", petition_id=petition_id))


@bp.get("/members/<member_id>/record")
def record(member_id, status: int = 200, error: str | None = None, mandate_id: str = ""):
    uuid_or_404(member_id)
    client = api()
    found = client.get(f"/api/v1/members/{member_id}/record")
    votes = client.get(f"/api/v1/delegates/{member_id}/votes").get("votes") or []
    _ = translator()
    return render(
        "record.html",
        status,
        recall_form=bool(me()),
        recall_error=error,
        recall_mandate=mandate_id,
        record=found,
        votes=votes,
        member_id=member_id,
        describe=lambda answers: "; ".join(
            describe_answer(_, a) for a in answers if isinstance(a, Mapping)
        ),
        status_label=lambda s: petition_status(_, s),
        role_label=lambda r: role_label(_, r),
    )


@bp.post("/members/<member_id>/record/recall")
def record_recall(member_id):
    """Open a recall petition against one of the member's mandates, from their public record
    (a delegate's, a coordinator's or an admin's: issue 18)."""
    _ = translator()
    uuid_or_404(member_id)
    if not me():
        return to_login(url_for("delegates.record", member_id=member_id))
    mandate_id = request.form.get("mandate_id") or ""
    reason = (request.form.get("reason") or "").strip()
    opened, error = _open_petition(api(), reason, mandate_id)
    if opened:
        flash(_("Your recall petition is open; you signed it first."), "info")
        return redirect(url_for("delegates.recall", petition_id=opened["id"]))
    return record(member_id, 422, error, mandate_id)
