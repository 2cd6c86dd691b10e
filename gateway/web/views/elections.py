"""The members launch their own elections (issue 18): while a chapter has no elected
coordinator (none, or only interim ones), any active member of it may launch its coordinator
election at /chapters/<id>/coordinator-election, candidates among the chapter's members; the
chapter's page calls them to it. One election of the kind at a time: while one is scheduled or
open, the page shows it instead of the form. Likewise /elections/admin, the members' way to
the admin election while no admin is elected (its page is admin_election.py's). Both render
election.html with the form of _election.html."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for

from gateway.web import manage_forms as forms
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.mandates import members_elect_coordinator, pending_election
from gateway.web.views import admin_election as admin
from gateway.web.views.chapter_manage import candidates, launch_chapter_election
from gateway.web.views.chapters import may_manage, membership_of

bp = Blueprint("elections", __name__)


def _chapter_for_election(chapter_id: str) -> dict:
    """The chapter, once the member logged in is found to be one who may launch its
    coordinator election (a member while none is elected; its coordinators and admins)."""
    uuid_or_404(chapter_id)
    member = me()
    if not member:
        abort(to_login())
    chapter = api().get(f"/api/v1/chapters/{chapter_id}", depth=0, members=0)
    ours = members_elect_coordinator(member, chapter, membership_of(member, chapter_id))
    if not (ours or may_manage(member, chapter)):
        abort(
            403,
            translator()(
                "The members of a chapter launch its coordinator election while it has no "
                "elected coordinator; its coordinators launch the next one."
            ),
        )
    return chapter


def _page(chapter: dict, election: dict, status: int = 200, errors: dict | None = None):
    _ = translator()
    client = api()
    chapter_id = str(chapter["id"])
    pending = pending_election(client, "coordinator_election", chapter_id)
    return render(
        "election.html",
        status,
        trail=[
            (_("Home"), url_for("site.home")),
            (_("Chapters"), url_for("chapters.directory")),
            (chapter["name"], url_for("chapters.chapter", chapter_id=chapter_id)),
            (_("Coordinator election"), None),
        ],
        heading=_("Coordinator election of {chapter}", chapter=chapter["name"]),
        intro=_(
            "The members of the chapter elect its coordinators for a term, and can recall "
            "them. The elected coordinators replace the present ones, the interim ones "
            "included, when the election closes. Candidates are members of the chapter."
        ),
        pending=pending,
        action=url_for("elections.coordinator_election", chapter_id=chapter_id),
        election=election,
        people=[] if pending else candidates(client, chapter_id),
        none_text=_("The chapter has no active member to stand."),
        errors=errors or {},
    )


@bp.get("/chapters/<chapter_id>/coordinator-election")
def coordinator_election(chapter_id):
    chapter = _chapter_for_election(chapter_id)
    election = forms.read_election(request.args)
    election["title"] = election["title"] or translator()(
        "Election of the coordinators of {chapter}", chapter=chapter["name"]
    )
    return _page(chapter, election)


@bp.post("/chapters/<chapter_id>/coordinator-election")
def launch_coordinator_election(chapter_id):
    chapter = _chapter_for_election(chapter_id)
    election = {**forms.read_election(request.form), "role": "coordinator"}
    launched, errors = launch_chapter_election(chapter_id, election)
    return launched or _page(chapter, election, 422, errors)


@bp.get("/elections/admin")
def admin_election():
    admin.members_may_launch()
    return admin.show_form()


@bp.post("/elections/admin")
def launch_admin_election():
    admin.members_may_launch()
    return admin.launch_form()
