"""The web front end: server-rendered pages over the gateway's public HTTP API.

`create_web_app(settings)` builds a small Flask app of its own (templates, static files, a
signed session cookie holding the member's tokens, CSRF tokens on every form). Pages work
without JavaScript; councils.js only enhances them. Mounted at `/` by the gateway
(gateway/web/mount.py).
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests
from flask import (
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from requests.adapters import HTTPAdapter

from gateway.web import ballot as ballots
from gateway.web import i18n
from gateway.web import results as explain
from gateway.web.api import ApiClient, ApiProblem, Tokens
from gateway.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, best_language

METHODS = ("plurality", "majority", "approval", "irv", "stv", "schulze", "borda", "consensus")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
}


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    gateway_url: str | None = None  # None: the request's own host (the gateway serving us)
    secure_cookies: bool = False
    api_timeout: float = 15.0


def load_web_settings(env: Mapping[str, str] | None = None) -> WebSettings:
    env = dict(os.environ if env is None else env)
    secret = env.get("SECRET_KEY") or ""
    if not secret:
        # Sessions then last as long as the process: fine for a developer, said out loud.
        secret = secrets.token_urlsafe(32)
    return WebSettings(
        secret_key=secret,
        gateway_url=(env.get("GATEWAY_INTERNAL_URL") or "").rstrip("/") or None,
        secure_cookies=env.get("PUBLIC_URL", "").startswith("https://"),
    )


def method_label(_: Translator, method: str) -> str:
    return {
        "plurality": _("Single choice: most votes wins"),
        "majority": _("Single choice: a majority is needed"),
        "approval": _("Approval: choose all you accept"),
        "irv": _("Ranked: instant runoff"),
        "stv": _("Ranked, several seats (single transferable vote)"),
        "schulze": _("Ranked: head-to-head (Schulze)"),
        "borda": _("Ranked: points per rank (Borda)"),
        "consensus": _("Consensus: agree, stand aside, concern or block"),
        "consensus_vote": _("Fallback vote: yes or no"),
    }.get(method, method)


def create_web_app(settings: WebSettings | None = None,
                   http: requests.Session | None = None) -> Flask:
    settings = settings or load_web_settings()
    app = Flask("gateway.web", root_path=os.path.dirname(__file__),
                static_url_path="/static")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="councils_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(days=14),
        MAX_CONTENT_LENGTH=200_000,
        WEB=settings,
    )
    if http is None:
        http = requests.Session()
        http.trust_env = False
        adapter = HTTPAdapter(pool_maxsize=32, max_retries=0)
        http.mount("http://", adapter)
        http.mount("https://", adapter)

    # --- per request: language, API client, CSRF -----------------------------------------

    def translator() -> Translator:
        if "t" not in g:
            lang = best_language(session.get("lang"),
                                 [lang for lang, _q in request.accept_languages])
            g.t = Translator(lang)
        return g.t

    i18n.init_app(app, translator)  # Flask-Babel; ngettext and format_* in templates

    def api() -> ApiClient:
        if "api" not in g:
            base = settings.gateway_url or request.host_url.rstrip("/")
            tokens = Tokens(session.get("access_token"), session.get("refresh_token"))
            # The chain as received plus our peer: the gateway decides whom to trust in it.
            chain = [request.headers.get("X-Forwarded-For", "").strip(), request.remote_addr]
            g.api = ApiClient(base, http, tokens,
                              forwarded_for=", ".join(p for p in chain if p) or None,
                              language=translator().language, timeout=settings.api_timeout)
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
                    _forget_tokens()
        return g.me

    def _forget_tokens() -> None:
        for key in ("access_token", "refresh_token", "ballots", "new_poll"):
            session.pop(key, None)

    def csrf_token() -> str:
        token = session.get("csrf")
        if not token:
            token = session["csrf"] = secrets.token_urlsafe(24)
        return token

    @app.before_request
    def _check_csrf():
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            expected = session.get("csrf", "")
            given = request.form.get("csrf_token", "")
            origin = request.headers.get("Origin")
            if origin and origin != "null" and urlsplit(origin).netloc != request.host:
                abort(403, "This form came from another site.")
            if not expected or not hmac.compare_digest(expected, given):
                abort(400, "This form has expired. Please go back, reload the page and "
                           "try again.")

    @app.after_request
    def _after(response):
        api_client = g.get("api")
        if api_client is not None and api_client.tokens.refreshed:
            session["access_token"] = api_client.tokens.access_token
            session["refresh_token"] = api_client.tokens.refresh_token
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if settings.secure_cookies:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _template_globals():
        return {
            "_": translator(),
            "lang": translator().language,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "csrf_token": csrf_token,
            "me": me,
            "method_label": lambda m: method_label(translator(), m),
            "when": when,
        }

    def render(template: str, status: int = 200, **context):
        return render_template(template, **context), status

    @app.after_request
    def _retry_after(response):
        if response.status_code == 429 and g.get("retry_after"):
            response.headers["Retry-After"] = g.retry_after
        return response

    # --- errors -----------------------------------------------------------------------------

    @app.errorhandler(ApiProblem)
    def _api_problem(problem: ApiProblem):
        if problem.status == 401:
            _forget_tokens()
            flash(translator()("Please log in again."), "info")
            return redirect(url_for("login", next=request.path))
        status = problem.status if problem.status in (403, 404, 409, 422, 429) else 502
        g.retry_after = problem.retry_after
        return render("error.html", status, title=translator()("Something stopped us"),
                      message=problem.message)

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(413)
    def _http_error(exc):
        _ = translator()
        titles = {404: _("Page not found"), 403: _("Not allowed"), 400: _("Please try again")}
        return render("error.html", exc.code, title=titles.get(exc.code, _("Something went "
                                                                           "wrong")),
                      message=exc.description)

    # --- pages ------------------------------------------------------------------------------

    @app.get("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), 301)

    @app.get("/")
    def home():
        client = api()
        open_polls = client.get("/api/v1/polls", status="open", limit=20)["polls"]
        closed = client.get("/api/v1/polls", status="closed", limit=5)["polls"]
        chapters = client.get("/api/v1/chapters", limit=5)
        targets = client.get("/api/v1/targets")
        for target in targets:
            goal = explain.number(target.get("target"))
            current = explain.number(target.get("current"))
            target["percent"] = 100 if target.get("met") else (
                min(100, round(100 * current / goal)) if goal else 0)
        return render("home.html", open_polls=open_polls, closed_polls=closed,
                      chapters=chapters, targets=targets)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        _ = translator()
        next_url = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return render("login.html", next=next_url, email="")
        email = (request.form.get("email") or "").strip()
        password = request.form.get("password") or ""
        if not email or not password:
            return render("login.html", 422, next=next_url, email=email,
                          error=_("Enter your email address and your password."))
        try:
            tokens = api().post("/api/v1/auth/login", {"email": email, "password": password})
        except ApiProblem as problem:
            if problem.status in (400, 401, 422):
                return render("login.html", 401, next=next_url, email=email,
                              error=_("That email address and password do not match."))
            if problem.status == 429:
                g.retry_after = problem.retry_after
                return render("login.html", 429, next=next_url, email=email,
                              error=problem.message)
            raise
        lang = session.get("lang")
        session.clear()  # a fresh session at login (no fixation)
        session.permanent = True
        session.update(access_token=tokens["access_token"],
                       refresh_token=tokens.get("refresh_token"),
                       csrf=secrets.token_urlsafe(24))
        if lang:
            session["lang"] = lang
        flash(_("You are logged in."), "info")
        return redirect(next_url or url_for("home"))

    @app.post("/logout")
    def logout():
        refresh = session.get("refresh_token")
        if refresh:
            try:
                api().post("/api/v1/auth/logout", {"refresh_token": refresh})
            except ApiProblem:
                pass
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(translator()("You are logged out."), "info")
        return redirect(url_for("home"))

    @app.route("/register", methods=["GET", "POST"])
    def register():
        _ = translator()
        fields = {k: (request.form.get(k) or "").strip()
                  for k in ("email", "display_name", "country", "introduction")}
        if request.method == "GET":
            return render("register.html", form=fields, errors={})
        password = request.form.get("password") or ""
        errors: dict[str, str] = {}
        if not fields["email"]:
            errors["email"] = _("Enter your email address.")
        if not fields["display_name"]:
            errors["display_name"] = _("Enter the name other members will see.")
        if not fields["country"]:
            errors["country"] = _("Enter your country (for example FR or France).")
        if len(password) < 10:
            errors["password"] = _("Choose a password of at least 10 characters.")
        if errors:
            return render("register.html", 422, form=fields, errors=errors)
        body = {"email": fields["email"], "password": password,
                "display_name": fields["display_name"], "country": fields["country"],
                "language": translator().language}
        if fields["introduction"]:
            body["introduction"] = fields["introduction"]
        try:
            api().post("/api/v1/auth/register", body)
        except ApiProblem as problem:
            if problem.status in (409, 422):
                for name, messages in problem.fields.items():
                    if name in fields or name == "password":
                        errors[name] = " ".join(map(str, messages))
                message = problem.message if problem.status == 409 else None
                return render("register.html", problem.status, form=fields, errors=errors,
                              error=message or _("Please correct the marked fields."))
            raise
        tokens = api().post("/api/v1/auth/login",
                            {"email": fields["email"], "password": password})
        session.update(access_token=tokens["access_token"],
                       refresh_token=tokens.get("refresh_token"))
        session["csrf"] = secrets.token_urlsafe(24)
        session.permanent = True
        flash(_("Welcome! Your membership is pending until another member vouches for you or "
                "an admin approves it; you can look around meanwhile."), "info")
        return redirect(url_for("home"))

    @app.post("/language")
    def language():
        chosen = request.form.get("lang")
        if chosen in LANGUAGES:
            session["lang"] = chosen
        return redirect(_safe_next(request.form.get("next")) or url_for("home"))

    # --- polls ------------------------------------------------------------------------------

    def load_poll(poll_id: str) -> dict:
        _uuid_or_404(poll_id)
        return api().get(f"/api/v1/polls/{poll_id}")

    def poll_page(poll: dict, status: int = 200, draft: dict | None = None,
                  errors: dict | None = None):
        _ = translator()
        poll_id = poll["id"]
        result_views = None
        counting = False
        if poll.get("status") == "closed":
            try:
                document = api().get(f"/api/v1/polls/{poll_id}/results")
                result_views = [explain.explain(_, q) for q in document.get("questions", [])]
                poll = {**poll, "results": document}
            except ApiProblem as problem:
                if problem.status != 409:
                    raise
                counting = True
        if draft is None:
            saved = (session.get("ballots") or {}).get(poll_id) or {}
            draft = prefill(saved.get("answers") or [])
        questions = [
            {**q, "form": ballots.form_of(q["method"]), "rules": ballots.rules(_, q),
             "draft": draft.get(str(q["id"]))}
            for q in poll.get("questions", [])
        ]
        changing = bool(poll.get("voted")) and (request.values.get("change") == "1"
                                                 or draft is not None and bool(errors))
        return render("poll.html", status, poll=poll, questions=questions,
                      errors=errors or {}, results=result_views, counting=counting,
                      changing=changing,
                      receipt_query=request.args.get("receipt", ""))

    @app.get("/polls/<poll_id>")
    def poll(poll_id):
        return poll_page(load_poll(poll_id))

    @app.post("/polls/<poll_id>/review")
    def review(poll_id):
        _ = translator()
        if not me():
            return redirect(url_for("login", next=url_for("poll", poll_id=poll_id)))
        poll = load_poll(poll_id)
        parsed = ballots.parse(_, poll.get("questions", []), request.form)
        if parsed.errors:
            return poll_page(poll, 422, draft=parsed.draft, errors=parsed.errors)
        saved = dict(session.get("ballots") or {})
        saved[poll_id] = {"answers": parsed.answers, "key": uuid.uuid4().hex}
        session["ballots"] = saved
        rows = ballots.review(_, poll.get("questions", []), parsed.answers)
        return render("review.html", poll=poll, rows=rows,
                      unanswered=sum(1 for r in rows if r["warning"]))

    @app.post("/polls/<poll_id>/cast")
    def cast(poll_id):
        _ = translator()
        _uuid_or_404(poll_id)
        saved = (session.get("ballots") or {}).get(poll_id)
        if not saved:
            flash(_("Your ballot was not found in this session; please fill it in again."),
                  "error")
            return redirect(url_for("poll", poll_id=poll_id))
        given = (request.form.get("receipt") or "").strip()
        try:
            if given:  # changing a vote cast before: the receipt proves which ballot
                path = f"/api/v1/polls/{poll_id}/ballots/{quote(given, safe='')}"
                answer = api().call("PUT", path, json={"answers": saved["answers"]})
                answer = {**(answer or {}), "receipt": (answer or {}).get("receipt") or given}
            else:
                answer = api().post(f"/api/v1/polls/{poll_id}/ballots",
                                    {"answers": saved["answers"]},
                                    headers={"Idempotency-Key": saved["key"]})
        except ApiProblem as problem:
            if problem.status == 422 or (given and problem.status in (400, 403, 404, 409)):
                flash(_("That receipt does not match your ballot in this poll; check that "
                        "you copied all of it.") if given and problem.status in (403, 404)
                      else problem.message, "error")
                return redirect(url_for("poll", poll_id=poll_id, change=1 if given else None))
            raise
        if given:
            flash(_("Your vote is changed. Your receipt stays the same."), "info")
        remaining = dict(session.get("ballots") or {})
        remaining.pop(poll_id, None)
        session["ballots"] = remaining
        session["receipt"] = {"poll_id": poll_id, "receipt": answer["receipt"]}
        return redirect(url_for("receipt", poll_id=poll_id))

    @app.get("/polls/<poll_id>/receipt")
    def receipt(poll_id):
        poll = load_poll(poll_id)
        shown = session.get("receipt") or {}
        value = shown.get("receipt") if shown.get("poll_id") == poll_id else None
        if value:
            session.pop("receipt")  # shown once: the session cookie does not keep it
        return render("receipt.html", poll=poll, receipt=value)

    @app.get("/polls/<poll_id>/check")
    def check(poll_id):
        _ = translator()
        poll = load_poll(poll_id)
        code = (request.args.get("receipt") or "").strip()
        found = None
        problem_text = None
        if code:
            try:
                found = api().get(f"/api/v1/polls/{poll_id}/ballots", receipt=code)
                found = (found.get("ballots") or [None])[0]
            except ApiProblem as problem:
                if problem.status == 404:
                    problem_text = _("No ballot with this receipt was found in this poll. "
                                     "Check that you copied all of it.")
                elif problem.status == 409:
                    problem_text = _("Ballots are published when the poll closes; check "
                                     "again then.")
                elif problem.status in (400, 422):
                    problem_text = _("That does not look like a receipt.")
                else:
                    raise
        questions = {str(q["id"]): q for q in poll.get("questions", [])}
        lines = []
        for answer in (found or {}).get("answers") or []:
            question = questions.get(str(answer.get("question_id")), {})
            lines.append((question.get("text", ""), describe_answer(_, answer)))
        return render("check.html", poll=poll, receipt=code, found=found, lines=lines,
                      problem=problem_text)

    @app.post("/polls/<poll_id>/close")
    def close(poll_id):
        _uuid_or_404(poll_id)
        api().post(f"/api/v1/polls/{poll_id}/close")
        flash(translator()("The poll is closed; results appear once counted."), "info")
        return redirect(url_for("poll", poll_id=poll_id))

    # --- admin ------------------------------------------------------------------------------

    def require_admin() -> dict:
        member = me()
        if not member:
            abort(redirect(url_for("login", next=request.path)))
        if not member.get("admin"):
            abort(403, translator()("This page is for admins."))
        return member

    def scope_choices() -> dict:
        """Chapters and currents an admin may address (polls, newsletters)."""
        client = api()
        return {"chapters": client.get("/api/v1/chapters", limit=500),
                "currents": client.get("/api/v1/currents", limit=500)}

    def scope_name(scope: dict, choices: dict) -> str:
        _ = translator()
        if scope.get("type") == "organisation":
            return _("Every active member of the organisation")
        pool = choices["chapters" if scope.get("type") == "chapter" else "currents"]
        name = next((c.get("name") for c in pool if str(c.get("id")) == scope.get("id")), "?")
        return (_("Members of the chapter {name} and its sub-chapters", name=name)
                if scope.get("type") == "chapter" else _("Members of the current {name}",
                                                         name=name))

    @app.route("/admin/polls/new", methods=["GET", "POST"])
    def new_poll():
        _ = translator()
        require_admin()
        choices = scope_choices()
        if request.method == "GET":
            draft = {**blank_poll(), **(session.get("new_poll") or {})}
            return render("admin_poll.html", draft=draft, errors={}, methods=METHODS,
                          **choices)
        draft = read_poll_form(request.form)
        if request.form.get("action") == "add":
            draft["questions"].append(blank_question())
            return render("admin_poll.html", draft=draft, errors={}, methods=METHODS,
                          **choices)
        errors = check_poll(_, draft)
        if errors:
            return render("admin_poll.html", 422, draft=draft, errors=errors, methods=METHODS,
                          **choices)
        session["new_poll"] = draft
        body = poll_body(draft)
        return render("admin_poll_review.html", draft=draft, body=body,
                      who=scope_name(body["scope"], choices))

    @app.post("/admin/polls/launch")
    def launch_poll():
        _ = translator()
        require_admin()
        draft = session.get("new_poll")
        if not draft:
            return redirect(url_for("new_poll"))
        try:
            created = api().post("/api/v1/polls", poll_body(draft))
        except ApiProblem as problem:
            if problem.status == 422:
                errors = {"_": problem.message + " " + "; ".join(
                    f"{k}: {' '.join(map(str, v))}" for k, v in problem.fields.items())}
                return render("admin_poll.html", 422, draft=draft, errors=errors,
                              methods=METHODS, **scope_choices())
            raise
        session.pop("new_poll", None)
        if created.get("status") == "scheduled":
            flash(_("Poll scheduled: it opens {when}.", when=when(created.get("opens_at"))),
                  "info")
        else:
            flash(_("Poll launched: members can vote now."), "info")
        return redirect(url_for("poll", poll_id=created["id"]))

    @app.get("/admin/members")
    def pending_members():
        require_admin()
        pending = api().get("/api/v1/members", status="pending", limit=100)
        return render("admin_members.html", pending=pending)

    @app.post("/admin/members/<member_id>/approve")
    def approve_member(member_id):
        require_admin()
        _uuid_or_404(member_id)
        api().post(f"/api/v1/members/{member_id}/approve")
        flash(translator()("Member approved."), "info")
        return redirect(url_for("pending_members"))

    @app.route("/admin/newsletters", methods=["GET", "POST"])
    def newsletters():
        _ = translator()
        require_admin()
        choices = scope_choices()
        form = {k: (request.form.get(k) or "").strip()
                for k in ("subject", "body", "scope_type", "chapter_id", "current_id")}
        form["scope_type"] = form["scope_type"] or "organisation"
        form["channels"] = request.form.getlist("channels") or ["email"]
        errors: dict[str, str] = {}
        if request.method == "POST":
            errors = check_scope(_, form)
            if not form["subject"]:
                errors["subject"] = _("Write a subject.")
            if not form["body"]:
                errors["body"] = _("Write the newsletter.")
            if not errors:
                body = {"subject": form["subject"], "body": form["body"],
                        "scope": scope_of(form),
                        "channels": [c for c in form["channels"] if c in ("email", "sms")]
                        or ["email"]}
                try:
                    sent = api().post("/api/v1/newsletters", body)
                except ApiProblem as problem:
                    if problem.status != 422:
                        raise
                    errors["_"] = problem.message
                else:
                    flash(_("Newsletter queued for {n} members; figures below update as it "
                            "is sent.", n=sent.get("recipients") or 0), "info")
                    return redirect(url_for("newsletters"))
        sent_list = api().get("/api/v1/newsletters", limit=20)
        for item in sent_list:
            item["who"] = scope_name(item.get("scope") or {"type": "organisation"}, choices)
        return render("admin_newsletters.html", 422 if errors else 200, form=form,
                      errors=errors, sent=sent_list, **choices)

    # --- recall petitions and delegates' public records -------------------------------------

    @app.route("/chapters/<chapter_id>/recalls", methods=["GET", "POST"])
    def chapter_recalls(chapter_id):
        _ = translator()
        _uuid_or_404(chapter_id)
        client = api()
        page = client.get(f"/api/v1/chapters/{chapter_id}")
        error = None
        reason = (request.form.get("reason") or "").strip()
        if request.method == "POST":
            if not me():
                return redirect(url_for("login", next=request.path))
            mandate_id = request.form.get("mandate_id") or ""
            if not reason:
                error = _("Say why the delegate should be recalled.")
            elif not mandate_id:
                error = _("Choose the delegate.")
            else:
                try:
                    opened = client.post("/api/v1/recalls",
                                         {"mandate_id": mandate_id, "reason": reason})
                except ApiProblem as problem:
                    if problem.status not in (403, 404, 409, 422):
                        raise
                    error = problem.message
                else:
                    flash(_("Your recall petition is open; you signed it first."), "info")
                    return redirect(url_for("recall", petition_id=opened["id"]))
        petitions = client.get("/api/v1/recalls", chapter_id=chapter_id, limit=100)
        delegates = client.get("/api/v1/mandates", chapter_id=chapter_id, role="delegate")
        return render("recalls.html", 422 if error else 200, chapter=page,
                      petitions=petitions, delegates=delegates, error=error, reason=reason)

    @app.get("/recalls/<petition_id>")
    def recall(petition_id):
        _uuid_or_404(petition_id)
        petition = api().get(f"/api/v1/recalls/{petition_id}")
        return render("recall.html", petition=petition,
                      progress=petition_progress(translator(), petition))

    @app.post("/recalls/<petition_id>/signature")
    def recall_signature(petition_id):
        _ = translator()
        _uuid_or_404(petition_id)
        if not me():
            return redirect(url_for("login", next=url_for("recall", petition_id=petition_id)))
        withdraw = request.form.get("action") == "withdraw"
        try:
            api().call("DELETE" if withdraw else "POST",
                       f"/api/v1/recalls/{petition_id}/signature")
        except ApiProblem as problem:
            if problem.status not in (403, 404, 409):
                raise
            flash(problem.message, "error")
        else:
            flash(_("Your signature is withdrawn.") if withdraw else
                  _("You signed the petition."), "info")
        return redirect(url_for("recall", petition_id=petition_id))

    @app.get("/members/<member_id>/record")
    def record(member_id):
        _uuid_or_404(member_id)
        client = api()
        found = client.get(f"/api/v1/members/{member_id}/record")
        votes = client.get(f"/api/v1/delegates/{member_id}/votes").get("votes") or []
        return render("record.html", record=found, votes=votes,
                      describe=lambda answers: "; ".join(
                          describe_answer(translator(), a) for a in answers
                          if isinstance(a, Mapping)),
                      status_label=lambda s: petition_status(translator(), s),
                      role_label=lambda r: role_label(translator(), r))

    # --- email verification, chapters, notification preferences -----------------------------

    @app.get("/verify")
    def verify_email():
        """Where a verification link may lead: the result in the site's own words."""
        _ = translator()
        token = (request.args.get("token") or "").strip()
        if not token:
            return render("verify.html", 400, verified=None,
                          problem=_("This link has no token. Open the link from the email "
                                    "again, or ask for a new one."))
        try:
            result = api().post("/api/v1/auth/verify", {"token": token})
        except ApiProblem as problem:
            if problem.status >= 500:
                raise
            return render("verify.html", 400 if problem.status == 422 else problem.status,
                          verified=None, problem=problem.message)
        return render("verify.html", verified=result, problem=None)

    @app.get("/chapters/<chapter_id>")
    def chapter(chapter_id):
        _uuid_or_404(chapter_id)
        client = api()
        page = client.get(f"/api/v1/chapters/{chapter_id}")
        meetings, meetings_hidden = [], True
        if me():
            try:
                meetings = client.get(f"/api/v1/chapters/{chapter_id}/meetings", limit=20)
                meetings_hidden = False
            except ApiProblem as problem:
                if problem.status not in (403, 404):
                    raise
        return render("chapter.html", chapter=page, meetings=meetings,
                      meetings_hidden=meetings_hidden,
                      criteria=chapter_criteria(translator(), page.get("status") or {}))

    @app.route("/me/notifications", methods=["GET", "POST"])
    def notification_preferences():
        _ = translator()
        if not me():
            return redirect(url_for("login", next=request.path))
        client = api()
        current = client.get("/api/v1/notifications/preferences")
        if request.method == "POST":
            categories = {}
            for category, choice in (current.get("categories") or {}).items():
                categories[category] = {
                    channel: request.form.get(f"{category}.{channel}") == "on"
                    for channel in ("email", "sms") if channel in choice}
            client.call("PUT", "/api/v1/notifications/preferences",
                        json={"categories": categories})
            flash(_("Your notification choices are saved."), "info")
            return redirect(url_for("notification_preferences"))
        return render("preferences.html", prefs=current,
                      labels=category_labels(translator()))

    return app


