"""The member's own data: read, correct, export, delete."""

from __future__ import annotations

from services.common import revocation
from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.members import passwords
from services.members.context import MembersContext
from services.members.events import contact_data
from services.members.service import access, accounts, figures, mandates, tokens
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import currents as currents_store
from services.members.store import mandates as mandates_store
from services.members.store import meetings as meetings_store
from services.members.store import members as members_store
from services.members.store import memberships as memberships_store
from services.members.store import tokens as tokens_store
from services.members.store import vouches as vouches_store
from services.members.store.rows import existing


def membership_view(cur, member_id) -> dict:
    chapters = memberships_store.direct_chapters_of(cur, member_id)
    return {
        "chapters": [
            {"id": c["id"], "name": c["name"], "level": c["level"], "joined_at": c["joined_at"]}
            for c in chapters
        ],
        "chapter_ids": memberships_store.effective_chapter_ids(cur, member_id),
        "currents": [
            {"id": c["id"], "name": c["name"], "joined_at": c["joined_at"]}
            for c in currents_store.currents_of(cur, member_id)
        ],
        "mandates": [
            mandates.mandate_view(m) for m in mandates_store.active_mandates_of(cur, member_id)
        ],
    }


def profile(member: dict) -> dict:
    return {
        "id": member["id"],
        "email": member["email"],
        "display_name": member["display_name"],
        "status": member["status"],
        "country": member["country"],
        "language": member["language"],
        "phone": member["phone"],
        "gender": member["gender"],
        "introduction": member["introduction"],
        "email_verified": member["email_verified_at"] is not None,
        "created_at": member["created_at"],
        "activated_at": member["activated_at"],
        "suspended": member.get("suspended_at") is not None,
        "suspend_reason": member.get("suspend_reason"),
        "reject_reason": member.get("reject_reason"),
    }


def me(ctx: MembersContext, identity: Identity) -> dict:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        result = profile(member)
        result["admin"] = mandates_store.is_admin(cur, member["id"])
        result["vouches"] = vouches_store.count_vouches(cur, member["id"])
        result.update(membership_view(cur, member["id"]))
    policy = ctx.policy
    result["vouches_required"] = policy.vouches_required
    result["vouching_enabled"] = policy.vouching_enabled
    return result


def correct_me(ctx: MembersContext, identity: Identity, changes: dict) -> dict:
    """Correct one's own data. A new email address needs the current password; the old
    address is told of the change and the new one has to be verified again."""
    changes = dict(changes)
    password = changes.pop("current_password", None)
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
    if "email" in changes and changes["email"].lower() != member["email"].lower():
        _check_current_password(ctx, member, password)
    with ctx.db.transaction() as cur:
        member = existing(members_store.member_by_id(cur, member["id"], for_update=True))
        updates = {k: v for k, v in changes.items() if v != member.get(k)}
        email_changed = "email" in updates and updates["email"].lower() != member["email"].lower()
        if email_changed and password is None:  # changed between the two transactions
            raise ApiError(409, "The account changed meanwhile; try again.", "conflict")
        if "email" in updates and members_store.email_taken(cur, updates["email"], member["id"]):
            raise ApiError(
                409,
                "An account with this email address already exists.",
                "email_taken",
                fields={"email": ["Already registered."]},
            )
        if email_changed:
            updates["email_verified_at"] = None
        with figures.kept_for(cur, member["id"]):  # the gender counts in chapter figures
            updated = members_store.update_member(cur, member["id"], updates)
        if {"email", "phone", "language", "display_name"} & set(updates):
            emit(cur, "members.member.contact_changed", contact_data(updated))
        if email_changed:
            emit(
                cur,
                "members.member.email_changed",
                {
                    "member_id": member["id"],
                    "old_email": member["email"],
                    "language": updated["language"],
                },
            )
            audit_store.insert_audit(
                cur, action="member.email_changed", actor_id=member["id"], member_id=member["id"]
            )
            accounts.send_verification(ctx, cur, updated)
    return me(ctx, identity)


def _check_current_password(ctx: MembersContext, member: dict, password: str | None) -> None:
    policy = ctx.policy
    if not password:
        raise ApiError(
            422,
            "Changing the email address needs your current password.",
            "validation_failed",
            fields={"current_password": ["Required to change the email address."]},
        )
    with ctx.db.transaction() as cur:
        stored = members_store.member_password_hash(cur, member["id"])
    if not passwords.verify_password(stored or "", password, policy.argon2_profile):
        raise ApiError(
            422,
            "The current password is not right.",
            "wrong_password",
            fields={"current_password": ["Not your current password."]},
        )


def export_me(ctx: MembersContext, identity: Identity) -> dict:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        data = {
            "exported_at": access.now(),
            "profile": profile(member),
            "admin": mandates_store.is_admin(cur, member["id"]),
            **membership_view(cur, member["id"]),
            "mandate_history": [
                mandates.mandate_view(m)
                for m in mandates_store.list_mandates(
                    cur, member_id=member["id"], active_only=False, limit=1000
                )
            ],
            "vouches": vouches_store.vouches_of(cur, member["id"]),
            "sessions": tokens_store.member_sessions(cur, member["id"]),
            "audit": audit_store.list_audit(cur, member_id=member["id"], limit=1000),
        }
        data["meetings_recorded"] = meetings_store.meetings_recorded_by(cur, member["id"])
    return data


def delete_me(ctx: MembersContext, identity: Identity, password: str) -> None:
    """Anonymise the member: memberships end, mandates are revoked, identifying data goes;
    the row stays (country, gender, dates) so aggregate figures of the past remain right."""
    policy = ctx.policy
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        stored = members_store.member_password_hash(cur, member["id"])
    if not passwords.verify_password(stored or "", password, policy.argon2_profile):
        raise ApiError(
            422,
            "The password is not right.",
            "wrong_password",
            fields={"password": ["Not your password."]},
        )
    with ctx.db.transaction() as cur:
        member = existing(members_store.member_by_id(cur, member["id"], for_update=True))
        if member["status"] == "deleted":
            return
        member_id = member["id"]
        held = mandates_store.active_mandates_of(cur, member_id)
        if any(m["role"] == "admin" for m in held) and mandates_store.count_active_admins(cur) <= 1:
            raise ApiError(
                409,
                "You are the last admin: grant the admin mandate to someone "
                "else before deleting your account.",
                "last_admin",
            )
        for mandate in held:
            mandates.revoke(cur, mandate, actor_id=member_id, reason="account deleted")
        with figures.kept_for(cur, member_id):
            _leave_every_chapter(cur, member_id)
            members_store.anonymise_member(cur, member_id)
        for current in currents_store.currents_of(cur, member_id):
            currents_store.delete_current_membership(cur, member_id, current["id"])
            emit(
                cur,
                "members.current_membership.left",
                {"member_id": member_id, "current_id": current["id"]},
            )
        tokens.end_sessions(cur, member_id)
        revocation.block(cur, member_id, "deleted")
        emit(cur, "members.member.deleted", {"member_id": member_id})


def _leave_every_chapter(cur, member_id) -> None:
    for chapter in memberships_store.direct_chapters_of(cur, member_id):
        memberships_store.delete_membership(cur, member_id, chapter["id"])
        emit(
            cur,
            "members.membership.left",
            {
                "member_id": member_id,
                "chapter_id": chapter["id"],
                "ancestors": [a["id"] for a in chapters_store.ancestors_of(cur, chapter["id"])],
            },
        )
