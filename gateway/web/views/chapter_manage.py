"""A chapter's management page for its coordinators (and admins): members and pending
members, polls and proposals waiting to be opened, meetings, recall rules, delegates and their
elections. Every change goes through the public API, which checks the mandate again."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web import manage_forms as forms
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.listpage import list_page
from gateway.web.views.chapters import field_errors, may_manage
from gateway.web.views.upward import chapter_requests

bp = Blueprint("chapter_manage", __name__)

MEMBERS_PAGE = 50
CANDIDATES_MAX = 200


def _steward(chapter_id: str) -> dict:
    """The chapter, once the member logged in is found to coordinate it (or is an admin)."""
    uuid_or_404(chapter_id)
    member = me()
    if not member:
        abort(to_login())
    chapter = api().get(f"/api/v1/chapters/{chapter_id}", depth=0, members=0)
    if not may_manage(member, chapter):
        abort(403, translator()("Only the chapter's coordinators and admins manage it."))
    return chapter


def _or_empty(call, empty):
    try:
        return call()
    except ApiProblem as problem:
        if problem.status not in (403, 404):
            raise
        return empty


def _proposals_waiting(client, chapter_id: str) -> list[dict]:
    drafts = client.get("/api/v1/proposals", status="draft", limit=200).get("proposals") or []
    return [
        p
        for p in drafts
        if (p.get("scope") or {}).get("type") == "chapter"
        and str((p.get("scope") or {}).get("id")) == chapter_id
    ]


def _polls(client, chapter_id: str) -> dict[str, list[dict]]:
    rows = (
        client.get("/api/v1/polls", scope="chapter", scope_id=chapter_id, limit=50).get("polls")
        or []
    )
    elections = [
        poll
        for purpose in ("delegate_election", "coordinator_election")
        for poll in client.get(
            "/api/v1/polls", scope="chapter", scope_id=chapter_id, purpose=purpose, limit=20
        ).get("polls")
        or []
    ]
    election_ids = {p["id"] for p in elections}
    return {
        "polls": [p for p in rows if p["id"] not in election_ids and p.get("status") != "closed"],
        # what a quorum of 0 may cite: a closed poll of the chapter, chosen by title
        "closed_polls": [
            p for p in rows if p["id"] not in election_ids and p.get("status") == "closed"
        ],
        "elections": elections,
    }


def _page(chapter: dict, status: int = 200, errors: dict | None = None, **forms_given):
    client = api()
    chapter_id = str(chapter["id"])
    _ = translator()
    paging = list_page(MEMBERS_PAGE, "mp")
    rows = _or_empty(
        lambda: client.get(
            f"/api/v1/chapters/{chapter_id}/members", limit=paging.ask, offset=paging.offset
        ),
        [],
    )
    people, more = paging.rows(rows)
    trail = [
        (_("Home"), url_for("site.home")),
        (_("Chapters"), url_for("chapters.directory")),
        (chapter["name"], url_for("chapters.chapter", chapter_id=chapter_id)),
        (_("Manage"), None),
    ]
    return render(
        "chapter_manage.html",
        status,
        chapter=chapter,
        trail=trail,
        paging=paging,
        more_members=more,
        members=[p for p in people if p.get("status") != "pending"],
        pending=_or_empty(
            lambda: client.get("/api/v1/members/pending", chapter_id=chapter_id, limit=50), []
        ),
        proposals=_proposals_waiting(client, chapter_id),
        **_polls(client, chapter_id),
        meetings=_or_empty(
            lambda: client.get(f"/api/v1/chapters/{chapter_id}/meetings", limit=20), []
        ),
        recall=_or_empty(
            lambda: client.get(f"/api/v1/chapters/{chapter_id}/recall-settings"), None
        ),
        delegates=client.get("/api/v1/mandates", chapter_id=chapter_id, role="delegate", limit=50),
        coordinators=client.get(
            "/api/v1/mandates", chapter_id=chapter_id, role="coordinator", limit=50
        ),
        candidates=candidates(client, chapter_id),
        upward=chapter_requests(client, chapter_id),  # issue 18
        may_ask=bool(chapter.get("ancestors")),
        errors=errors or {},
        meeting=forms_given.get("meeting") or forms.read_meeting({}),
        election=forms_given.get("election") or forms.read_election(request.args),
        recall_form=forms_given.get("recall_form"),
        today=dt.date.today().isoformat(),
    )


def candidates(client, chapter_id: str) -> list[dict]:
    """Active members of the chapter who may stand in its elections."""
    rows = _or_empty(
        lambda: client.get(f"/api/v1/chapters/{chapter_id}/members", limit=CANDIDATES_MAX), []
    )
    return [r for r in rows if r.get("status") == "active"]


def _back(chapter_id: str, anchor: str):
    return redirect(url_for("chapter_manage.manage", chapter_id=chapter_id) + "#" + anchor)


@bp.get("/chapters/<chapter_id>/manage")
def manage(chapter_id):
    return _page(_steward(chapter_id))


@bp.post("/chapters/<chapter_id>/manage/meetings")
def record_meeting(chapter_id):
    _ = translator()
    chapter = _steward(chapter_id)
    meeting = forms.read_meeting(request.form)
    errors = forms.check_meeting(_, meeting, dt.date.today())
    if not errors:
        try:
            api().post(f"/api/v1/chapters/{chapter_id}/meetings", forms.meeting_body(meeting))
        except ApiProblem as problem:
            if problem.status not in (403, 422):
                raise
            errors = field_errors(problem) or {"held_on": problem.message}
    if errors:
        return _page(chapter, 422, errors, meeting=meeting)
    flash(_("Meeting recorded."), "info")
    return _back(chapter_id, "meetings-h")


def _meeting_page(chapter: dict, meeting_id: str, form: dict, status=200, errors=None):
    _ = translator()
    chapter_id = str(chapter["id"])
    trail = [
        (_("Home"), url_for("site.home")),
        (_("Chapters"), url_for("chapters.directory")),
        (chapter["name"], url_for("chapters.chapter", chapter_id=chapter_id)),
        (_("Manage"), url_for("chapter_manage.manage", chapter_id=chapter_id)),
        (_("Meeting"), None),
    ]
    return render(
        "meeting_edit.html",
        status,
        chapter=chapter,
        trail=trail,
        meeting_id=meeting_id,
        meeting=form,
        errors=errors or {},
        candidates=candidates(api(), chapter_id),
        today=dt.date.today().isoformat(),
    )


@bp.route("/chapters/<chapter_id>/manage/meetings/<meeting_id>", methods=["GET", "POST"])
def edit_meeting(chapter_id, meeting_id):
    """Correct a recorded meeting (the form is filled with what was recorded)."""
    _ = translator()
    chapter = _steward(chapter_id)
    uuid_or_404(meeting_id)
    path = f"/api/v1/chapters/{chapter_id}/meetings/{meeting_id}"
    if request.method == "GET":
        return _meeting_page(chapter, meeting_id, forms.meeting_form(api().get(path)))
    meeting = forms.read_meeting(request.form)
    errors = forms.check_meeting(_, meeting, dt.date.today())
    if not errors:
        try:
            api().call("PATCH", path, json=forms.meeting_body(meeting))
        except ApiProblem as problem:
            if problem.status not in (403, 404, 422):
                raise
            errors = field_errors(problem) or {"held_on": problem.message}
    if errors:
        return _meeting_page(chapter, meeting_id, meeting, 422, errors)
    flash(_("Meeting corrected."), "info")
    return _back(chapter_id, "meetings-h")


@bp.post("/chapters/<chapter_id>/manage/meetings/<meeting_id>/delete")
def delete_meeting(chapter_id, meeting_id):
    """Delete a meeting recorded by mistake, once the box saying so is ticked."""
    _ = translator()
    _steward(chapter_id)
    uuid_or_404(meeting_id)
    path = f"/api/v1/chapters/{chapter_id}/meetings/{meeting_id}"
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm deleting the meeting."), "error")
        return redirect(
            url_for("chapter_manage.edit_meeting", chapter_id=chapter_id, meeting_id=meeting_id)
        )
    try:
        api().call("DELETE", path)
    except ApiProblem as problem:
        if problem.status not in (403, 404):
            raise
        flash(problem.message, "error")
    else:
        flash(_("Meeting deleted."), "info")
    return _back(chapter_id, "meetings-h")


@bp.post("/chapters/<chapter_id>/manage/election")
def launch_election(chapter_id):
    chapter = _steward(chapter_id)
    election = forms.read_election(request.form)
    launched, errors = launch_chapter_election(chapter_id, election)
    return launched or _page(chapter, 422, errors, election=election)


def launch_chapter_election(chapter_id: str, election: dict):
    """Check the election form and launch it among the chapter's active members: (a redirect
    to the new poll; {}) or (None, the form's errors). Its coordinators' page and its members'
    own election page (issue 18) both launch through here."""
    _ = translator()
    errors = forms.check_election(_, election, dt.datetime.now(dt.UTC))
    if errors:
        return None, errors
    return post_election(
        forms.ELECTION_PATHS[election["role"]],
        forms.election_body(chapter_id, election),
        _("Coordinator election launched.")
        if election["role"] == "coordinator"
        else _("Delegate election launched."),
    )


def post_election(path: str, body: dict, launched: str):
    """(a redirect to the new poll, saying `launched`; {}), or (None, the API's refusal as the
    form's errors, its message under "_")."""
    try:
        poll = api().post(path, body)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return None, {**field_errors(problem), "_": problem.message}
    flash(launched, "info")
    return redirect(url_for("polls.poll", poll_id=poll["id"])), {}


@bp.post("/chapters/<chapter_id>/manage/recall")
def recall_settings(chapter_id):
    _ = translator()
    chapter = _steward(chapter_id)
    given = forms.read_recall(request.form)
    body, errors = forms.recall_body(_, given)
    if not errors:
        try:
            api().call("PUT", f"/api/v1/chapters/{chapter_id}/recall-settings", json=body)
        except ApiProblem as problem:
            if problem.status not in (403, 422):
                raise
            errors = field_errors(problem) or {"threshold_percent": problem.message}
    if errors:
        return _page(chapter, 422, {f"recall-{k}": v for k, v in errors.items()}, recall_form=given)
    flash(_("Recall rules saved."), "info")
    return _back(chapter_id, "recall-h")


@bp.post("/chapters/<chapter_id>/manage/members/<member_id>/<action>")
def decide_member(chapter_id, member_id, action):
    """Vouch for a pending member (any coordinator), or approve them (admins only)."""
    _ = translator()
    _steward(chapter_id)
    uuid_or_404(member_id)
    if action not in ("vouch", "approve"):
        abort(404)
    try:
        api().post(f"/api/v1/members/{member_id}/{action}", {} if action == "vouch" else None)
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        flash(problem.message, "error")
    else:
        flash(
            _("Member approved.") if action == "approve" else _("Thank you for vouching."), "info"
        )
    return _back(chapter_id, "pending-h")
