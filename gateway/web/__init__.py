"""The web front end members vote in: server-rendered pages over the public HTTP API.

`create_web_app(settings)` builds a small Flask app of its own (templates, static files, the
member's session kept on the server, CSRF tokens on every form): one blueprint per area in
`views/`, the request's context in `context.py`, forms and their checks in `forms.py`, words
for codes in `labels.py`, sessions in `sessions.py`.
Pages work without JavaScript; councils.js only enhances them. `gateway/wsgi.py` mounts it
beside the API edge.
"""

from __future__ import annotations

import datetime as dt
import os

import requests
from flask import Flask, current_app
from requests.adapters import HTTPAdapter

from gateway.headers import secure
from gateway.web import context, errors, i18n, richtext, views
from gateway.web.i18n import LANGUAGE_NAMES, LANGUAGES
from gateway.web.labels import closed_on, method_label, when
from gateway.web.proposal_form import status_label
from gateway.web.sessions import ServerSessionInterface, open_store
from gateway.web.settings import WebSettings, load_web_settings
from gateway.web.views.discussion import load_discussion
from services.common import newsletter_text

__all__ = ["WebSettings", "create_web_app", "load_web_settings"]


def _http_session() -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    adapter = HTTPAdapter(pool_maxsize=32, max_retries=0)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http


def _template_globals() -> dict:
    _ = context.translator()
    return {
        "_": _,
        "lang": _.language,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "csrf_token": context.csrf_token,
        "me": context.me,
        "method_label": lambda m: method_label(_, m),
        "when": when,
        "load_discussion": load_discussion,
        "proposal_status": lambda s: status_label(_, s),
        "closed_on": closed_on,
    }


def create_web_app(
    settings: WebSettings | None = None, http: requests.Session | None = None
) -> Flask:
    settings = settings or load_web_settings()
    app = Flask("gateway.web", root_path=os.path.dirname(__file__), static_url_path="/static")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="councils_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(days=14),
        MAX_CONTENT_LENGTH=200_000,
        TRUSTED_HOSTS=list(settings.trusted_hosts),
        WEB=settings,
    )
    app.session_interface = ServerSessionInterface(open_store(settings.session_store))
    app.extensions["web_http"] = http or _http_session()
    app.before_request(context.check_csrf)
    app.after_request(context.keep_refreshed_tokens)
    app.after_request(_page_headers)
    app.context_processor(_template_globals)
    i18n.init_app(app, context.translator)  # Flask-Babel; ngettext and format_* in templates
    errors.register(app)
    app.jinja_env.filters["paragraphs"] = richtext.paragraphs
    app.jinja_env.filters["inline_text"] = richtext.inline
    app.jinja_env.filters["newsletter_html"] = newsletter_text.as_html  # as the mail shows it
    for blueprint in views.BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def _page_headers(response):
    secure(response, https=current_app.config["WEB"].secure_cookies)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
