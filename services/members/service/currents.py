"""Currents: found, list, show, join and leave."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.service import access
from services.members.store import currents as currents_store
from services.members.store.rows import existing


def list_currents(ctx: MembersContext, query, limit, offset) -> list:
    with ctx.db.transaction() as cur:
        return currents_store.list_currents(cur, query, limit, offset)


def found_current(ctx: MembersContext, identity: Identity, data: dict) -> dict:
    with ctx.db.transaction() as cur:
        founder = access.caller(cur, identity, active=True)
        current = currents_store.insert_current(
            cur, data["name"], data.get("description"), founder["id"]
        )
        if current is None:
            raise ApiError(
                409,
                "A current with this name exists already.",
                "name_taken",
                fields={"name": ["Already taken."]},
            )
        emit(cur, "members.current.founded", {"current_id": current["id"], "name": current["name"]})
        currents_store.insert_current_membership(cur, founder["id"], current["id"])
        emit(
            cur,
            "members.current_membership.joined",
            {"member_id": founder["id"], "current_id": current["id"]},
        )
        return existing(currents_store.current_by_id(cur, current["id"]))


def current_page(ctx: MembersContext, current_id) -> dict:
    with ctx.db.transaction() as cur:
        current = currents_store.current_by_id(cur, current_id)
    if current is None:
        raise ApiError(404, "No such current.", "not_found")
    return current


def join_current(ctx: MembersContext, identity: Identity, current_id, join: bool) -> dict:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        if currents_store.current_by_id(cur, current_id) is None:
            raise ApiError(404, "No such current.", "not_found")
        if join:
            changed = currents_store.insert_current_membership(cur, member["id"], current_id)
        else:
            changed = currents_store.delete_current_membership(cur, member["id"], current_id)
        if changed:
            emit(
                cur,
                f"members.current_membership.{'joined' if join else 'left'}",
                {"member_id": member["id"], "current_id": current_id},
            )
    return {"current_id": current_id, "member_id": member["id"], "member": join, "changed": changed}
