"""A forgotten password: ask for a reset mail (/forgot), then set a new password from the
mailed link (/reset?token=…, the link notify's mail carries: services/notify/links.py)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.account_forms import LIMITS, field_errors
from gateway.web.context import api, render, translator

bp = Blueprint("passwords", __name__)


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    _ = translator()
    email = (request.form.get("email") or request.args.get("email") or "").strip()
    if request.method == "GET":
        return render("forgot.html", email=email, errors={}, limits=LIMITS)
    if not email:
        return render(
            "forgot.html",
            422,
            email=email,
            limits=LIMITS,
            errors={"email": _("Enter the email address you joined with.")},
        )
    try:
        api().post("/api/v1/auth/password/forgot", {"email": email})
    except ApiProblem as problem:
        if problem.status == 429:
            g.retry_after = problem.retry_after
            return render(
                "forgot.html", 429, email=email, limits=LIMITS, errors={}, error=problem.message
            )
        if problem.status == 422:
            errors = field_errors(problem, ["email"], _=_) or {"email": problem.message}
            return render("forgot.html", 422, email=email, limits=LIMITS, errors=errors)
        raise
    return render("forgot.html", email=email, errors={}, limits=LIMITS, sent=True)


@bp.route("/reset", methods=["GET", "POST"])
def reset():
    _ = translator()
    token = (request.values.get("token") or "").strip()
    if not token:
        return render(
            "reset.html",
            400,
            token="",
            errors={},
            limits=LIMITS,
            error=_(
                "This link has no token. Open the link from the email again, or ask for a new one."
            ),
        )
    if request.method == "GET":
        return render("reset.html", token=token, errors={}, limits=LIMITS)
    password = request.form.get("password") or ""
    if not password:
        return render(
            "reset.html",
            422,
            token=token,
            limits=LIMITS,
            errors={"password": _("Choose a new password.")},
        )
    try:
        api().post("/api/v1/auth/password/reset", {"token": token, "password": password})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        errors = field_errors(problem, ["password"], _=_)
        if problem.code == "invalid_token" or "token" in problem.fields:
            return render(
                "reset.html",
                400,
                token="",
                errors={},
                limits=LIMITS,
                error=_(
                    "This reset link is not valid any more: links work once "
                    "and expire after a while. Ask for a new one."
                ),
            )
        return render(
            "reset.html",
            problem.status,
            token=token,
            limits=LIMITS,
            password=password,
            errors=errors or {"password": problem.message},
        )
    flash(
        _(
            "Your new password is set, and every session of your account has ended. "
            "Log in with the new password."
        ),
        "info",
    )
    return redirect(url_for("accounts.login"))
