"""The federation's chapters: the directory, the tree by levels, and a chapter's page with
joining, leaving and founding a local chapter below it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for

from gateway.client import ApiProblem
from gateway.web.context import api, me, render, to_login, translator, uuid_or_404
from gateway.web.federation_labels import (
    countries,
    country_name,
    level_label,
    working_rules,
)
from gateway.web.joining import join_or_leave
from gateway.web.labels import chapter_criteria, role_label
from gateway.web.listpage import list_page
from gateway.web.mandates import members_elect_coordinator, pending_election
from gateway.web.views.upward import chapter_requests

bp = Blueprint("chapters", __name__)

DIRECTORY_PAGE = 25
TREE_BRANCHES = 30  # chapters shown under each open branch; the directory lists them all
SUB_CHAPTERS_PAGE = 30
MEMBERS_PAGE = 50


def field_errors(problem: ApiProblem) -> dict[str, str]:
    """The API's complaints by field name (nested locations flattened), each in one line."""
    found = {}
    for key, value in (problem.fields or {}).items():
        if isinstance(value, dict):
            found.update(field_errors(ApiProblem(problem.status, "", "", value)))
        else:
            found[key] = " ".join(map(str, value)) if isinstance(value, list) else str(value)
    return found


def _labels() -> dict:
    _ = translator()
    return {
        "level_label": lambda level: level_label(_, level),
        "role_label": lambda role: role_label(_, role),
        "country_name": lambda code: country_name(_, code),
        "bottom_level": _levels()[-1],
    }


def _rules_of(client, chapter_id) -> str:
    try:
        return working_rules(translator(), client.get(f"/api/v1/chapters/{chapter_id}/status"))
    except ApiProblem:
        return ""


def _levels() -> tuple[str, ...]:
    """The federation's levels, top first (FEDERATION_LEVELS, read once in the web's settings)."""
    return current_app.config["WEB"].federation_levels


def _search_form() -> dict:
    return {
        "q": (request.args.get("q") or "").strip()[:100],
        "level": request.args.get("level") if request.args.get("level") in _levels() else "",
        "country": (request.args.get("country") or "").strip()[:2].upper(),
        "parent_id": request.args.get("parent_id") or "",
    }


@bp.get("/chapters")
def directory():
    client = api()
    form = _search_form()
    paging = list_page(DIRECTORY_PAGE)
    query = {k: v for k, v in form.items() if v}
    errors = {}
    try:
        rows = client.get(
            "/api/v1/chapters", sort="name", limit=paging.ask, offset=paging.offset, **query
        )
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        rows, errors = [], field_errors(problem)
    chapters, more = paging.rows(rows)
    rules = _rules_of(client, chapters[0]["id"]) if chapters else ""
    return render(
        "chapters.html",
        422 if errors else 200,
        chapters=chapters,
        more=more,
        paging=paging,
        form=form,
        errors=errors,
        levels=_levels(),
        rules=rules,
        countries=countries(translator()),
        **_labels(),
    )


def _fold(children: list[dict]) -> tuple[list[dict], bool]:
    """At most TREE_BRANCHES chapters of a level, each with at most as many below it."""
    branches = [
        {
            **c,
            "below": (c.get("children") or [])[:TREE_BRANCHES],
            "more_below": len(c.get("children") or []) > TREE_BRANCHES,
        }
        for c in children[:TREE_BRANCHES]
    ]
    return branches, len(children) > TREE_BRANCHES


def _branches(client, here: dict | None) -> tuple[list[dict], bool]:
    """The chapters at one level of the tree, each with the first of its sub-chapters: one
    call for the sub-tree two levels down, or one per top-level chapter at the root."""
    if here is not None:
        return _fold(here.get("children") or [])
    tops = client.get("/api/v1/chapters", root="true", sort="name", limit=TREE_BRANCHES + 1)
    trees = [
        client.get(f"/api/v1/chapters/{top['id']}", depth=1, members=0)
        for top in tops[:TREE_BRANCHES]
    ]
    branches, _more = _fold(trees)
    return branches, len(tops) > TREE_BRANCHES


@bp.get("/chapters/tree")
def tree():
    client = api()
    at = request.args.get("at") or None
    here = None
    if at:
        uuid_or_404(at)
        here = client.get(f"/api/v1/chapters/{at}", depth=2, members=0)
    branches, more = _branches(client, here)
    _ = translator()
    source = here or (branches[0] if branches else {})
    rules = working_rules(_, source.get("status"))
    trail: list[tuple[str, str | None]] = [
        (_("Home"), url_for("site.home")),
        (_("Chapters"), url_for("chapters.directory")),
    ]
    if here:
        trail.append((_("Tree"), url_for("chapters.tree")))
        trail += [
            (a["name"], url_for("chapters.tree", at=a["id"]))
            for a in reversed(here.get("ancestors") or [])
        ]
    trail.append((here["name"] if here else _("Tree"), None))
    return render(
        "chapters_tree.html",
        here=here,
        branches=branches,
        more=more,
        rules=rules,
        trail=trail,
        **_labels(),
    )


