"""What every page works with during one request: the reader's language, the API client with
the member's tokens, the member logged in, the CSRF token, and a few guards.

Each is computed at most once per request and kept on `flask.g`.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request, session, url_for

from gateway.client import ApiClient, ApiProblem, Tokens
from gateway.web.i18n import Translator, best_language

SESSION_KEYS_OF_A_MEMBER = ("access_token", "refresh_token", "ballots", "new_poll")


def translator() -> Translator:
    if "t" not in g:
        lang = best_language(session.get("lang"), [lang for lang, _q in request.accept_languages])
        g.t = Translator(lang)
    return g.t


def api() -> ApiClient:
    """This request's client of the gateway's API, with the member's tokens if logged in."""
    if "api" not in g:
        settings = current_app.config["WEB"]
        tokens = Tokens(session.get("access_token"), session.get("refresh_token"))
        # The chain as received plus our peer: the gateway decides whom to trust in it.
        chain = [request.headers.get("X-Forwarded-For", "").strip(), request.remote_addr]
        g.api = ApiClient(
            settings.gateway_url,
            current_app.extensions["web_http"],
            tokens,
            forwarded_for=", ".join(p for p in chain if p) or None,
            language=translator().language,
            timeout=settings.api_timeout,
        )
    return g.api


def me() -> dict | None:
    """The member logged in (GET /members/me), or None."""
    if "me" not in g:
        g.me = None
        if session.get("access_token"):
            try:
                g.me = api().get("/api/v1/members/me")
            except ApiProblem as problem:
                if problem.status != 401:
                    raise
                forget_tokens()
    return g.me


def forget_tokens() -> None:
    for key in SESSION_KEYS_OF_A_MEMBER:
        session.pop(key, None)


def start_session(**values) -> None:
    """A fresh session (login, logout) under a new id: what the old id held is forgotten on the
    server, and nothing is kept from before but the chosen language."""
    lang = session.get("lang")
    session.clear()
    session.regenerate()  # type: ignore[attr-defined]  # a ServerSession (sessions.py)
    if lang:
        session["lang"] = lang
    session.update(values)


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf() -> None:
    """Before every request: a form that changes something carries this session's token."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        expected = session.get("csrf", "")
        given = request.form.get("csrf_token", "")
        origin = request.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.host:
            abort(403, "This form came from another site.")
        if not expected or not hmac.compare_digest(expected, given):
            abort(400, "This form has expired. Please go back, reload the page and try again.")


def keep_refreshed_tokens(response):
    """After every request: tokens the API client refreshed replace those in the session."""
    client = g.get("api")
    if client is not None and client.tokens.refreshed:
        session["access_token"] = client.tokens.access_token
        session["refresh_token"] = client.tokens.refresh_token
    if response.status_code == 429 and g.get("retry_after"):
        response.headers["Retry-After"] = g.retry_after
    return response


def render(template: str, status: int = 200, **context):
    return render_template(template, **context), status


def uuid_or_404(value: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        abort(404)


def safe_next(value: str | None) -> str | None:
    """A path on this site to return to, or None: the value is parsed, and anything a browser
    could read as another site (`//host`, `/\\host`, a scheme, a host, control characters or
    spaces a browser strips) is refused."""
    if not value or len(value) > 2000 or not value.startswith("/"):
        return None
    if "\\" in value or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):
        return None
    parts = urlsplit(value)
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/")
        or parts.path.startswith("//")
    ):
        return None
    return value


def to_login(next_path: str | None = None):
    return redirect(url_for("accounts.login", next=next_path or request.path))


def require_admin() -> dict:
    member = me()
    if not member:
        abort(to_login())
    if not member.get("admin"):
        abort(403, translator()("This page is for admins."))
    return member
