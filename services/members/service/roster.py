"""Admins and coordinators look members up."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.service import access, profile
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store


def list_members(
    ctx: MembersContext,
    identity: Identity,
    *,
    status,
    query,
    limit,
    offset,
    country=None,
    chapter_id=None,
    suspended=None,
):
    with ctx.db.transaction() as cur:
        access.require_admin(cur, identity)
        return [
            profile.profile(m)
            for m in members_store.list_members(
                cur,
                status=status,
                query=query,
                limit=limit,
                offset=offset,
                country=country,
                chapter_id=chapter_id,
                suspended=suspended,
            )
        ]


def member_profile(ctx: MembersContext, identity: Identity, member_id) -> dict:
    """What other members see of a member: name, country, status, chapters, mandates. Admins
    see the email address too; nobody sees another member's gender."""
    with ctx.db.transaction() as cur:
        caller = access.caller(cur, identity, active=True)
        member = members_store.member_by_id(cur, member_id)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        view = {
            "id": member["id"],
            "display_name": member["display_name"],
            "country": member["country"],
            "status": member["status"],
            "introduction": member["introduction"],
            "created_at": member["created_at"],
        }
        if mandates_store.is_admin(cur, caller["id"]):
            view["email"] = member["email"]
        memberships = profile.membership_view(cur, member["id"])
        view["chapters"] = memberships["chapters"]
        view["mandates"] = memberships["mandates"]
    return view
