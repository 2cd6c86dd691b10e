"""A scheduled newsletter moved to another time or cancelled before it goes, from
/admin/newsletters (admins; the API refuses once it has gone)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from gateway.client import ApiProblem
from gateway.web.context import api, require_admin, translator, uuid_or_404
from gateway.web.forms import check_send_at, read_newsletter_form, send_time
from gateway.web.labels import when
from gateway.web.views.admin import newsletters_page

bp = Blueprint("admin_newsletters", __name__, url_prefix="/admin/newsletters")


def _gone(problem: ApiProblem):
    """A redirect to the page saying why, when the newsletter went or was cancelled already."""
    if problem.status not in (404, 409):
        raise problem
    flash(translator()("This newsletter has gone already or was cancelled."), "error")
    return redirect(url_for("admin.newsletters"))


@bp.post("/<newsletter_id>/time")
def reschedule(newsletter_id: str):
    """Move a scheduled newsletter; a bad time is refused beside its own field (422)."""
    _ = translator()
    require_admin()
    uuid_or_404(newsletter_id)
    value = (request.form.get("send_at") or "").strip()
    errors = check_send_at(_, value, required=True)
    if not errors:
        try:
            moved = api().call(
                "PATCH",
                f"/api/v1/newsletters/{newsletter_id}",
                json={"send_at": send_time(value).isoformat()},
            )
        except ApiProblem as problem:
            if problem.status != 422:
                return _gone(problem)
            errors = {"send_at": _("The time to send it must be in the future.")}
        else:
            flash(_("Newsletter moved: it goes {when}.", when=when(moved["send_at"])), "info")
            return redirect(url_for("admin.newsletters"))
    scheduled_errors = {f"send_at-{newsletter_id}": errors["send_at"], "_": errors["send_at"]}
    return newsletters_page(
        read_newsletter_form(MultiDict()),
        scheduled_errors,
        status=422,
        edited={newsletter_id: value},
    )


@bp.post("/<newsletter_id>/cancel")
def cancel(newsletter_id: str):
    _ = translator()
    require_admin()
    uuid_or_404(newsletter_id)
    try:
        api().post(f"/api/v1/newsletters/{newsletter_id}/cancel")
    except ApiProblem as problem:
        return _gone(problem)
    flash(_("Newsletter cancelled: nobody will get it."), "info")
    return redirect(url_for("admin.newsletters"))
