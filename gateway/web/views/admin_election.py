"""The organisation elects its admins (issue 18): /admin/election launches the election (the
members, or the delegates of the national level, vote, as `ADMIN_ELECTORATE` says); the admin's
desk shows the interim admin's end date and links here. Candidates are active members, found
by name."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, request, url_for

from gateway.client import ApiProblem
from gateway.web import manage_forms as forms
from gateway.web.context import api, render, require_admin, translator
from gateway.web.views.chapter_manage import post_election

bp = Blueprint("admin_election", __name__, url_prefix="/admin")

FOUND_MAX = 50


def _people(ids: list[str], q: str) -> list[dict]:
    """The members already chosen, then active members whose name matches `q`."""
    client = api()
    chosen = []
    for member_id in ids[:100]:
        try:
            chosen.append(client.get(f"/api/v1/members/{member_id}"))
        except ApiProblem as problem:
            if problem.status not in (404, 422):
                raise
    found = client.get("/api/v1/members", status="active", q=q, limit=FOUND_MAX) if q else []
    known = {str(p["id"]) for p in chosen}
    return chosen + [p for p in found if str(p["id"]) not in known]


def _page(election: dict, q: str, status: int = 200, errors: dict | None = None):
    _ = translator()
    trail: list[tuple[str, str | None]] = [
        (_("Home"), url_for("site.home")),
        (_("Admin"), url_for("admin_desk.home")),
        (_("Admin election"), None),
    ]
    return render(
        "admin_election.html",
        status,
        trail=trail,
        election=election,
        q=q,
        people=_people(election["candidates"], q),
        errors=errors or {},
    )


@bp.get("/election")
def election_form():
    require_admin()
    election = forms.read_election(request.args)
    election["title"] = election["title"] or translator()("Election of the admins")
    return _page(election, (request.args.get("q") or "").strip())


@bp.post("/election")
def launch():
    _ = translator()
    require_admin()
    election = forms.read_election(request.form)
    errors = forms.check_election(_, election, dt.datetime.now(dt.UTC))
    if not errors:
        names = {str(p["id"]): p["display_name"] for p in _people(election["candidates"], "")}
        body = forms.election_body("", election, names)
        body.pop("chapter_id")
        launched, errors = post_election(
            "/api/v1/polls/admin-elections", body, _("Admin election launched.")
        )
        if launched:
            return launched
    return _page(election, "", 422, errors)
