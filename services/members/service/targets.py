"""The organisation's figures and the targets set against them."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.errors import ApiError
from services.members import geo
from services.members.context import MembersContext
from services.members.rules import (
    evaluate_target,
    number,
)
from services.members.service import access, meetings
from services.members.store import audit as audit_store
from services.members.store import figures as figures_store
from services.members.store import targets as targets_store


def organisation_figures(ctx: MembersContext) -> dict:
    with ctx.db.transaction() as cur:
        return _figures(ctx, cur)


def _figures(ctx: MembersContext, cur) -> dict:
    raw = figures_store.organisation_figures(cur)
    statuses = meetings.working_statuses(ctx, cur)
    continents = {geo.continent_of(c) for c in raw["countries"]} - {None}
    members, women, stated = raw["members"], raw["women"], raw["stated"]
    return {
        "members": members,
        "women": women,
        "gender_stated": stated,
        "women_share": round(100 * women / members, 1) if members else 0.0,
        "women_share_of_stated": round(100 * women / stated, 1) if stated else None,
        "countries": len(raw["countries"]),
        "continents": len(continents),
        "continent_names": sorted(geo.CONTINENTS[c] for c in continents if c),
        "chapters": len(statuses),
        "working_chapters": sum(1 for s in statuses.values() if s["working"]),
    }


def targets(ctx: MembersContext) -> list[dict]:
    with ctx.db.transaction() as cur:
        rows = targets_store.list_targets(cur)
        if not rows:
            return []
        figures = _figures(ctx, cur)
    return [evaluate_target(t, figures[t["kind"]]) for t in rows]


def define_target(ctx: MembersContext, identity: Identity, data: dict) -> dict:
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        row = targets_store.insert_target(
            cur,
            name=data["name"],
            kind=data["kind"],
            target=data["target"],
            deadline=data.get("deadline"),
            position=data.get("position", 0),
            created_by=admin["id"],
        )
        audit_store.insert_audit(
            cur,
            action="target.defined",
            actor_id=admin["id"],
            detail={
                "target_id": str(row["id"]),
                "name": row["name"],
                "kind": row["kind"],
                "target": number(row["target"]),
            },
        )
        figures = _figures(ctx, cur)
    return evaluate_target(row, figures[row["kind"]])


def change_target(ctx: MembersContext, identity: Identity, target_id, changes: dict) -> dict:
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        row = targets_store.update_target(cur, target_id, changes)
        if row is None:
            raise ApiError(404, "No such target.", "not_found")
        audit_store.insert_audit(
            cur,
            action="target.changed",
            actor_id=admin["id"],
            detail={"target_id": str(target_id), "fields": sorted(changes)},
        )
        figures = _figures(ctx, cur)
    return evaluate_target(row, figures[row["kind"]])


def remove_target(ctx: MembersContext, identity: Identity, target_id) -> None:
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        if not targets_store.delete_target(cur, target_id):
            raise ApiError(404, "No such target.", "not_found")
        audit_store.insert_audit(
            cur, action="target.removed", actor_id=admin["id"], detail={"target_id": str(target_id)}
        )
