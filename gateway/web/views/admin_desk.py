"""The admin's desk: what needs attention (/admin), the member directory (/admin/members) and
one member's page (/admin/members/<id>): approve, refuse with a reason, suspend, restore."""

from __future__ import annotations

import datetime as dt
import uuid

from babel import Locale
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import get_locale

from gateway.client import ApiProblem
from gateway.web.context import api, render, require_admin, translator, uuid_or_404
from gateway.web.mandates import audit_action, mandate_context
from gateway.web.numbers import page_number

bp = Blueprint("admin_desk", __name__, url_prefix="/admin")

STATUSES = ("pending", "active", "rejected", "deleted")
REASON_MAX = 1000
PAGE = 50
CHAPTER_CHOICES = 10  # chapters offered when several match the name typed


def _or_none(call):
    """An API figure, or None when that service does not answer (the page still shows)."""
    try:
        return call()
    except ApiProblem:
        return None


def _closing_soon(polls: list[dict], hours: int = 48) -> list[dict]:
    limit = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    soon = [
        p
        for p in polls
        if dt.datetime.fromisoformat(p["closes_at"].replace("Z", "+00:00")) <= limit
    ]
    return sorted(soon, key=lambda p: p["closes_at"])


def _failed(stats: dict | None) -> int | None:
    if not stats:
        return None
    totals = stats.get("totals") or {}
    return sum(v for k, v in totals.items() if k in ("failed", "bounced", "dead"))


PARKED_SERVICES = ("members", "polls", "notify")
PARKED_SHOWN = 5


def _parked(client) -> dict | None:
    """Every service's parked events merged: how many, the latest few (what and why), and the
    services that did not answer; None when none did."""
    answers = {
        service: _or_none(
            lambda s=service: client.get(f"/api/v1/parked-events/{s}", limit=PARKED_SHOWN)
        )
        for service in PARKED_SERVICES
    }
    known = [a for a in answers.values() if a is not None]
    if not known:
        return None
    events = [{**e, "service": a["service"]} for a in known for e in a.get("events") or []]
    events.sort(key=lambda e: e.get("occurred_at") or "", reverse=True)
    return {
        "count": sum(a.get("count") or 0 for a in known),
        "events": events[:PARKED_SHOWN],
        "silent": [s for s, a in answers.items() if a is None],
    }


@bp.get("")
def home():
    require_admin()
    client = api()
    pending = _or_none(lambda: client.get("/api/v1/members", status="pending", limit=200))
    open_polls = _or_none(lambda: client.get("/api/v1/polls", status="open", limit=200))
    scheduled = _or_none(lambda: client.get("/api/v1/polls", status="scheduled", limit=200))
    proposals = _or_none(lambda: client.get("/api/v1/proposals", status="draft", limit=200))
    petitions = _or_none(lambda: client.get("/api/v1/recalls", status="open", limit=200))
    stats = _or_none(lambda: client.get("/api/v1/notifications/stats"))
    admins = _or_none(lambda: client.get("/api/v1/mandates", role="admin", limit=100))
    return render(
        "admin_home.html",
        pending=pending,
        closing=_closing_soon(open_polls["polls"]) if open_polls else None,
        open_count=len(open_polls["polls"]) if open_polls else None,
        scheduled=scheduled["polls"] if scheduled else None,
        proposals=(proposals or {}).get("proposals") if isinstance(proposals, dict) else proposals,
        petitions=petitions,
        failed=_failed(stats),
        stats=stats,
        admins=admins,
        parked=_parked(client),
    )


@bp.post("/parked/<service>/<event_id>/<action>")
def settle_parked(service: str, event_id: str, action: str):
    """Replay a parked event (handled once more, as a first attempt) or discard it."""
    _ = translator()
    require_admin()
    if service not in PARKED_SERVICES or action not in ("replay", "discard"):
        abort(404)
    uuid_or_404(event_id)
    try:
        api().post(f"/api/v1/parked-events/{service}/{event_id}/{action}")
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        flash(_("That event is no longer parked."), "error")
        return redirect(url_for("admin_desk.home"))
    if action == "replay":
        flash(_("Event replayed: it is handled again now."), "info")
    else:
        flash(_("Event discarded."), "info")
    return redirect(url_for("admin_desk.home"))


def country_names() -> list[tuple[str, str]]:
    """(code, name) of every country, in the page's language, by name."""
    territories = Locale.parse(str(get_locale() or "en")).territories
    return sorted(
        (
            (code, name)
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "UN")
        ),
        key=lambda pair: pair[1],
    )


def _filters() -> dict:
    args = request.args
    status = args.get("status", "")
    return {
        "q": (args.get("q") or "").strip()[:100],
        "status": status if status in STATUSES else "",
        "chapter_id": args.get("chapter_id") or "",
        "chapter": (args.get("chapter") or "").strip()[:100],
        "country": (args.get("country") or "").upper()[:2],
        "suspended": args.get("suspended") == "1",
        "page": page_number(args.get("page")),
    }


