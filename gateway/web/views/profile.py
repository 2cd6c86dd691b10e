"""The member's own account (/me): profile, password, sessions, their data, deleting it."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, request, session, url_for

from gateway.client import ApiProblem
from gateway.web.account_forms import (
    LIMITS,
    PROFILE_FIELDS,
    check_profile,
    field_errors,
    first_error,
    gender_labels,
    profile_changes,
    profile_of,
    read_profile_form,
    resolve_country,
)
from gateway.web.context import api, me, render, start_session, to_login, translator
from gateway.web.countries import countries, country_name
from gateway.web.i18n import LANGUAGE_NAMES, LANGUAGES

bp = Blueprint("profile", __name__)
PROFILE_ORDER = (
    "display_name",
    "email",
    "current_password",
    "country",
    "phone",
    "language",
    "gender",
    "introduction",
)


def _member_or_login():
    member = me()
    return member, (None if member else to_login())


def _sessions() -> list[dict]:
    """The member's open sessions, this device's first and marked `current`."""
    try:
        found = [s for s in api().get("/api/v1/auth/sessions") or [] if not s.get("ended")]
    except ApiProblem:
        return []
    for each in found:
        each["current"] = bool(each.get("current"))
    return sorted(found, key=lambda s: not s["current"])


def _page(
    member: dict, status: int = 200, *, fields=None, errors=None, error=None, password_errors=None
):
    _ = translator()
    errors = errors or {}
    password_errors = password_errors or {}
    focus = first_error(errors, PROFILE_ORDER) or first_error(
        password_errors, ("current_password_change", "new_password")
    )
    return render(
        "me.html",
        status,
        member=member,
        form=fields or profile_of(member, _.language),
        errors=errors,
        error=error,
        focus=focus,
        password_errors=password_errors,
        limits=LIMITS,
        countries=countries(_.language),
        genders=gender_labels(_),
        languages_offered=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        country_label=country_name(member.get("country"), _.language),
        sessions=_sessions(),
    )


@bp.get("/me")
def me_page():
    member, login = _member_or_login()
    return login or _page(member)


@bp.post("/me")
def save_profile():
    _ = translator()
    member, login = _member_or_login()
    if login:
        return login
    fields = read_profile_form(request.form)
    errors = check_profile(_, fields)
    country = resolve_country(_, fields, errors)
    if errors:
        return _page(member, 422, fields=fields, errors=errors)
    changes = profile_changes(fields, member, country)
    password = request.form.get("current_password") or ""
    if "email" in changes and password:
        changes["current_password"] = password
    if not changes:
        flash(_("Nothing changed."), "info")
        return redirect(url_for("profile.me_page"))
    try:
        updated = api().call("PATCH", "/api/v1/members/me", json=changes)
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        found = field_errors(problem, (*PROFILE_FIELDS, "current_password"), _=_)
        return _page(
            member,
            problem.status,
            fields=fields,
            errors=found,
            error=None if found else problem.message,
        )
    if (updated.get("language") or "").split("-")[0] in LANGUAGES:
        session["lang"] = updated["language"].split("-")[0]
    message = _("Your profile is saved.")
    if "email" in changes:
        message += " " + _(
            "We sent a link to {email}: open it to verify your new address.",
            email=updated.get("email"),
        )
    flash(message, "info")
    return redirect(url_for("profile.me_page"))


@bp.post("/me/password")
def change_password():
    _ = translator()
    member, login = _member_or_login()
    if login:
        return login
    current = request.form.get("current_password_change") or ""
    new = request.form.get("new_password") or ""
    errors = {}
    if not current:
        errors["current_password_change"] = _("Enter your current password.")
    if not new:
        errors["new_password"] = _("Choose a new password.")
    if not errors:
        try:
            tokens = api().post(
                "/api/v1/auth/password", {"current_password": current, "new_password": new}
            )
        except ApiProblem as problem:
            if problem.status not in (422, 429):
                raise
            errors = field_errors(
                problem,
                ["current_password_change", "new_password"],
                {"current_password": "current_password_change"},
                _=_,
            )
            errors = errors or {"new_password": problem.message}
        else:
            session["access_token"] = tokens["access_token"]
            session["refresh_token"] = tokens.get("refresh_token")
            flash(_("Your password is changed; your other sessions have ended."), "info")
            return redirect(url_for("profile.me_page"))
    return _page(member, 422, password_errors=errors)


@bp.post("/me/sessions/end-all")
def log_out_everywhere():
    refresh = session.get("refresh_token")
    if refresh:
        try:
            api().post("/api/v1/auth/logout", {"refresh_token": refresh, "everywhere": True})
        except ApiProblem:
            pass
    start_session()
    flash(translator()("You are logged out everywhere: on this device and every other."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/me/sessions/<uuid:session_id>/end")
def end_session(session_id):
    member, login = _member_or_login()
    if login:
        return login
    try:
        api().call("DELETE", f"/api/v1/auth/sessions/{session_id}")
    except ApiProblem as problem:
        if problem.status != 404:
            raise
    flash(translator()("That session has ended."), "info")
    return redirect(url_for("profile.me_page") + "#sessions")


@bp.get("/me/export")
def download_my_data():
    member, login = _member_or_login()
    if login:
        return login
    data = api().get("/api/v1/members/me/export")
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="councils-my-data.json"'},
    )


@bp.route("/me/delete", methods=["GET", "POST"])
def delete_account():
    _ = translator()
    member, login = _member_or_login()
    if login:
        return login
    if request.method == "GET":
        return render("me_delete.html", errors={}, limits=LIMITS)
    errors = {}
    if request.form.get("confirm") != "yes":
        errors["confirm"] = _("Tick the box to confirm that you want to delete your account.")
    if not request.form.get("password"):
        errors["password"] = _("Enter your password.")
    if not errors:
        try:
            api().call("DELETE", "/api/v1/members/me", json={"password": request.form["password"]})
        except ApiProblem as problem:
            if problem.status not in (409, 422):
                raise
            errors = field_errors(problem, ["password"], _=_) or {"_": problem.message}
        else:
            start_session()
            flash(_("Your account is deleted. Thank you for taking part."), "info")
            return redirect(url_for("site.home"))
    return render("me_delete.html", 422, errors=errors, limits=LIMITS, error=errors.pop("_", None))


@bp.post("/me/verify")
def resend_verification():
    member, login = _member_or_login()
    if login:
        return login
    _ = translator()
    try:
        api().post("/api/v1/auth/verify/resend")
    except ApiProblem as problem:
        if problem.status not in (409, 429):
            raise
        flash(problem.message, "error")
    else:
        flash(_("We sent a new link to {email}.", email=member.get("email")), "info")
    return redirect(url_for("profile.me_page"))
