"""Pending members, for active members to welcome: their introductions and a vouch button
(within the vouching rules: the limits are said in words)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, to_login, translator
from gateway.web.countries import country_name
from gateway.web.listpage import list_page
from gateway.web.numbers import whole_number

bp = Blueprint("vouching", __name__)
PAGE = 20


def vouch_problem(_, problem: ApiProblem) -> str:
    """What a refused vouch means, in the member's words."""
    return {
        "vouch_limit_reached": _(
            "You have vouched for as many new members as one member may "
            "in this period. Thank you! Others can vouch meanwhile."
        ),
        "vouching_disabled": _("Here new members are approved by an admin; members do not vouch."),
        "not_active": _("You can vouch once your own membership is active."),
        "forbidden": _("You cannot vouch for yourself."),
        "not_found": _("This member is not pending any more."),
    }.get(problem.code, problem.message)


@bp.get("/members/pending")
def pending():
    """Pending members in the reader's chapters (or everyone's, when asked or when the reader
    is in no chapter), a page of the API's list at a time."""
    _ = translator()
    member = me()
    if not member:
        return to_login()
    if member.get("status") != "active":
        return render(
            "pending.html",
            403,
            people=[],
            error=_("You can see and vouch for new members once your own membership is active."),
        )
    in_chapters = bool(member.get("chapters"))
    everyone = request.args.get("everyone") == "1" or not in_chapters
    paging = list_page(PAGE)
    query: dict[str, Any] = {"limit": paging.ask, "offset": paging.offset}
    if not everyone:
        query["mine"] = "true"
    people, more = paging.rows(api().get("/api/v1/members/pending", **query) or [])
    for person in people:
        person["country_name"] = country_name(person.get("country"), _.language)
    return render(
        "pending.html",
        people=people,
        paging=paging,
        more=more,
        error=None,
        everyone=everyone,
        in_chapters=in_chapters,
        vouching=member.get("vouching_enabled", True),
    )


@bp.post("/members/pending/<uuid:member_id>/vouch")
def vouch(member_id):
    _ = translator()
    if not me():
        return to_login()
    note = (request.form.get("note") or "").strip()
    name = (request.form.get("name") or "").strip()[:80]
    try:
        result = api().post(f"/api/v1/members/{member_id}/vouch", {"note": note} if note else {})
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 401:
            raise
        if problem.status == 422:
            abort(400, problem.message)
        flash(vouch_problem(_, problem), "error")
        return redirect(_back())
    if result.get("status") == "active":
        flash(
            _(
                "Thank you: you vouched for {name}, who is now an active member.",
                name=name or _("this member"),
            ),
            "info",
        )
    else:
        flash(
            _(
                "Thank you: you vouched for {name} ({count} of {required} vouches).",
                name=name or _("this member"),
                count=result.get("vouches", 0),
                required=result.get("vouches_required", 1),
            ),
            "info",
        )
    return redirect(_back())


def _back() -> str:
    """The page of the list the vouch was made from."""
    keep: dict[str, Any] = {
        k: v for k in ("page", "everyone") if whole_number(v := request.form.get(k, "")) is not None
    }
    return url_for("vouching.pending", **keep)