# --- helpers (pure) ------------------------------------------------------------------------


def when(value: str | None) -> str:
    """An ISO timestamp as people read it, in UTC, in the request's language."""
    return i18n.when(value)


def category_labels(_: Translator) -> dict[str, str]:
    return {
        "polls": _("New polls and proposals"),
        "reminders": _("Reminders before a vote closes"),
        "results": _("Results"),
        "recall": _("Recall petitions"),
        "events": _("Chapter events and meetings"),
        "newsletters": _("Newsletters"),
    }


def petition_status(_: Translator, status: str) -> str:
    return {
        "open": _("Collecting signatures"),
        "threshold_reached": _("Enough signatures: a recall vote follows"),
        "voting": _("Recall vote under way"),
        "revoked": _("Recalled: the mandate was revoked"),
        "kept": _("Kept: the recall vote did not pass"),
        "expired": _("Expired without enough signatures"),
    }.get(status, status.replace("_", " "))


def role_label(_: Translator, role: str) -> str:
    return {"delegate": _("Delegate"), "coordinator": _("Coordinator"),
            "treasurer": _("Treasurer"), "secretary": _("Secretary")}.get(role, role)


def petition_progress(_: Translator, petition: Mapping) -> dict:
    """Signatures against the threshold, in numbers and in words."""
    signatures = int(petition.get("signatures") or 0)
    threshold = max(1, int(petition.get("threshold") or 1))
    missing = max(0, threshold - signatures)
    words = (_("{s} of {t} signatures needed; {m} more to reach the threshold.", s=signatures,
               t=threshold, m=missing) if missing
             else _("{s} signatures: the threshold of {t} is reached.", s=signatures,
                    t=threshold))
    return {"signatures": signatures, "threshold": threshold, "missing": missing,
            "percent": min(100, round(100 * signatures / threshold)), "words": words,
            "status": petition_status(_, str(petition.get("status", "")))}


