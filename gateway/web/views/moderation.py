"""Moderation (/admin/moderation): comments with open reports (hidden or not), most reported
first; hide one with a public reason or dismiss its reports (either resolves its reports); the
hidden comments, latest first, each restored with a public reason."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, render, require_admin, translator, uuid_or_404
from gateway.web.numbers import page_number
from gateway.web.views.discussion import HIDE_REASON_MAX

bp = Blueprint("moderation", __name__, url_prefix="/admin/moderation")

PAGE = 50
COLLECTIONS = {"poll": "polls", "proposal": "proposals"}


def _page(name: str = "page") -> int:
    raw = request.args.get(name) or request.form.get(name) or "1"
    return page_number(raw)


def _link(item: dict) -> str | None:
    """Where the comment is read, in its discussion."""
    subject = item.get("subject") or {}
    collection = COLLECTIONS.get(str(subject.get("type")))
    return f"/{collection}/{subject.get('id')}#c-{item['comment_id']}" if collection else None


def _listing(page: int, status: int = 200, errors: dict | None = None, reasons: dict | None = None):
    found = api().get("/api/v1/comment-reports", limit=PAGE, offset=(page - 1) * PAGE)
    reports = sorted(
        found.get("reports", []),
        key=lambda r: (-(r.get("reports") or 0), r.get("last_reported_at") or ""),
    )
    for report in reports:
        report["url"] = _link(report)
    total = found.get("total", len(reports))
    hidden_page = _page("hpage")
    hidden = api().get(
        "/api/v1/comment-reports/hidden", limit=PAGE, offset=(hidden_page - 1) * PAGE
    )
    for item in hidden.get("hidden", []):
        item["url"] = _link(item)
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
        hidden=hidden.get("hidden", []),
        hidden_total=hidden.get("total", 0),
        hidden_page=hidden_page,
        more_hidden=hidden_page * PAGE < hidden.get("total", 0),
    )


@bp.get("")
def moderation():
    require_admin()
    return _listing(_page())


@bp.post("/<comment_id>/hide")
def hide(comment_id):
    _ = translator()
    return _with_reason(
        comment_id,
        "hide",
        comment_id,
        _("Give the reason members will read in its place."),
        _("The comment is hidden; its reason is shown in its place."),
    )


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


@bp.post("/<comment_id>/restore")
def restore(comment_id):
    """Show a hidden comment again, with the public reason members read beside it."""
    _ = translator()
    return _with_reason(
        comment_id,
        "restore",
        f"restore-{comment_id}",
        _("Give the reason members will read beside it."),
        _("The comment is shown again, with your reason beside it."),
    )


def _with_reason(comment_id: str, action: str, key: str, missing: str, done: str):
    """Hide or restore a comment (`action`) with the public reason of the form; without one,
    or refused, the listing again with the error beside the form (`key`)."""
    require_admin()
    uuid_or_404(comment_id)
    collection = COLLECTIONS.get(request.form.get("subject_type", ""))
    subject_id = request.form.get("subject_id", "")
    uuid_or_404(subject_id)
    if not collection:
        return redirect(url_for("moderation.moderation"))
    reason = (request.form.get("reason") or "").strip()
    error = None if reason else missing
    if not error:
        try:
            api().post(
                f"/api/v1/{collection}/{subject_id}/comments/{comment_id}/{action}",
                {"reason": reason},
            )
        except ApiProblem as problem:
            if problem.status not in (403, 404, 409, 422):
                raise
            messages = (problem.fields or {}).get("reason")
            error = " ".join(map(str, messages)) if messages else problem.message
    if error:
        return _listing(_page(), 422, {key: error}, {key: reason})
    flash(done, "success")
    return redirect(url_for("moderation.moderation", page=_page()))
