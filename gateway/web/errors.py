"""Error pages: API problems and HTTP errors in the reader's language."""

from __future__ import annotations

from flask import Flask, flash, g, request
from flask.globals import request_ctx

from gateway.client import ApiProblem
from gateway.web.context import forget_tokens, render, to_login, translator


def api_problem(problem: ApiProblem):
    if problem.status == 401:
        forget_tokens()
        flash(translator()("Please log in again."), "info")
        return to_login(request.path)
    status = problem.status if problem.status in (403, 404, 409, 422, 429) else 502
    g.retry_after = problem.retry_after
    return render(
        "error.html", status, title=translator()("Something stopped us"), message=problem.message
    )


def http_error(exc):
    if request_ctx.url_adapter is None:
        # The Host header is not one of TRUSTED_HOSTS: no page (it would link to that host).
        return "Bad request: unknown host.", 400, {"Content-Type": "text/plain; charset=utf-8"}
    _ = translator()
    titles = {404: _("Page not found"), 403: _("Not allowed"), 400: _("Please try again")}
    return render(
        "error.html",
        exc.code,
        title=titles.get(exc.code, _("Something went wrong")),
        message=exc.description,
    )


def register(app: Flask) -> None:
    app.register_error_handler(ApiProblem, api_problem)
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, http_error)
