"""The home page, the favicon and the language choice."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for

from gateway.client import ApiProblem
from gateway.web import results as explain
from gateway.web.context import api, me, render, safe_next
from gateway.web.i18n import LANGUAGES
from gateway.web.mandates import admin_election_call

bp = Blueprint("site", __name__)


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/")
def home():
    client = api()
    open_polls = client.get("/api/v1/polls", status="open", limit=20)["polls"]
    closed = client.get("/api/v1/polls", status="closed", limit=5)["polls"]
    chapters = client.get("/api/v1/chapters", limit=5)
    targets = client.get("/api/v1/targets")
    for target in targets:
        goal = explain.number(target.get("target"))
        current = explain.number(target.get("current"))
        target["percent"] = (
            100 if target.get("met") else (min(100, round(100 * current / goal)) if goal else 0)
        )
    return render(
        "home.html",
        open_polls=open_polls,
        closed_polls=closed,
        chapters=chapters,
        targets=targets,
        admin_call=admin_election_call(client, me()),  # issue 18
    )


@bp.post("/language")
def language():
    chosen = request.form.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        if session.get("access_token"):  # a member's language is kept in their profile
            try:
                api().call("PATCH", "/api/v1/members/me", json={"language": chosen})
            except ApiProblem:
                pass
    return redirect(safe_next(request.form.get("next")) or url_for("site.home"))
