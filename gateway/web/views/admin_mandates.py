"""Mandates from a member's admin page: grant an interim admin or coordinator mandate (it always
ends; refused where the members elect, which the page explains), set or move its end ("end on
…"), revoke one with a public reason; the audit log shows each. An elected mandate is the
members' (they recall it): the page offers neither, and says so if the API refuses."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web import manage_forms as forms
from gateway.web.context import api, require_admin, translator, uuid_or_404
from gateway.web.views.admin_desk import member_page

bp = Blueprint("admin_mandates", __name__, url_prefix="/admin/members")

REASON_MAX = forms.REASON_MAX


def _to_member(member_id: str):
    return redirect(url_for("admin_desk.member", member_id=member_id) + "#mandates-heading")


def _members_mandate() -> str:
    _ = translator()
    return _(
        "The members elected this mandate: they set its term and only they take it back, by a "
        "recall petition; its holder may resign."
    )


def _elected(role: str) -> str:
    _ = translator()
    if role == "admin":
        return _("Admins of the organisation are elected: launch an admin election.")
    return _("Coordinators of this chapter are elected: launch an election.")


@bp.post("/<member_id>/mandates")
def grant(member_id):
    _ = translator()
    require_admin()
    uuid_or_404(member_id)
    mandate = forms.read_mandate(request.form)
    errors = {f"mandate-{k}": v for k, v in forms.check_mandate(_, mandate).items()}
    if not errors:
        try:
            api().post("/api/v1/mandates", forms.mandate_body(member_id, mandate))
        except ApiProblem as problem:
            if problem.status not in (403, 409, 422):
                raise
            field = next(iter(problem.fields), "role")
            errors = {f"mandate-{field}" if field in mandate else "mandate-role": problem.message}
            if problem.code == "elected_role":  # elected since the page was shown
                errors = {"mandate-role": _elected(mandate["role"])}
    if errors:
        return member_page(member_id, 422, errors, mandate=mandate)
    flash(_("Mandate granted; the audit log records it."), "info")
    return _to_member(member_id)


@bp.post("/<member_id>/mandates/<mandate_id>/revoke")
def revoke(member_id, mandate_id):
    _ = translator()
    require_admin()
    uuid_or_404(member_id)
    uuid_or_404(mandate_id)
    reason = (request.form.get("reason") or "").strip()
    error = None
    if not reason:
        error = _("Say why: the reason is public in the audit log.")
    elif len(reason) > REASON_MAX:
        error = _("Keep the reason under {n} characters.", n=REASON_MAX)
    else:
        try:
            api().post(f"/api/v1/mandates/{mandate_id}/revoke", {"reason": reason})
        except ApiProblem as problem:
            if problem.status not in (403, 404, 409, 422):
                raise
            if problem.code == "elected_mandate":  # the page says why, without the form
                flash(_members_mandate(), "error")
                return _to_member(member_id)
            error = problem.message
    if error:
        return member_page(
            member_id, 422, {f"revoke-{mandate_id}": error}, revoke_reason={mandate_id: reason}
        )
    flash(_("Mandate revoked; the audit log records it with your reason."), "info")
    return _to_member(member_id)


@bp.post("/<member_id>/mandates/<mandate_id>/term")
def term(member_id, mandate_id):
    """End an admin or coordinator mandate on a date (or clear its end), with a public reason."""
    _ = translator()
    require_admin()
    uuid_or_404(member_id)
    uuid_or_404(mandate_id)
    body, errors = forms.term_body(_, request.form)
    if not errors:
        try:
            api().call("PATCH", f"/api/v1/mandates/{mandate_id}", json=body)
        except ApiProblem as problem:
            if problem.status not in (403, 404, 409, 422):
                raise
            if problem.code == "elected_term":  # the page says why, without the form
                flash(_members_mandate(), "error")
                return _to_member(member_id)
            field = next(iter(problem.fields), "ends_at")
            errors = {field if field in ("ends_at", "reason") else "ends_at": problem.message}
    if errors:
        given = {k: (request.form.get(k) or "").strip() for k in ("ends_at", "reason")}
        return member_page(
            member_id,
            422,
            {f"term-{k}-{mandate_id}": v for k, v in errors.items()},
            term_form={mandate_id: given},
        )
    if body["ends_at"]:
        flash(_("The mandate's end is set; the audit log records it."), "info")
    else:
        flash(_("The mandate has no set end any more; the audit log records it."), "info")
    return _to_member(member_id)