def _chapter_filter(client, filters: dict) -> tuple[list[dict], bool, str]:
    """The chapter to filter by, from its id (links) or a part of its name (the form), asked
    of the API one chapter or one page of matches at a time, never the whole federation.
    Sets `filters["chapter_id"]` and `["chapter"]`; returns (chapters to choose from when
    several match, whether more match than shown, an error)."""
    _ = translator()
    if filters["chapter_id"]:
        try:
            chosen = client.get(
                f"/api/v1/chapters/{uuid.UUID(filters['chapter_id'])}", depth=0, members=0
            )
        except (ValueError, ApiProblem) as problem:
            if isinstance(problem, ApiProblem) and problem.status != 404:
                raise
            filters["chapter_id"] = ""
            return [], False, _("There is no such chapter.")
        filters["chapter"] = chosen["name"]
        return [], False, ""
    if not filters["chapter"]:
        return [], False, ""
    found = client.get(
        "/api/v1/chapters", q=filters["chapter"], sort="name", limit=CHAPTER_CHOICES + 1
    )
    exact = [c for c in found if c["name"].casefold() == filters["chapter"].casefold()]
    if len(exact) == 1 or len(found) == 1:
        chosen = (exact or found)[0]
        filters["chapter_id"], filters["chapter"] = chosen["id"], chosen["name"]
        return [], False, ""
    if not found:
        return [], False, _("No chapter has a name like this.")
    return found[:CHAPTER_CHOICES], len(found) > CHAPTER_CHOICES, ""


@bp.get("/members")
def pending_members():
    """The member directory (the endpoint keeps its old name: pages link to it)."""
    require_admin()
    filters = _filters()
    client = api()
    choices, more_choices, chapter_error = _chapter_filter(client, filters)
    query = {
        "q": filters["q"] or None,
        "status": filters["status"] or None,
        "chapter_id": filters["chapter_id"] or None,
        "country": filters["country"] or None,
        "suspended": "true" if filters["suspended"] else None,
        "limit": PAGE + 1,
        "offset": (filters["page"] - 1) * PAGE,
    }
    errors = {"chapter": chapter_error} if chapter_error else {}
    found: list[dict] = []
    try:
        if not (errors or choices):  # a chapter is to be chosen first
            found = client.get("/api/v1/members", **query)
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        errors = {k: " ".join(map(str, v)) for k, v in problem.fields.items()}
    names = dict(country_names())
    return render(
        "admin_directory.html",
        422 if errors else 200,
        members=found[:PAGE],
        more=len(found) > PAGE,
        filters=filters,
        chapter_choices=choices,
        more_choices=more_choices,
        countries=list(names.items()),
        country_name=names,
        errors=errors,
        statuses=STATUSES,
    )


def member_page(member_id: str, status: int = 200, errors: dict | None = None, **extra):
    client = api()
    member = client.get(f"/api/v1/members/{member_id}")
    found = client.get(
        "/api/v1/members", q=member.get("email") or member.get("display_name"), limit=5
    )
    detail: dict = next((m for m in found if m["id"] == member_id), {})
    vouches = _or_none(lambda: client.get(f"/api/v1/members/{member_id}/vouches"))
    names = dict(country_names())
    extra.setdefault("mandate", {})
    return render(
        "admin_member.html",
        status,
        person={**member, **detail},
        vouches=vouches,
        errors=errors or {},
        reason_max=REASON_MAX,
        country_name=names,
        audit_action=lambda action: audit_action(translator(), action),
        **mandate_context(client, member_id),
        **extra,
    )


@bp.get("/members/<member_id>")
def member(member_id):
    require_admin()
    uuid_or_404(member_id)
    return member_page(member_id)


def _back(member_id: str):
    target = request.form.get("back")
    if target == "directory":
        return redirect(url_for("admin_desk.pending_members", status="pending"))
    return redirect(url_for("admin_desk.member", member_id=member_id))


@bp.post("/members/<member_id>/approve")
def approve_member(member_id):
    require_admin()
    uuid_or_404(member_id)
    api().post(f"/api/v1/members/{member_id}/approve")
    flash(translator()("Member approved."), "info")
    return _back(member_id)


@bp.post("/members/<member_id>/reject")
def reject_member(member_id):
    _ = translator()
    require_admin()
    uuid_or_404(member_id)
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return member_page(
            member_id,
            422,
            {"reason": _("Write the reason: the member reads it when they log in.")},
            reason=reason,
        )
    try:
        api().post(f"/api/v1/members/{member_id}/reject", {"reason": reason})
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        return member_page(member_id, problem.status, {"reason": problem.message}, reason=reason)
    flash(_("Request refused; the member reads your reason when they log in."), "info")
    return redirect(url_for("admin_desk.member", member_id=member_id))


@bp.post("/members/<member_id>/suspend")
def suspend_member(member_id):
    _ = translator()
    require_admin()
    uuid_or_404(member_id)
    reason = (request.form.get("suspend_reason") or "").strip() or None
    try:
        api().post(f"/api/v1/members/{member_id}/suspend", {"reason": reason})
    except ApiProblem as problem:
        if problem.status not in (409, 422):
            raise
        return member_page(member_id, problem.status, {"suspend_reason": problem.message})
    flash(_("Account suspended: the member is logged out and cannot log in."), "info")
    return redirect(url_for("admin_desk.member", member_id=member_id))


@bp.post("/members/<member_id>/restore")
def restore_member(member_id):
    _ = translator()
    require_admin()
    uuid_or_404(member_id)
    try:
        api().post(f"/api/v1/members/{member_id}/restore")
    except ApiProblem as problem:
        if problem.status != 409:
            raise
        flash(problem.message, "error")
    else:
        flash(_("Suspension lifted: the member may log in again."), "info")
    return redirect(url_for("admin_desk.member", member_id=member_id))
