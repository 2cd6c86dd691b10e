"""Currents: groups across chapters that any member may join and leave."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from gateway.web.context import api, me, render, uuid_or_404
from gateway.web.joining import join_or_leave
from gateway.web.listpage import list_page

bp = Blueprint("currents", __name__)

PAGE = 25


@bp.get("/currents")
def currents():
    q = (request.args.get("q") or "").strip()[:100]
    paging = list_page(PAGE)
    rows = api().get(
        "/api/v1/currents", limit=paging.ask, offset=paging.offset, **({"q": q} if q else {})
    )
    shown, more = paging.rows(rows)
    return render("currents.html", currents=shown, more=more, paging=paging, q=q, mine=_mine())


def _mine() -> set[str]:
    member = me()
    return {str(c.get("id")) for c in (member or {}).get("currents") or []}


@bp.get("/currents/<current_id>")
def current(current_id):
    uuid_or_404(current_id)
    found = api().get(f"/api/v1/currents/{current_id}")
    polls = (
        api().get("/api/v1/polls", scope="current", scope_id=current_id, limit=10).get("polls")
        or []
    )
    return render("current.html", current=found, in_current=current_id in _mine(), polls=polls)


@bp.post("/currents/<current_id>/membership")
def membership(current_id):
    return join_or_leave("currents", current_id, url_for("currents.current", current_id=current_id))
