"""Moderation (/admin/moderation): comments with open reports (hidden or not), most reported
first; hide one with a public reason or dismiss its reports (either resolves its reports)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, render, require_admin, translator, uuid_or_404
from gateway.web.views.discussion import HIDE_REASON_MAX

bp = Blueprint("moderation", __name__, url_prefix="/admin/moderation")

PAGE = 50
COLLECTIONS = {"poll": "polls", "proposal": "proposals"}


def _page() -> int:
    raw = request.args.get("page") or request.form.get("page") or "1"
    return max(int(raw), 1) if raw.isdigit() else 1


def _listing(page: int, status: int = 200, errors: dict | None = None, reasons: dict | None = None):
    found = api().get("/api/v1/comment-reports", limit=PAGE, offset=(page - 1) * PAGE)
    reports = sorted(
        found.get("reports", []),
        key=lambda r: (-(r.get("reports") or 0), r.get("last_reported_at") or ""),
    )
    for report in reports:
        subject = report.get("subject") or {}
        collection = COLLECTIONS.get(str(subject.get("type")))
        report["url"] = (
            f"/{collection}/{subject.get('id')}#c-{report['comment_id']}" if collection else None
        )
    total = found.get("total", len(reports))
    return render(
        "admin_moderation.html",
        status,
        reports=reports,
        total=total,
        page=page,
        more=page * PAGE < total,
        errors=errors or {},
        reasons=reasons or {},
        reason_max=HIDE_REASON_MAX,
    )


@bp.get("")
def moderation():
    require_admin()
    return _listing(_page())


@bp.post("/<comment_id>/hide")
def hide(comment_id):
    _ = translator()
    require_admin()
    uuid_or_404(comment_id)
    collection = COLLECTIONS.get(request.form.get("subject_type", ""))
    subject_id = request.form.get("subject_id", "")
    uuid_or_404(subject_id)
    if not collection:
        return redirect(url_for("moderation.moderation"))
    reason = (request.form.get("reason") or "").strip()
    error = None if reason else _("Give the reason members will read in its place.")
    if not error:
        try:
            api().post(
                f"/api/v1/{collection}/{subject_id}/comments/{comment_id}/hide", {"reason": reason}
            )
        except ApiProblem as problem:
            if problem.status not in (403, 404, 409, 422):
                raise
            messages = (problem.fields or {}).get("reason")
            error = " ".join(map(str, messages)) if messages else problem.message
    if error:
        return _listing(_page(), 422, {comment_id: error}, {comment_id: reason})
    flash(_("The comment is hidden; its reason is shown in its place."), "success")
    return redirect(url_for("moderation.moderation", page=_page()))


@bp.post("/<comment_id>/dismiss")
def dismiss(comment_id):
    _ = translator()
    require_admin()
    uuid_or_404(comment_id)
    try:
        api().post(f"/api/v1/comment-reports/{comment_id}/dismiss")
    except ApiProblem as problem:
        if problem.status not in (404, 409):
            raise
        flash(problem.message, "error")
    else:
        flash(_("The reports on this comment are dismissed."), "success")
    return redirect(url_for("moderation.moderation", page=_page()))
