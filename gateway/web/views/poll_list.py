"""`/polls`: every poll a member may look at — open, upcoming, closed — found by words of its
title, by chapter, current, method and status, a page at a time (never every row)."""

from __future__ import annotations

import uuid

from flask import Blueprint, request

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, translator

bp = Blueprint("poll_list", __name__)

PAGE = 20
MAX_PAGE = 500
STATUSES = ("open", "scheduled", "closed")


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def read_filters(_, args, methods) -> tuple[dict, dict]:
    """The filters asked for in the query string, and an error per field that is wrong."""
    errors: dict = {}
    chosen = {
        "q": (args.get("q") or "").strip(),
        "status": args.get("status") or "",
        "method": args.get("method") or "",
        "chapter": (args.get("chapter") or "").strip(),
        "current": (args.get("current") or "").strip(),
    }
    if len(chosen["q"]) > 300:
        errors["q"] = _("Search with at most {n} characters.", n=300)
    if chosen["status"] and chosen["status"] not in STATUSES:
        errors["status"] = _("Choose a status from the list.")
    if chosen["method"] and chosen["method"] not in methods:
        errors["method"] = _("Choose a method from the list.")
    for key in ("chapter", "current"):
        if chosen[key] and not _uuid(chosen[key]):
            errors[key] = _("Choose from the list.")
    if chosen["chapter"] and chosen["current"]:
        errors["current"] = _("Choose a chapter or a current, not both.")
    try:
        page = int(args.get("page") or 1)
    except ValueError:
        page = 1
    chosen["page"] = min(max(page, 1), MAX_PAGE)
    return chosen, errors


def _api_query(chosen: dict) -> dict:
    query = {
        "limit": PAGE + 1,
        "offset": (chosen["page"] - 1) * PAGE,
        "q": chosen["q"] or None,
        "status": chosen["status"] or None,
        "method": chosen["method"] or None,
    }
    if chosen["chapter"]:
        query.update(scope="chapter", scope_id=chosen["chapter"])
    elif chosen["current"]:
        query.update(scope="current", scope_id=chosen["current"])
    return query


def _choices(member: dict | None, chosen: dict) -> dict:
    """Chapters (the member's own, and the one asked for) and currents to filter by."""
    chapters = [
        {"id": str(c.get("id")), "name": c.get("name")}
        for c in (member or {}).get("chapters") or []
    ]
    if chosen["chapter"] and chosen["chapter"] not in {c["id"] for c in chapters}:
        try:
            found = api().get(f"/api/v1/chapters/{chosen['chapter']}", depth=0, members=0)
            chapters.append({"id": chosen["chapter"], "name": found.get("name")})
        except ApiProblem as problem:
            if problem.status not in (400, 404, 422):
                raise
    try:
        currents = api().get("/api/v1/currents", limit=200)
    except ApiProblem as problem:
        if problem.status not in (400, 404):
            raise
        currents = []
    items = currents.get("currents", []) if isinstance(currents, dict) else currents
    return {
        "chapters": chapters,
        "currents": [{"id": str(c.get("id")), "name": c.get("name")} for c in items],
    }


@bp.get("/polls")
def polls():
    _ = translator()
    methods = list(api().voting_methods())  # polls' table of methods
    chosen, errors = read_filters(_, request.args, methods)
    found, more = [], False
    if not errors:
        try:
            found = api().get("/api/v1/polls", **_api_query(chosen))["polls"]
        except ApiProblem as problem:
            if problem.status not in (400, 422):
                raise
            for field, messages in (problem.fields or {}).items():
                key = {"scope_id": "chapter", "q": "q"}.get(field, field)
                errors[key] = messages[0] if isinstance(messages, list) else str(messages)
            if not errors:
                errors["q"] = problem.message
        more = len(found) > PAGE
        found = found[:PAGE]
    status = 422 if errors else 200
    return render(
        "polls.html",
        status,
        polls=found,
        more=more,
        chosen=chosen,
        errors=errors,
        statuses=STATUSES,
        methods=methods,
        **_choices(me(), chosen),
    )
