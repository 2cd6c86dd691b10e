"""Joining, logging in and out, and the email verification link."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, g, redirect, request, session, url_for

from gateway.client import ApiProblem
from gateway.web.account_forms import LIMITS, field_errors, first_error, resolve_country
from gateway.web.context import api, render, safe_next, start_session, translator
from gateway.web.countries import countries
from gateway.web.forms import check_register, read_register_form
from gateway.web.i18n import LANGUAGES

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    _ = translator()
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render("login.html", next=next_url, email="")
    email = (request.form.get("email") or "").strip()
    password = request.form.get("password") or ""
    if not email or not password:
        return render(
            "login.html",
            422,
            next=next_url,
            email=email,
            error=_("Enter your email address and your password."),
        )
    try:
        tokens = api().post("/api/v1/auth/login", {"email": email, "password": password})
    except ApiProblem as problem:
        if problem.status in (400, 401, 422):
            return render(
                "login.html",
                401,
                next=next_url,
                email=email,
                error=_("That email address and password do not match."),
            )
        if problem.status == 403 and problem.code == "membership_rejected":  # issue 16
            reason = " ".join(map(str, problem.fields.get("reason") or []))
            return render(
                "login.html",
                403,
                next=next_url,
                email=email,
                error=_(
                    "Your request to join was not accepted. The admins said: {reason}",
                    reason=reason,
                ),
            )
        if problem.status == 429:
            g.retry_after = problem.retry_after
            return render("login.html", 429, next=next_url, email=email, error=problem.message)
        raise
    # A fresh session at login (no fixation).
    start_session(
        access_token=tokens["access_token"],
        refresh_token=tokens.get("refresh_token"),
        csrf=secrets.token_urlsafe(24),
    )
    session.permanent = True
    _use_members_language(tokens["access_token"])
    flash(translator()("You are logged in."), "info")
    return redirect(next_url or url_for("site.home"))


def _use_members_language(access_token: str) -> None:
    """The pages speak the member's language from login on (when the pages have it)."""
    try:
        member = api().call(
            "GET", "/api/v1/members/me", headers={"Authorization": f"Bearer {access_token}"}
        )
    except ApiProblem:
        return
    language = (member or {}).get("language") or ""
    language = language.split("-")[0]
    if language in LANGUAGES:
        session["lang"] = language
        g.pop("t", None)


@bp.get("/logout")
def logout_page():
    """A link to /logout asks first (logging out changes something: it takes a POST)."""
    return render("logout.html")


@bp.post("/logout")
def logout():
    refresh = session.get("refresh_token")
    if refresh:
        try:
            api().post("/api/v1/auth/logout", {"refresh_token": refresh})
        except ApiProblem:
            pass
    start_session()
    flash(translator()("You are logged out."), "info")
    return redirect(url_for("site.home"))


REGISTER_ORDER = ("email", "display_name", "country", "password", "introduction")


def _register_page(status: int, fields: dict, password: str, errors: dict, error=None):
    """The form again, with every field as typed (the password too) and errors beside them."""
    return render(
        "register.html",
        status,
        form=fields,
        password=password,
        errors=errors,
        error=error,
        focus=first_error(errors, REGISTER_ORDER),
        limits=LIMITS,
        countries=countries(translator().language),
    )


@bp.route("/register", methods=["GET", "POST"])
def register():
    _ = translator()
    fields = read_register_form(request.form)
    if request.method == "GET":
        return _register_page(200, fields, "", {})
    password = request.form.get("password") or ""
    errors = check_register(_, fields, password)
    country = resolve_country(_, fields, errors)
    if errors:
        return _register_page(422, fields, password, errors)
    body = {
        "email": fields["email"],
        "password": password,
        "display_name": fields["display_name"],
        "country": country,
        "language": _.language,
    }
    if fields["introduction"]:
        body["introduction"] = fields["introduction"]
    try:
        api().post("/api/v1/auth/register", body)
    except ApiProblem as problem:
        if problem.status in (409, 422, 429):
            errors = field_errors(problem, REGISTER_ORDER, _=_)
            message = problem.message if problem.status != 422 or not errors else None
            return _register_page(problem.status, fields, password, errors, message)
        raise
    tokens = api().post("/api/v1/auth/login", {"email": fields["email"], "password": password})
    start_session(
        access_token=tokens["access_token"],
        refresh_token=tokens.get("refresh_token"),
        csrf=secrets.token_urlsafe(24),
    )
    session.permanent = True
    flash(
        _(
            "Welcome! We sent you a mail: open its link to verify your address. Your "
            "membership is pending until another member vouches for you or an admin "
            "approves it; you can look around meanwhile."
        ),
        "info",
    )
    return redirect(url_for("site.home"))


@bp.get("/verify")
def verify_email():
    """Where a verification link may lead: the result in the site's own words."""
    _ = translator()
    token = (request.args.get("token") or "").strip()
    if not token:
        return render(
            "verify.html",
            400,
            verified=None,
            problem=_(
                "This link has no token. Open the link from the email again, or ask for a new one."
            ),
        )
    try:
        result = api().post("/api/v1/auth/verify", {"token": token})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        return render(
            "verify.html",
            400 if problem.status == 422 else problem.status,
            verified=None,
            problem=problem.message,
        )
    return render("verify.html", verified=result, problem=None)