def check_scope(_: Translator, form: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = form.get("scope_type")
    if kind not in ("organisation", "chapter", "current"):
        errors["scope_type"] = _("Choose who it is for.")
    elif kind == "chapter" and not form.get("chapter_id"):
        errors["chapter_id"] = _("Choose the chapter.")
    elif kind == "current" and not form.get("current_id"):
        errors["current_id"] = _("Choose the current.")
    return errors


def scope_of(form: Mapping) -> dict:
    kind = form.get("scope_type") or "organisation"
    if kind == "chapter":
        return {"type": "chapter", "id": form["chapter_id"]}
    if kind == "current":
        return {"type": "current", "id": form["current_id"]}
    return {"type": "organisation"}


def chapter_criteria(_: Translator, status: dict) -> list[tuple[str, bool]]:
    """The working-chapter rules in words, each with whether the chapter meets it."""
    thresholds = status.get("thresholds") or {}
    words = {
        "min_members": lambda t: _("At least {n} members", n=t),
        "min_women_share": lambda t: _("At least {p}% women", p=round(
            float(t) * 100 if float(t) <= 1 else float(t))),
        "meeting_within_days": lambda t: _("A recorded meeting in the last {n} days", n=t),
    }
    lines = []
    for key, met in (status.get("criteria") or {}).items():
        threshold = thresholds.get(key)
        try:
            text = words[key](threshold) if key in words and threshold is not None else key
        except (TypeError, ValueError):
            text = key
        lines.append((text, bool(met)))
    return lines


def _uuid_or_404(value: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        abort(404)


def _safe_next(value: str | None) -> str | None:
    """Only paths on this site (no open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def prefill(answers: list[dict]) -> dict:
    draft: dict = {}
    for answer in answers:
        qid = answer["question_id"]
        for form in ("choice", "approve", "ranking"):
            if form in answer:
                draft[qid] = answer[form]
        if "response" in answer:
            draft[qid] = {"response": answer["response"], "reason": answer.get("reason", "")}
    return draft


def describe_answer(_: Translator, answer: Mapping) -> str:
    if answer.get("abstain"):
        return _("Abstained")
    if "choice" in answer:
        return answer["choice"] if answer["choice"] is not None else _("Abstained")
    if "approve" in answer:
        return _("Approved: {names}", names=", ".join(answer["approve"]) or _("none"))
    if "ranking" in answer:
        return " > ".join(f"{i}. {name}" for i, name in enumerate(answer["ranking"], 1))
    if "response" in answer:
        text = ballots.response_label(_, answer["response"])
        return text + (f" — {answer['reason']}" if answer.get("reason") else "")
    return ""


def blank_question() -> dict:
    return {"text": "", "method": "plurality", "options": "", "seats": ""}


def blank_poll() -> dict:
    closes = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    return {"title": "", "text": "", "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "opens_at": "", "scope_type": "organisation", "chapter_id": "", "current_id": "",
            "questions": [blank_question()]}


def read_poll_form(form) -> dict:
    count = min(int(form.get("question_count") or 1), 50)
    questions = []
    for i in range(count):
        question = {
            "text": (form.get(f"question-{i}-text") or "").strip(),
            "method": form.get(f"question-{i}-method") or "plurality",
            "options": (form.get(f"question-{i}-options") or "").strip(),
            "seats": (form.get(f"question-{i}-seats") or "").strip(),
        }
        if form.get(f"question-{i}-remove"):
            continue
        questions.append(question)
    return {
        "title": (form.get("title") or "").strip(),
        "text": (form.get("text") or "").strip(),
        "closes_at": (form.get("closes_at") or "").strip(),
        "opens_at": (form.get("opens_at") or "").strip(),
        "scope_type": form.get("scope_type") or "organisation",
        "chapter_id": (form.get("chapter_id") or "").strip(),
        "current_id": (form.get("current_id") or "").strip(),
        "questions": questions or [blank_question()],
    }


def option_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_poll(_: Translator, draft: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft["title"]:
        errors["title"] = _("Give the poll a title.")
    try:
        closes = dt.datetime.fromisoformat(draft["closes_at"]).replace(tzinfo=dt.UTC)
        if closes <= dt.datetime.now(dt.UTC):
            errors["closes_at"] = _("The closing time must be in the future.")
    except ValueError:
        errors["closes_at"] = _("Give a closing date and time.")
        closes = None
    if draft.get("opens_at"):
        try:
            opens = dt.datetime.fromisoformat(draft["opens_at"]).replace(tzinfo=dt.UTC)
            if opens <= dt.datetime.now(dt.UTC):
                errors["opens_at"] = _("The opening time must be in the future, or left "
                                       "empty to open at launch.")
            elif closes is not None and opens >= closes:
                errors["opens_at"] = _("The poll must open before it closes.")
        except ValueError:
            errors["opens_at"] = _("Give an opening date and time, or leave it empty.")
    errors.update(check_scope(_, draft))
    for i, question in enumerate(draft["questions"]):
        if not question["text"]:
            errors[f"question-{i}-text"] = _("Write the question.")
        if question["method"] not in METHODS:
            errors[f"question-{i}-method"] = _("Choose a method.")
        options = option_lines(question["options"])
        if question["method"] != "consensus":
            if len(options) < 2:
                errors[f"question-{i}-options"] = _("Give at least two options, one per line.")
            elif len(set(options)) != len(options):
                errors[f"question-{i}-options"] = _("Each option must be different.")
        if question["seats"]:
            if not question["seats"].isdigit() or int(question["seats"]) < 1:
                errors[f"question-{i}-seats"] = _("Seats must be a whole number.")
            elif len(options) and int(question["seats"]) >= len(options):
                errors[f"question-{i}-seats"] = _("There must be more options than seats.")
    return errors


def poll_body(draft: dict) -> dict:
    closes = dt.datetime.fromisoformat(draft["closes_at"]).replace(tzinfo=dt.UTC)
    questions = []
    for question in draft["questions"]:
        item: dict = {"text": question["text"], "method": question["method"]}
        if question["method"] != "consensus":
            item["options"] = option_lines(question["options"])
        if question["seats"] and question["method"] in ("stv", "approval"):
            item["seats"] = int(question["seats"])
        questions.append(item)
    body = {"title": draft["title"], "scope": scope_of(draft),
            "closes_at": closes.isoformat(), "questions": questions}
    if draft.get("opens_at"):
        opens = dt.datetime.fromisoformat(draft["opens_at"]).replace(tzinfo=dt.UTC)
        body["opens_at"] = opens.isoformat()
    if draft["text"]:
        body["text"] = draft["text"]
    return body
