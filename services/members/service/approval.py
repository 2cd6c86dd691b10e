"""Activation of new members: admins approve, add or reject them; members vouch."""

from __future__ import annotations

import secrets

from services.common import revocation
from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.common.sealing import seal
from services.members import passwords
from services.members.context import MembersContext
from services.members.events import registered_data
from services.members.rules import (
    Policy,
)
from services.members.service import access, chapters, figures, tokens
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import currents as currents_store
from services.members.store import members as members_store
from services.members.store import memberships as memberships_store
from services.members.store import tokens as tokens_store
from services.members.store import vouches as vouches_store
from services.members.store.rows import existing


def activate(cur, member: dict, by: str, actor_id=None) -> dict:
    with figures.kept_for(cur, member["id"]):
        activated = members_store.activate_member(cur, member["id"], by)
    if activated is None:
        return existing(members_store.member_by_id(cur, member["id"]))
    emit(
        cur,
        "members.member.activated",
        {
            "member_id": member["id"],
            "by": by,
            "chapter_ids": memberships_store.effective_chapter_ids(cur, member["id"]),
            "current_ids": [c["id"] for c in currents_store.currents_of(cur, member["id"])],
        },
    )
    audit_store.insert_audit(
        cur, action=f"member.activated_by_{by}", actor_id=actor_id, member_id=member["id"]
    )
    return activated


def approve(ctx: MembersContext, identity: Identity, member_id) -> dict:
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        member = members_store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        if member["status"] not in ("pending", "active"):  # active: approved already, 200
            state = {"rejected": "refused"}.get(member["status"], member["status"])
            raise ApiError(
                409, f"Only a pending member can be approved; this one is {state}.", "not_pending"
            )
        member = activate(cur, member, "admin", actor_id=admin["id"])
    return {"id": member["id"], "status": member["status"], "activated_at": member["activated_at"]}


def add_member(ctx: MembersContext, identity: Identity, data: dict, *, dry_run: bool) -> dict:
    """An admin adds a member (imports). The account has no usable password: the member gets
    a mail saying an admin added them, with a link (valid EMAIL_VERIFY_TTL_HOURS) to choose a
    password — the reset-password path, which also proves the address. With dry_run every check
    runs (admin, address free, chapter exists) and the transaction is rolled back."""
    policy = ctx.policy
    unusable = passwords.hash_password(secrets.token_urlsafe(32), policy.argon2_profile)
    token, token_hash = tokens.new_secret()
    try:
        with ctx.db.transaction() as cur:
            admin = access.require_admin(cur, identity)
            member = members_store.insert_member(
                cur,
                email=data["email"],
                password_hash=unusable,
                display_name=data["display_name"],
                country=data["country"],
                language=data.get("language"),
                phone=data.get("phone"),
                introduction=data.get("introduction"),
            )
            if member is None:
                raise ApiError(
                    409,
                    "An account with this email address already exists.",
                    "email_taken",
                    fields={"email": ["Already registered."]},
                )
            placed = _place_in_chapter(cur, member["id"], data.get("chapter_id"))
            if data.get("approve"):
                member = activate(cur, member, "admin", actor_id=admin["id"])
            tokens_store.insert_token(
                cur,
                token_hash,
                member["id"],
                "reset_password",
                access.now() + policy.verify_ttl,
                member["email"],
            )
            _announce_added(ctx, cur, member, token)
            audit_store.insert_audit(
                cur, action="member.added_by_admin", actor_id=admin["id"], member_id=member["id"]
            )
            view = {
                "id": None if dry_run else member["id"],
                "email": member["email"],
                "status": member["status"],
                "chapter_id": data.get("chapter_id"),
                "chapters": placed,
                "mail": "welcome",
                "dry_run": dry_run,
            }
            if dry_run:
                raise _DryRun(view)
    except _DryRun as done:
        return done.view
    return view


class _DryRun(Exception):
    def __init__(self, view: dict) -> None:
        super().__init__("dry run")
        self.view = view


def _place_in_chapter(cur, member_id, chapter_id) -> list[str]:
    if chapter_id is None:
        return []
    chapter = chapters_store.chapter_by_id(cur, chapter_id)
    if chapter is None:
        raise ApiError(
            422,
            f"Unknown chapter {chapter_id}.",
            "validation_failed",
            fields={"chapter_id": ["No such chapter."]},
        )
    ancestors = [a["id"] for a in chapters_store.ancestors_of(cur, chapter_id)]
    chapters.join(cur, member_id, chapter_id, ancestors)
    return [chapter["name"]]


def _announce_added(ctx: MembersContext, cur, member: dict, token: str) -> None:
    emit(cur, "members.member.registered", registered_data(member))
    emit(
        cur,
        "members.member.password_reset_requested",
        {
            "member_id": member["id"],
            "email": member["email"],
            "welcome": True,
            "sealed_token": seal(ctx.settings.common.secret_key, "reset_password", token),
            "language": member["language"],
        },
    )


