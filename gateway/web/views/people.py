"""Members' public profiles with their record in office, the delegates of the federation and
the founding-convention targets."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint

from gateway.client import ApiProblem
from gateway.web import results as explain
from gateway.web.context import api, me, render, translator, uuid_or_404
from gateway.web.federation_labels import days_left, level_label, target_meaning, working_rules
from gateway.web.labels import describe_answer, petition_status, role_label
from gateway.web.listpage import list_page
from gateway.web.mandates import admin_election_call

bp = Blueprint("people", __name__)

DELEGATES_PAGE = 30


def _labels() -> dict:
    _ = translator()
    return {
        "role_label": lambda r: role_label(_, r),
        "level_label": lambda level: level_label(_, level),
        "status_label": lambda s: petition_status(_, s),
        "describe": lambda answers: "; ".join(
            describe_answer(_, a) for a in answers if isinstance(a, Mapping)
        ),
    }


@bp.get("/members/<member_id>")
def member(member_id):
    uuid_or_404(member_id)
    client = api()
    record = client.get(f"/api/v1/members/{member_id}/record")
    profile = None
    viewer = me()
    if viewer and viewer.get("status") == "active":
        try:
            profile = client.get(f"/api/v1/members/{member_id}")
        except ApiProblem as problem:
            if problem.status not in (403, 404):
                raise
    votes: list = []
    if record.get("mandates"):
        votes = (client.get(f"/api/v1/delegates/{member_id}/votes").get("votes") or [])[:20]
    return render(
        "member.html",
        record=record,
        profile=profile,
        votes=votes,
        member_id=member_id,
        is_me=bool(viewer and str(viewer.get("id")) == member_id),
        **_labels(),
    )


@bp.get("/delegates")
def delegates():
    client = api()
    paging = list_page(DELEGATES_PAGE)
    shown, more = paging.rows(
        client.get("/api/v1/mandates", role="delegate", limit=paging.ask, offset=paging.offset)
    )
    open_elections = (
        client.get("/api/v1/polls", purpose="delegate_election", status="open", limit=20).get(
            "polls"
        )
        or []
    )
    past = (
        client.get("/api/v1/polls", purpose="delegate_election", status="closed", limit=20).get(
            "polls"
        )
        or []
    )
    return render(
        "delegates.html",
        delegates=shown,
        more=more,
        paging=paging,
        open_elections=open_elections,
        past_elections=past,
        admin_call=admin_election_call(client, me()),  # issue 18
        **_labels(),
    )


def _working_rules(client) -> str:
    first = client.get("/api/v1/chapters", limit=1)
    if not first:
        return ""
    return working_rules(translator(), client.get(f"/api/v1/chapters/{first[0]['id']}/status"))


@bp.get("/targets")
def targets():
    _ = translator()
    client = api()
    found = client.get("/api/v1/targets")
    rules = (
        _working_rules(client) if any(t.get("kind") == "working_chapters" for t in found) else ""
    )
    for target in found:
        goal = explain.number(target.get("target"))
        current = explain.number(target.get("current"))
        target["percent"] = (
            100 if target.get("met") else (min(100, round(100 * current / goal)) if goal else 0)
        )
        target["meaning"] = target_meaning(_, target.get("kind"), rules)
        target["left"] = days_left(_, target.get("deadline"))
    figures = client.get("/api/v1/targets/figures")
    return render("targets.html", targets=found, figures=figures)
