"""Re-announcing the current state as snapshot events (`announce_state`)."""

from __future__ import annotations

import uuid

from services.common.auth import Identity
from services.common.bus import emit
from services.members.context import MembersContext
from services.members.events import chapter_data, contact_data, mandate_data
from services.members.service import access
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import currents as currents_store
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store
from services.members.store import memberships as memberships_store
from services.members.store.rows import existing


def _chapter_snapshot(chapter: dict, ancestors: list, announce_id: str) -> dict:
    return {**chapter_data(chapter, ancestors), "announce_id": announce_id}


def _member_snapshot(cur, member_id, ancestors: dict, announce_id: str) -> dict:
    member = existing(members_store.member_by_id(cur, member_id))
    if member["status"] == "deleted":
        return {
            "member_id": member_id,
            "status": "deleted",
            "announce_id": announce_id,
            "email": None,
            "display_name": None,
            "language": None,
            "phone": None,
            "email_verified": None,
            "chapters": [],
            "current_ids": [],
            "mandates": [],
        }
    return {
        **contact_data(member),
        "status": member["status"],
        "country": member["country"],
        "announce_id": announce_id,
        "chapters": [
            {"chapter_id": c["id"], "ancestors": ancestors.get(c["id"], [])}
            for c in memberships_store.direct_chapters_of(cur, member_id)
        ],
        "current_ids": [c["id"] for c in currents_store.currents_of(cur, member_id)],
        "mandates": [mandate_data(m) for m in mandates_store.active_mandates_of(cur, member_id)],
    }


def announce_subtree(cur, chapter_id) -> None:
    """After a move: the moved chapters and their members, as they are now."""
    announce_id = f"move-{uuid.uuid4()}"
    ancestors = chapters_store.chapter_ancestor_map(cur)
    for chapter in chapters_store.subtree_of(cur, chapter_id):
        emit(
            cur,
            "members.chapter.snapshot",
            _chapter_snapshot(chapter, ancestors.get(chapter["id"], []), announce_id),
        )
    for member_id in memberships_store.memberships_of_subtree(cur, chapter_id):
        emit(
            cur, "members.member.snapshot", _member_snapshot(cur, member_id, ancestors, announce_id)
        )


def announce_state(ctx: MembersContext, identity: Identity | None = None) -> dict:
    """Re-announce the whole current state, so a consumer that started late or lost its
    replica can rebuild it: one `members.chapter.snapshot` per chapter (parents first), then
    one `members.member.snapshot` per member (deleted ones as `status: deleted`). Snapshots
    carry whole state, so consumers apply them as upserts: receiving one twice, or after the
    fact events it summarises, changes nothing downstream. `identity` None is the operator's
    command line."""
    announce_id = str(uuid.uuid4())
    with ctx.db.transaction() as cur:
        actor = access.require_admin(cur, identity) if identity is not None else None
        ancestors = chapters_store.chapter_ancestor_map(cur)
        chapters = sorted(
            chapters_store.all_chapters(cur), key=lambda c: len(ancestors.get(c["id"], []))
        )
        for chapter in chapters:
            emit(
                cur,
                "members.chapter.snapshot",
                _chapter_snapshot(chapter, ancestors.get(chapter["id"], []), announce_id),
            )
        member_ids = members_store.all_member_ids(cur)
        for member_id in member_ids:
            emit(
                cur,
                "members.member.snapshot",
                _member_snapshot(cur, member_id, ancestors, announce_id),
            )
        audit_store.insert_audit(
            cur,
            action="state.announced",
            actor_id=actor["id"] if actor else None,
            detail={
                "announce_id": announce_id,
                "chapters": len(chapters),
                "members": len(member_ids),
            },
        )
    return {"announce_id": announce_id, "chapters": len(chapters), "members": len(member_ids)}
