"""Admins suspend and restore members."""

from __future__ import annotations

from services.common import revocation
from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.service import access, tokens
from services.members.store import audit as audit_store
from services.members.store import members as members_store
from services.members.store.rows import existing


def suspend(ctx: MembersContext, identity: Identity, member_id, reason: str | None) -> dict:
    """Suspend an account (admins): its sessions end and its tokens stop working at once."""
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        if member_id == admin["id"]:
            raise ApiError(409, "You cannot suspend yourself.", "conflict")
        member = members_store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        if member["suspended_at"] is not None:
            raise ApiError(409, "This account is suspended already.", "already_suspended")
        member = existing(members_store.set_suspended(cur, member_id, reason))
        tokens.end_sessions(cur, member_id)
        revocation.block(cur, member_id, "suspended")
        audit_store.insert_audit(
            cur,
            action="member.suspended",
            actor_id=admin["id"],
            member_id=member_id,
            detail={"reason": reason},
        )
        emit(cur, "members.member.suspended", {"member_id": member_id, "reason": reason})
    return _suspension_view(member)


def restore(ctx: MembersContext, identity: Identity, member_id) -> dict:
    """Lift a suspension (admins): the member may log in again (old tokens stay dead)."""
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        member = members_store.clear_suspended(cur, member_id)
        if member is None:
            raise ApiError(409, "This account is not suspended.", "not_suspended")
        revocation.unblock(cur, member_id)
        audit_store.insert_audit(
            cur, action="member.restored", actor_id=admin["id"], member_id=member_id
        )
        emit(cur, "members.member.restored", {"member_id": member_id})
    return _suspension_view(member)


def _suspension_view(member: dict) -> dict:
    return {
        "id": member["id"],
        "status": member["status"],
        "suspended": member["suspended_at"] is not None,
        "suspended_at": member["suspended_at"],
        "suspend_reason": member["suspend_reason"],
    }