def vouch(ctx: MembersContext, identity: Identity, member_id, note: str | None) -> dict:
    """Vouch for a pending member. A member vouches for at most VOUCH_LIMIT members per
    VOUCH_WINDOW_DAYS; a vouch from a member who was vouched in within the window is recorded
    (admins see it) but does not count towards activation."""
    policy = ctx.policy
    with ctx.db.transaction() as cur:
        voucher = access.caller(cur, identity, active=True)
        if not policy.vouching_enabled:
            raise ApiError(
                409,
                "Vouching is not how members are activated here: an admin approves new members.",
                "vouching_disabled",
            )
        member = members_store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        if member["id"] == voucher["id"]:
            raise ApiError(403, "You cannot vouch for yourself.", "forbidden")
        if member["status"] == "pending":
            _record_vouch(cur, policy, voucher, member, note)
        count = vouches_store.count_vouches(cur, member["id"])
        if member["status"] == "pending" and count >= policy.vouches_required:
            member = activate(cur, member, "vouch", actor_id=voucher["id"])
    return {
        "id": member["id"],
        "status": member["status"],
        "vouches": count,
        "vouches_required": policy.vouches_required,
    }


def _record_vouch(cur, policy: Policy, voucher: dict, member: dict, note) -> None:
    since = access.now() - policy.vouch_window
    members_store.member_by_id(cur, voucher["id"], for_update=True)  # one voucher's vouches in turn
    if vouches_store.count_vouches_given(cur, voucher["id"], since) >= policy.vouch_limit:
        days = policy.vouch_window.days
        raise ApiError(
            409,
            f"You have vouched for {policy.vouch_limit} members in the last "
            f"{days} days, the most one member may.",
            "vouch_limit_reached",
        )
    if not vouches_store.insert_vouch(cur, member["id"], voucher["id"], note):
        return
    fresh = (
        voucher["activated_by"] == "vouch"
        and voucher["activated_at"] is not None
        and voucher["activated_at"] > since
    )
    if fresh:  # vouched in recently themselves: a chain of new accounts cannot mint voters
        vouches_store.mark_vouch_uncounted(cur, member["id"], voucher["id"])
    audit_store.insert_audit(
        cur,
        action="member.vouched",
        actor_id=voucher["id"],
        member_id=member["id"],
        detail={"counted": not fresh},
    )


def vouches_of_member(ctx: MembersContext, identity: Identity, member_id) -> dict:
    """Every vouch a member received and gave (admins)."""
    with ctx.db.transaction() as cur:
        access.require_admin(cur, identity)
        if members_store.member_by_id(cur, member_id) is None:
            raise ApiError(404, "No such member.", "not_found")
        return {"member_id": member_id, **vouches_store.vouches_for_admin(cur, member_id)}


def pending_members(
    ctx: MembersContext,
    identity: Identity,
    limit: int,
    offset: int,
    *,
    chapter_id=None,
    mine: bool = False,
) -> list:
    """Pending members (to active members), each with the chapters they joined; only those in
    `chapter_id` or below, and/or (`mine`) in a chapter the caller joined or below."""
    with ctx.db.transaction() as cur:
        caller = access.caller(cur, identity, active=True)
        if chapter_id is not None and chapters_store.chapter_by_id(cur, chapter_id) is None:
            raise ApiError(
                404, "No such chapter.", "not_found", fields={"chapter_id": ["No such chapter."]}
            )
        people = members_store.list_pending_with_vouches(
            cur, limit, offset, chapter_id=chapter_id, mine_of=caller["id"] if mine else None
        )
        chapters = memberships_store.direct_chapters_of_many(cur, [p["id"] for p in people])
    return [{**person, "chapters": chapters.get(person["id"], [])} for person in people]


def reject(ctx: MembersContext, identity: Identity, member_id, reason: str) -> dict:
    """Refuse a pending member (admins): the reason is what they read when they log in."""
    with ctx.db.transaction() as cur:
        admin = access.require_admin(cur, identity)
        member = members_store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        member = members_store.set_rejected(cur, member_id, reason)
        if member is None:
            raise ApiError(409, "Only a pending member can be refused.", "not_pending")
        tokens.end_sessions(cur, member_id)
        revocation.block(cur, member_id, "rejected")
        audit_store.insert_audit(
            cur,
            action="member.rejected",
            actor_id=admin["id"],
            member_id=member_id,
            detail={"reason": reason},
        )
    return {
        "id": member["id"],
        "status": member["status"],
        "reject_reason": member["reject_reason"],
        "rejected_at": member["rejected_at"],
    }