def membership_of(member: dict | None, chapter_id: str) -> str:
    """'direct', 'through' (a sub-chapter) or '' for the member and this chapter."""
    if not member:
        return ""
    if any(str(c.get("id")) == chapter_id for c in member.get("chapters") or []):
        return "direct"
    return "through" if chapter_id in {str(i) for i in member.get("chapter_ids") or []} else ""


def may_manage(member: dict | None, page: dict) -> bool:
    if not member:
        return False
    if member.get("admin"):
        return True
    mine = {
        str(m.get("chapter_id"))
        for m in member.get("mandates") or []
        if m.get("role") == "coordinator" and m.get("active", True)
    }
    return bool(mine & {str(page["id"]), *(str(a["id"]) for a in page.get("ancestors") or [])})


def _for_members(client, chapter_id: str, member: dict | None) -> dict:
    """What only active members see: the members (a page of them) and the meetings."""
    seen: dict[str, Any] = {
        "members": [],
        "more_members": False,
        "members_page": list_page(MEMBERS_PAGE, "mp"),
        "meetings": [],
        "hidden": True,
    }
    if not member or member.get("status") != "active":
        return seen
    try:
        rows = client.get(
            f"/api/v1/chapters/{chapter_id}/members",
            limit=seen["members_page"].ask,
            offset=seen["members_page"].offset,
        )
        seen["members"], seen["more_members"] = seen["members_page"].rows(rows)
        seen["meetings"] = client.get(f"/api/v1/chapters/{chapter_id}/meetings", limit=20)
        seen["hidden"] = False
    except ApiProblem as problem:
        if problem.status not in (403, 404):
            raise
    return seen


def _election_call(client, member: dict | None, page: dict, membership: str) -> dict | None:
    """When the member may launch the chapter's coordinator election as one of its members
    (issue 18: no elected coordinator), what to call them to: {pending: the election under
    way, or None}."""
    if not members_elect_coordinator(member, page, membership):
        return None
    return {"pending": pending_election(client, "coordinator_election", str(page["id"]))}


@bp.get("/chapters/<chapter_id>")
def chapter(chapter_id, found_errors=None, found_form=None):
    uuid_or_404(chapter_id)
    client = api()
    # The members are read a page at a time below (`_for_members`), not with the chapter.
    page = client.get(f"/api/v1/chapters/{chapter_id}", depth=0, members=0)
    member = me()
    sub_page = list_page(SUB_CHAPTERS_PAGE, "sp")
    children, more_children = sub_page.rows(
        client.get(
            "/api/v1/chapters",
            parent_id=chapter_id,
            sort="name",
            limit=sub_page.ask,
            offset=sub_page.offset,
        )
    )
    polls = (
        client.get("/api/v1/polls", scope="chapter", scope_id=chapter_id, limit=10).get("polls")
        or []
    )
    delegates = client.get("/api/v1/mandates", chapter_id=chapter_id, role="delegate", limit=50)
    _ = translator()
    trail: list[tuple[str, str | None]] = [
        (_("Home"), url_for("site.home")),
        (_("Chapters"), url_for("chapters.directory")),
    ]
    # The API gives the ancestors nearest first; the breadcrumb reads from the top down.
    trail += [
        (a["name"], url_for("chapters.chapter", chapter_id=a["id"]))
        for a in reversed(page.get("ancestors") or [])
    ]
    trail.append((page["name"], None))
    membership = membership_of(member, chapter_id)
    return render(
        "chapter.html",
        422 if found_errors else 200,
        chapter=page,
        trail=trail,
        children=children,
        more_children=more_children,
        sub_page=sub_page,
        polls=polls,
        delegates=delegates,
        membership=membership,
        may_manage=may_manage(member, page),
        election_call_of=_election_call(client, member, page, membership),
        upward=chapter_requests(client, chapter_id),  # issue 18
        may_ask=bool(member and page.get("ancestors")),
        seen=_for_members(client, chapter_id, member),
        criteria=chapter_criteria(translator(), page.get("status") or {}),
        found_errors=found_errors or {},
        found_form=found_form or {},
        **_labels(),
    )


@bp.post("/chapters/<chapter_id>/membership")
def membership(chapter_id):
    return join_or_leave("chapters", chapter_id, url_for("chapters.chapter", chapter_id=chapter_id))


@bp.post("/chapters/<chapter_id>/found")
def found(chapter_id):
    _ = translator()
    uuid_or_404(chapter_id)
    if not me():
        return to_login(url_for("chapters.chapter", chapter_id=chapter_id))
    form = {k: (request.form.get(k) or "").strip() for k in ("name", "place", "description")}
    body = {
        "name": form["name"],
        "level": _levels()[-1],
        "parent_id": chapter_id,
        "place": form["place"] or None,
        "description": form["description"] or None,
    }
    errors = {}
    if not form["name"]:
        errors["name"] = _("Give the new chapter a name.")
    else:
        try:
            made = api().post("/api/v1/chapters", body)
        except ApiProblem as problem:
            if problem.status not in (403, 409, 422):
                raise
            errors = field_errors(problem) or {"name": problem.message}
        else:
            flash(
                _("Your local chapter is founded; you are its first member and coordinator."),
                "info",
            )
            return redirect(url_for("chapters.chapter", chapter_id=made["id"]))
    return chapter(chapter_id, found_errors=errors, found_form=form)
