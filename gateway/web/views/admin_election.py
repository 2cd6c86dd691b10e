"""The organisation elects its admins (issue 18): the members, or the delegates of the
national level, vote, as `ADMIN_ELECTORATE` says. Admins launch the election from their desk
(/admin/election); while the organisation has no elected admin (none, or only interim ones,
the bootstrapped admin's included), any active member may, from /elections/admin (its routes
in elections.py), linked from /delegates and the home page. One page for both
(election.html): the election under way if there is one, else the form. Candidates are
active members found by name: admins search every member; a member searches the members of
the top chapters, names only (what any active member may read of a chapter's members, never
an address)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, request, url_for

from gateway.client import ApiProblem
from gateway.web import manage_forms as forms
from gateway.web.context import api, me, render, require_admin, to_login, translator
from gateway.web.mandates import has_elected_admin, pending_election
from gateway.web.views.chapter_manage import post_election

bp = Blueprint("admin_election", __name__)

FOUND_MAX = 50
TOPS_MAX = 20


def _found(client, q: str, admin: bool) -> list[dict]:
    """Active members whose name holds `q`: any member for an admin, for a member those of
    the top chapters (every member of a chapter belongs to one)."""
    if admin:
        return client.get("/api/v1/members", status="active", q=q, limit=FOUND_MAX)
    found: dict[str, dict] = {}
    for top in client.get("/api/v1/chapters", root="true", limit=TOPS_MAX):
        rows = client.get(f"/api/v1/chapters/{top['id']}/members", q=q, limit=FOUND_MAX)
        found.update({str(r["id"]): r for r in rows if r.get("status") == "active"})
    return sorted(found.values(), key=lambda r: r["display_name"].casefold())[:FOUND_MAX]


def _people(ids: list[str], q: str, admin: bool) -> list[dict]:
    """The members already chosen, then active members whose name matches `q`."""
    client = api()
    chosen = []
    for member_id in ids[:100]:
        try:
            chosen.append(client.get(f"/api/v1/members/{member_id}"))
        except ApiProblem as problem:
            if problem.status not in (404, 422):
                raise
    found = _found(client, q, admin) if q else []
    known = {str(p["id"]) for p in chosen}
    return chosen + [p for p in found if str(p["id"]) not in known]


def _page(election: dict, q: str, status: int = 200, errors: dict | None = None):
    _ = translator()
    on_desk = request.path.startswith("/admin")
    form, action = (
        ("admin_election.election_form", "admin_election.launch")
        if on_desk
        else ("elections.admin_election", "elections.launch_admin_election")
    )
    pending = pending_election(api(), "admin_election")
    return render(
        "election.html",
        status,
        trail=[
            (_("Home"), url_for("site.home")),
            (_("Admin"), url_for("admin_desk.home"))
            if on_desk
            else (_("Delegates"), url_for("people.delegates")),
            (_("Admin election"), None),
        ],
        heading=_("Admin election"),
        intro=_(
            "The members elect the organisation's admins for a term, and can recall them. The "
            "elected admins replace the present ones, the interim admin included, when the "
            "election closes."
        ),
        pending=pending,
        search=url_for(form),
        action=url_for(action),
        election=election,
        q=q,
        people=[]
        if pending
        else _people(election["candidates"], q, bool((me() or {}).get("admin"))),
        none_text=_("Find members by name above to choose the candidates."),
        errors=errors or {},
    )


def members_may_launch() -> None:
    """Admins, or any active member while no admin the members elected holds the mandate."""
    member = me()
    if not member:
        abort(to_login())
    if member.get("admin"):
        return
    if member.get("status") == "active" and not has_elected_admin(api()):
        return
    abort(
        403,
        translator()(
            "Admins launch the admin election; any member may launch it while the "
            "organisation has no elected admin."
        ),
    )


def show_form():
    election = forms.read_election(request.args)
    election["title"] = election["title"] or translator()("Election of the admins")
    return _page(election, (request.args.get("q") or "").strip()[:100])


def launch_form():
    _ = translator()
    election = forms.read_election(request.form)
    errors = forms.check_election(_, election, dt.datetime.now(dt.UTC))
    if not errors:
        body = forms.election_body("", election)
        body.pop("chapter_id")
        launched, errors = post_election(
            "/api/v1/polls/admin-elections", body, _("Admin election launched.")
        )
        if launched:
            return launched
    return _page(election, "", 422, errors)


@bp.get("/admin/election")
def election_form():
    require_admin()
    return show_form()


@bp.post("/admin/election")
def launch():
    require_admin()
    return launch_form()
