"""Use cases of the members service: each opens its transaction, changes state through
`store`, and writes the events announcing the change into the outbox in that same
transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from collections.abc import Iterable

from services.common import revocation
from services.common.auth import Identity, issue_access_token
from services.common.errors import ApiError
from services.common.runtime import Runtime
from services.common.sealing import seal
from services.members import geo, passwords, store
from services.members.events import contact_data, emit, mandate_data
from services.members.rules import (
    LEVEL_RANK,
    Policy,
    evaluate_target,
    number,
    working_status,
)

ACCESS_TTL_SECONDS = 15 * 60


def policy_of(runtime: Runtime) -> Policy:
    cached = getattr(runtime, "_members_policy", None)
    if cached is None:
        cached = Policy.from_settings(runtime.settings)
        runtime._members_policy = cached  # type: ignore[attr-defined]
    return cached


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_secret() -> tuple[str, str]:
    """(token to hand out, its SHA-256 to store)."""
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# --- rate limits ----------------------------------------------------------------------------

def check_rate(runtime: Runtime, action: str, limits: Iterable[tuple[str, str, int]],
               window: int = 60) -> None:
    """Count one attempt of `action` against each (kind, key, per window); 429 once over."""
    policy = policy_of(runtime)
    if not policy.rate_limits:
        return
    with runtime.db.transaction() as cur:
        for kind, key, per_minute in limits:
            if not key:
                continue
            hashed = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
            name = f"{action}:{kind}:{hashed}" if window == 60 else \
                f"{action}:{kind}/{window}:{hashed}"
            hits, left = store.hit_rate_counter(cur, name, window)
            if hits > per_minute:
                retry = max(1, int(left + 0.999))
                raise ApiError(
                    429,
                    f"Too many {action} attempts; try again in {retry} s.",
                    "rate_limited",
                    headers={"Retry-After": str(retry)},
                )
        if secrets.randbelow(500) == 0:
            store.prune_rate_counters(cur)


# --- the caller -----------------------------------------------------------------------------

def _chapter_or_404(cur, chapter_id, for_update: bool = False) -> dict:
    chapter = store.chapter_by_id(cur, chapter_id, for_update=for_update)
    if chapter is None:
        raise ApiError(404, "No such chapter.", "not_found")
    return chapter


def _caller(cur, identity: Identity, *, active: bool = False) -> dict:
    """The member behind a valid access token, as they are now."""
    member_id = _uuid_or_none(identity.member_id)
    member = store.member_by_id(cur, member_id) if member_id else None
    if member is None or member["status"] == "deleted":
        raise ApiError(401, "This account no longer exists.", "invalid_token")
    if member.get("suspended_at") is not None:
        raise ApiError(401, "This account is suspended.", "token_revoked")
    if active and member["status"] != "active":
        raise ApiError(403, "Only active members may do this; yours is still pending.",
                       "not_active")
    return member


def _end_sessions(cur, member_id, except_family=None) -> None:
    """End the member's sessions (their refresh tokens die; their access tokens are denied
    here at once and, through `members.session.revoked`, in polls and notify)."""
    families = store.recent_families(cur, member_id, except_family)
    store.revoke_member_refresh_tokens(cur, member_id, except_family=except_family)
    _announce_ended(cur, member_id, families)


def _announce_ended(cur, member_id, families) -> None:
    if families:
        revocation.revoke_sessions(cur, member_id, families)
        emit(cur, "members.session.revoked",
             {"member_id": member_id, "session_ids": sorted(str(f) for f in families)})


def _require_admin(cur, identity: Identity) -> dict:
    member = _caller(cur, identity)
    if not store.is_admin(cur, member["id"]):
        raise ApiError(403, "Only admins may do this.", "forbidden")
    return member


def _may_steward(cur, member_id, chapter_id, *, include_self: bool) -> bool:
    """Admins, and coordinators of the chapter's ancestors (and of the chapter itself when
    `include_self`), steward a chapter."""
    if store.is_admin(cur, member_id):
        return True
    scope = [a["id"] for a in store.ancestors_of(cur, chapter_id)]
    if include_self:
        scope.append(chapter_id)
    return store.coordinates(cur, member_id, scope)


# --- identity: register, verify, login, tokens ----------------------------------------------

def register(runtime: Runtime, data: dict, *, client_ip: str | None) -> dict:
    policy = policy_of(runtime)
    email = data["email"]
    check_rate(runtime, "registration", [
        ("ip", client_ip, policy.rate_register_per_ip),
        ("email", email, policy.rate_register_per_email),
    ])
    check_rate(runtime, "registration", [("ip", client_ip, policy.rate_register_per_ip_hour)],
               window=3600)
    problems = passwords.strength_problems(
        data["password"], email=email, display_name=data["display_name"],
        min_length=policy.password_min_length,
    )
    if problems:
        raise ApiError(422, "The password is too weak.", "weak_password",
                       fields={"password": problems})
    password_hash = passwords.hash_password(data["password"], policy.argon2_profile)
    token, token_hash = _new_secret()
    with runtime.db.transaction() as cur:
        member = store.insert_member(
            cur, email=email, password_hash=password_hash, display_name=data["display_name"],
            country=data["country"], language=data.get("language"), phone=data.get("phone"),
            gender=data.get("gender"), introduction=data.get("introduction"),
        )
        if member is None:
            raise ApiError(409, "An account with this email address already exists.",
                           "email_taken", fields={"email": ["Already registered."]})
        store.insert_token(cur, token_hash, member["id"], "verify_email",
                           _now() + policy.verify_ttl, email)
        emit(cur, "members.member.registered", {
            "member_id": member["id"],
            "email": member["email"],
            "display_name": member["display_name"],
            "country": member["country"],
            "language": member["language"],
            "phone": member["phone"],
            "status": member["status"],
            "verification_token": None,
            "verification_sealed": seal(runtime.settings.secret_key, "verify_email", token),
        })
    return {"id": member["id"], "status": member["status"]}


def verify_email(runtime: Runtime, token: str) -> dict:
    with runtime.db.transaction() as cur:
        row = store.take_token(cur, _digest(token), "verify_email")
        member = store.member_by_id(cur, row["member_id"], for_update=True) if row else None
        if (member is None or member["status"] == "deleted"
                or (row["email"] or "").lower() != member["email"].lower()):
            raise ApiError(400, "This verification link is not valid or has expired.",
                           "invalid_token", fields={"token": ["Not valid or expired."]})
        if store.mark_email_verified(cur, member["id"]):
            emit(cur, "members.member.verified",
                 {"member_id": member["id"], "email": member["email"]})
    return {"member_id": member["id"], "email": member["email"], "email_verified": True}


def resend_verification(runtime: Runtime, identity: Identity) -> dict:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
    check_rate(runtime, "verification", [("member", str(member["id"]), 5)])
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        if member["email_verified_at"] is not None:
            raise ApiError(409, "This email address is already verified.", "already_verified")
        _send_verification(runtime, cur, member)
    return {"status": "sent", "email": member["email"]}


def _send_verification(runtime: Runtime, cur, member: dict) -> None:
    policy = policy_of(runtime)
    token, token_hash = _new_secret()
    store.expire_tokens(cur, member["id"], "verify_email")
    store.insert_token(cur, token_hash, member["id"], "verify_email",
                       _now() + policy.verify_ttl, member["email"])
    emit(cur, "members.member.verification_requested", {
        "member_id": member["id"], "email": member["email"],
        "sealed_token": seal(runtime.settings.secret_key, "verify_email", token),
        "language": member["language"],
    })


def _issue_tokens(runtime: Runtime, cur, member: dict, family_id=None) -> dict:
    policy = policy_of(runtime)
    private_key = runtime.settings.jwt_private_key
    if not private_key:
        raise ApiError(503, "Token signing is not configured (JWT_PRIVATE_KEY).")
    admin = store.is_admin(cur, member["id"])
    family_id = family_id or uuid.uuid4()
    identity = Identity(member_id=str(member["id"]), status=member["status"], admin=admin,
                        session_id=str(family_id))
    refresh, refresh_hash = _new_secret()
    token_id = uuid.uuid4()
    store.insert_refresh_token(
        cur, token_id=token_id, family_id=family_id, member_id=member["id"],
        token_hash=refresh_hash, expires_at=_now() + policy.refresh_ttl,
    )
    return {
        "access_token": issue_access_token(private_key, identity),
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_SECONDS,
        "member_id": member["id"],
        "status": member["status"],
        "admin": admin,
        "_refresh_id": token_id,
        "_family_id": family_id,
    }


def _public_tokens(tokens: dict) -> dict:
    return {k: v for k, v in tokens.items() if not k.startswith("_")}


def login(runtime: Runtime, email: str, password: str, *, client_ip: str | None) -> dict:
    policy = policy_of(runtime)
    check_rate(runtime, "login", [
        ("ip", client_ip, policy.rate_login_per_ip),
        ("email", email, policy.rate_login_per_email),
    ])
    keys = _failure_keys(email, client_ip)
    with runtime.db.transaction() as cur:
        _refuse_while_blocked(cur, keys)
        row = store.member_credentials_by_email(cur, email)
    if row is None or row["status"] == "deleted":
        passwords.verify_password(passwords.dummy_hash(policy.argon2_profile), password,
                                  policy.argon2_profile)
        _failed_login(runtime, keys)
    if not passwords.verify_password(row["password_hash"], password, policy.argon2_profile):
        _failed_login(runtime, keys)
    if row.get("suspended_at") is not None:
        raise ApiError(403, "This account is suspended; ask an admin.", "account_suspended")
    if row["status"] == "rejected":
        reason = row.get("reject_reason") or ""
        raise ApiError(403, f"Your request to join was not accepted. The admins said: {reason}",
                       "membership_rejected", fields={"reason": [reason]})
    with runtime.db.transaction() as cur:
        store.clear_login_failures(cur, keys[0])
        if passwords.needs_rehash(row["password_hash"], policy.argon2_profile):
            store.set_password_hash(cur, row["id"],
                                    passwords.hash_password(password, policy.argon2_profile))
        return _public_tokens(_issue_tokens(runtime, cur, row))


def _failure_keys(email: str, client_ip: str | None) -> list[str]:
    """[account at this address, this address]: an attacker elsewhere slows down only their
    own attempts at the account, never the owner's from another address."""
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    address = client_ip or "unknown"
    return [f"account:{account}@{address}", f"address:{address}"]


def _refuse_while_blocked(cur, keys: list[str]) -> None:
    left = store.login_blocked_for(cur, keys)
    if left > 0:
        retry = max(1, int(left + 0.999))
        raise ApiError(429, f"Too many failed logins; try again in {retry} s.",
                       "too_many_failures", headers={"Retry-After": str(retry)})


def _failed_login(runtime: Runtime, keys: list[str]):
    """Record the failure (each one past the free ones doubles the wait) and answer 401."""
    policy = policy_of(runtime)
    if policy.rate_limits:
        with runtime.db.transaction() as cur:
            store.record_login_failure(cur, keys[0], policy.login_free_failures,
                                       policy.login_delay_cap_s, 3600)
            store.record_login_failure(cur, keys[1], policy.login_free_failures_per_ip,
                                       policy.login_delay_cap_s, 3600)
            if secrets.randbelow(200) == 0:
                store.prune_login_failures(cur, 86400)
    raise ApiError(401, "Wrong email address or password.", "invalid_credentials")


def refresh(runtime: Runtime, refresh_token: str) -> dict:
    """Rotate a refresh token: the old one dies, a new one (same session) is handed out. A
    rotated token presented again means it leaked: the whole session is revoked."""
    invalid = ApiError(401, "The refresh token is not valid.", "invalid_token",
                       fields={"refresh_token": ["Not valid, expired or revoked."]})
    reused = False
    with runtime.db.transaction() as cur:
        row = store.refresh_token_for_update(cur, _digest(refresh_token))
        if row is None or row["expired"]:
            raise invalid
        if row["revoked_at"] is not None:
            if row["replaced_by"] is not None:
                store.revoke_refresh_family(cur, row["family_id"])
                reused = True
            else:
                raise invalid
        else:
            member = store.member_by_id(cur, row["member_id"])
            if member is None or member["status"] == "deleted" or member["suspended_at"]:
                raise invalid
            tokens = _issue_tokens(runtime, cur, member, family_id=row["family_id"])
            store.revoke_refresh_token(cur, row["id"], replaced_by=tokens["_refresh_id"])
            return _public_tokens(tokens)
    if reused:  # committed the revocation of the session before answering
        raise ApiError(401, "This refresh token was already used; the session is revoked.",
                       "refresh_token_reused", fields={"refresh_token": ["Already used."]})
    raise invalid


def logout(runtime: Runtime, refresh_token: str, *, everywhere: bool = False) -> None:
    with runtime.db.transaction() as cur:
        row = store.refresh_token_for_update(cur, _digest(refresh_token))
        if row is None:
            raise ApiError(401, "The refresh token is not valid.", "invalid_token",
                           fields={"refresh_token": ["Not valid."]})
        live = row["revoked_at"] is None and not row["expired"]
        if everywhere:
            if not live:  # a dead token may end its own session, never all of them
                raise ApiError(401, "The refresh token is not valid.", "invalid_token",
                               fields={"refresh_token": ["Expired or revoked."]})
            _end_sessions(cur, row["member_id"])
        else:
            store.revoke_refresh_family(cur, row["family_id"])
            _announce_ended(cur, row["member_id"], [row["family_id"]])


def sessions(runtime: Runtime, identity: Identity) -> list[dict]:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        return store.member_sessions(cur, member["id"])


def end_session(runtime: Runtime, identity: Identity, session_id) -> None:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        if not store.revoke_member_family(cur, member["id"], session_id):
            raise ApiError(404, "No such open session.", "not_found")
        _announce_ended(cur, member["id"], [session_id])


def change_password(runtime: Runtime, identity: Identity, current: str, new: str) -> dict:
    policy = policy_of(runtime)
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        stored = store.member_password_hash(cur, member["id"])
    if not passwords.verify_password(stored, current, policy.argon2_profile):
        raise ApiError(422, "The current password is not right.", "wrong_password",
                       fields={"current_password": ["Not your current password."]})
    _check_strength(policy, new, member, field="new_password")
    new_hash = passwords.hash_password(new, policy.argon2_profile)
    with runtime.db.transaction() as cur:
        store.set_password_hash(cur, member["id"], new_hash)
        _end_sessions(cur, member["id"])
        return _public_tokens(_issue_tokens(runtime, cur, member))


def _check_strength(policy: Policy, password: str, member: dict, field: str) -> None:
    problems = passwords.strength_problems(
        password, email=member["email"], display_name=member["display_name"],
        min_length=policy.password_min_length,
    )
    if problems:
        raise ApiError(422, "The password is too weak.", "weak_password",
                       fields={field: problems})


def request_password_reset(runtime: Runtime, email: str, *, client_ip: str | None) -> None:
    """Always answers the same, whether or not the address is registered."""
    policy = policy_of(runtime)
    check_rate(runtime, "password reset", [
        ("ip", client_ip, policy.rate_login_per_ip),
        ("email", email, 5),
    ])
    with runtime.db.transaction() as cur:
        row = store.member_credentials_by_email(cur, email)
        if row is None or row["status"] == "deleted":
            return
        token, token_hash = _new_secret()
        store.expire_tokens(cur, row["id"], "reset_password")
        store.insert_token(cur, token_hash, row["id"], "reset_password",
                           _now() + policy.reset_ttl, row["email"])
        emit(cur, "members.member.password_reset_requested", {
            "member_id": row["id"], "email": row["email"],
            "sealed_token": seal(runtime.settings.secret_key, "reset_password", token),
            "language": row["language"],
        })


def reset_password(runtime: Runtime, token: str, password: str) -> dict:
    policy = policy_of(runtime)
    invalid = ApiError(400, "This reset link is not valid or has expired.", "invalid_token",
                       fields={"token": ["Not valid or expired."]})
    with runtime.db.transaction() as cur:
        cur.execute("SELECT member_id FROM member_tokens WHERE token_hash = %s"
                    " AND purpose = 'reset_password' AND used_at IS NULL AND expires_at > now()",
                    (_digest(token),))
        found = cur.fetchone()
        member = store.member_by_id(cur, found["member_id"]) if found else None
    if member is None or member["status"] == "deleted":
        raise invalid
    _check_strength(policy, password, member, field="password")
    new_hash = passwords.hash_password(password, policy.argon2_profile)
    with runtime.db.transaction() as cur:
        taken = store.take_token(cur, _digest(token), "reset_password")
        if taken is None:
            raise invalid
        store.set_password_hash(cur, member["id"], new_hash)
        # the link reached this address: it is proven (members added by an admin start here)
        if ((taken.get("email") or "").lower() == member["email"].lower()
                and store.mark_email_verified(cur, member["id"])):
            emit(cur, "members.member.verified",
                 {"member_id": member["id"], "email": member["email"]})
        _end_sessions(cur, member["id"])
    return {"status": "password_reset"}


# --- the member's own data ------------------------------------------------------------------

def _membership_view(cur, member_id) -> dict:
    chapters = store.direct_chapters_of(cur, member_id)
    return {
        "chapters": [
            {"id": c["id"], "name": c["name"], "level": c["level"], "joined_at": c["joined_at"]}
            for c in chapters
        ],
        "chapter_ids": store.effective_chapter_ids(cur, member_id),
        "currents": [
            {"id": c["id"], "name": c["name"], "joined_at": c["joined_at"]}
            for c in store.currents_of(cur, member_id)
        ],
        "mandates": [_mandate_view(m) for m in store.active_mandates_of(cur, member_id)],
    }


def _profile(member: dict) -> dict:
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


def me(runtime: Runtime, identity: Identity) -> dict:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        result = _profile(member)
        result["admin"] = store.is_admin(cur, member["id"])
        result["vouches"] = store.count_vouches(cur, member["id"])
        result.update(_membership_view(cur, member["id"]))
    policy = policy_of(runtime)
    result["vouches_required"] = policy.vouches_required
    result["vouching_enabled"] = policy.vouching_enabled
    return result


def correct_me(runtime: Runtime, identity: Identity, changes: dict) -> dict:
    """Correct one's own data. A new email address needs the current password; the old
    address is told of the change and the new one has to be verified again."""
    changes = dict(changes)
    password = changes.pop("current_password", None)
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
    if "email" in changes and changes["email"].lower() != member["email"].lower():
        _check_current_password(runtime, member, password)
    with runtime.db.transaction() as cur:
        member = store.member_by_id(cur, member["id"], for_update=True)
        updates = {k: v for k, v in changes.items() if v != member.get(k)}
        email_changed = "email" in updates and updates["email"].lower() != member["email"].lower()
        if email_changed and password is None:  # changed between the two transactions
            raise ApiError(409, "The account changed meanwhile; try again.", "conflict")
        if "email" in updates and store.email_taken(cur, updates["email"], member["id"]):
            raise ApiError(409, "An account with this email address already exists.",
                           "email_taken", fields={"email": ["Already registered."]})
        if email_changed:
            updates["email_verified_at"] = None
        updated = store.update_member(cur, member["id"], updates)
        if {"email", "phone", "language", "display_name"} & set(updates):
            emit(cur, "members.member.contact_changed", contact_data(updated))
        if email_changed:
            emit(cur, "members.member.email_changed", {
                "member_id": member["id"], "old_email": member["email"],
                "language": updated["language"]})
            store.insert_audit(cur, action="member.email_changed", actor_id=member["id"],
                               member_id=member["id"])
            _send_verification(runtime, cur, updated)
    return me(runtime, identity)


def _check_current_password(runtime: Runtime, member: dict, password: str | None) -> None:
    policy = policy_of(runtime)
    if not password:
        raise ApiError(422, "Changing the email address needs your current password.",
                       "validation_failed",
                       fields={"current_password": ["Required to change the email address."]})
    with runtime.db.transaction() as cur:
        stored = store.member_password_hash(cur, member["id"])
    if not passwords.verify_password(stored, password, policy.argon2_profile):
        raise ApiError(422, "The current password is not right.", "wrong_password",
                       fields={"current_password": ["Not your current password."]})


def export_me(runtime: Runtime, identity: Identity) -> dict:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        data = {
            "exported_at": _now(),
            "profile": _profile(member),
            "admin": store.is_admin(cur, member["id"]),
            **_membership_view(cur, member["id"]),
            "mandate_history": [_mandate_view(m) for m in
                                store.list_mandates(cur, member_id=member["id"],
                                                    active_only=False, limit=1000)],
            "vouches": store.vouches_of(cur, member["id"]),
            "sessions": store.member_sessions(cur, member["id"]),
            "audit": store.list_audit(cur, member_id=member["id"], limit=1000),
        }
        cur.execute("SELECT id, chapter_id, held_on, note, created_at FROM meetings"
                    " WHERE recorded_by = %s ORDER BY held_on", (member["id"],))
        data["meetings_recorded"] = cur.fetchall()
    return data


def delete_me(runtime: Runtime, identity: Identity, password: str) -> None:
    """Anonymise the member: memberships end, mandates are revoked, identifying data goes;
    the row stays (country, gender, dates) so aggregate figures of the past remain right."""
    policy = policy_of(runtime)
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        stored = store.member_password_hash(cur, member["id"])
    if not passwords.verify_password(stored, password, policy.argon2_profile):
        raise ApiError(422, "The password is not right.", "wrong_password",
                       fields={"password": ["Not your password."]})
    with runtime.db.transaction() as cur:
        member = store.member_by_id(cur, member["id"], for_update=True)
        if member["status"] == "deleted":
            return
        member_id = member["id"]
        mandates = store.active_mandates_of(cur, member_id)
        if any(m["role"] == "admin" for m in mandates) and store.count_active_admins(cur) <= 1:
            raise ApiError(409, "You are the last admin: grant the admin mandate to someone "
                           "else before deleting your account.", "last_admin")
        for mandate in mandates:
            _revoke(cur, mandate, actor_id=member_id, reason="account deleted")
        ancestors = store.chapter_ancestor_map(cur)
        for chapter in store.direct_chapters_of(cur, member_id):
            store.delete_membership(cur, member_id, chapter["id"])
            emit(cur, "members.membership.left", {
                "member_id": member_id, "chapter_id": chapter["id"],
                "ancestors": ancestors.get(chapter["id"], []),
            })
        for current in store.currents_of(cur, member_id):
            store.delete_current_membership(cur, member_id, current["id"])
            emit(cur, "members.current_membership.left",
                 {"member_id": member_id, "current_id": current["id"]})
        store.anonymise_member(cur, member_id)
        _end_sessions(cur, member_id)
        revocation.block(cur, member_id, "deleted")
        emit(cur, "members.member.deleted", {"member_id": member_id})


# --- activation: approval and vouching ------------------------------------------------------

def _activate(cur, member: dict, by: str, actor_id=None) -> dict:
    activated = store.activate_member(cur, member["id"], by)
    if activated is None:
        return store.member_by_id(cur, member["id"])
    emit(cur, "members.member.activated", {
        "member_id": member["id"],
        "by": by,
        "chapter_ids": store.effective_chapter_ids(cur, member["id"]),
        "current_ids": [c["id"] for c in store.currents_of(cur, member["id"])],
    })
    store.insert_audit(cur, action=f"member.activated_by_{by}", actor_id=actor_id,
                       member_id=member["id"])
    return activated


def approve(runtime: Runtime, identity: Identity, member_id) -> dict:
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        member = store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        member = _activate(cur, member, "admin", actor_id=admin["id"])
    return {"id": member["id"], "status": member["status"],
            "activated_at": member["activated_at"]}


def add_member(runtime: Runtime, identity: Identity, data: dict, *, dry_run: bool) -> dict:
    """An admin adds a member (imports). The account has no usable password: the member gets
    a mail saying an admin added them, with a link (valid EMAIL_VERIFY_TTL_HOURS) to choose a
    password — the reset-password path, which also proves the address. With dry_run every check
    runs (admin, address free, chapter exists) and the transaction is rolled back."""
    policy = policy_of(runtime)
    unusable = passwords.hash_password(secrets.token_urlsafe(32), policy.argon2_profile)
    token, token_hash = _new_secret()
    try:
        with runtime.db.transaction() as cur:
            admin = _require_admin(cur, identity)
            member = store.insert_member(
                cur, email=data["email"], password_hash=unusable,
                display_name=data["display_name"], country=data["country"],
                language=data.get("language"), phone=data.get("phone"),
                introduction=data.get("introduction"))
            if member is None:
                raise ApiError(409, "An account with this email address already exists.",
                               "email_taken", fields={"email": ["Already registered."]})
            chapters = _place_in_chapter(cur, member["id"], data.get("chapter_id"))
            if data.get("approve"):
                member = _activate(cur, member, "admin", actor_id=admin["id"])
            store.insert_token(cur, token_hash, member["id"], "reset_password",
                               _now() + policy.verify_ttl, member["email"])
            _announce_added(runtime, cur, member, token)
            store.insert_audit(cur, action="member.added_by_admin", actor_id=admin["id"],
                               member_id=member["id"])
            view = {"id": None if dry_run else member["id"], "email": member["email"],
                    "status": member["status"], "chapter_id": data.get("chapter_id"),
                    "chapters": chapters, "mail": "welcome", "dry_run": dry_run}
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
    chapter = store.chapter_by_id(cur, chapter_id)
    if chapter is None:
        raise ApiError(422, f"Unknown chapter {chapter_id}.", "validation_failed",
                       fields={"chapter_id": ["No such chapter."]})
    ancestors = [a["id"] for a in store.ancestors_of(cur, chapter_id)]
    _join(cur, member_id, chapter_id, ancestors)
    return [chapter["name"]]


def _announce_added(runtime: Runtime, cur, member: dict, token: str) -> None:
    emit(cur, "members.member.registered", {
        "member_id": member["id"], "email": member["email"],
        "display_name": member["display_name"], "country": member["country"],
        "language": member["language"], "phone": member["phone"], "status": member["status"],
        "verification_token": None, "verification_sealed": None,
    })
    emit(cur, "members.member.password_reset_requested", {
        "member_id": member["id"], "email": member["email"], "welcome": True,
        "sealed_token": seal(runtime.settings.secret_key, "reset_password", token),
        "language": member["language"],
    })


def vouch(runtime: Runtime, identity: Identity, member_id, note: str | None) -> dict:
    """Vouch for a pending member. A member vouches for at most VOUCH_LIMIT members per
    VOUCH_WINDOW_DAYS; a vouch from a member who was vouched in within the window is recorded
    (admins see it) but does not count towards activation."""
    policy = policy_of(runtime)
    with runtime.db.transaction() as cur:
        voucher = _caller(cur, identity, active=True)
        if not policy.vouching_enabled:
            raise ApiError(409, "Vouching is not how members are activated here: an admin "
                           "approves new members.", "vouching_disabled")
        member = store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        if member["id"] == voucher["id"]:
            raise ApiError(403, "You cannot vouch for yourself.", "forbidden")
        if member["status"] == "pending":
            _record_vouch(cur, policy, voucher, member, note)
        count = store.count_vouches(cur, member["id"])
        if member["status"] == "pending" and count >= policy.vouches_required:
            member = _activate(cur, member, "vouch", actor_id=voucher["id"])
    return {"id": member["id"], "status": member["status"], "vouches": count,
            "vouches_required": policy.vouches_required}


def _record_vouch(cur, policy: Policy, voucher: dict, member: dict, note) -> None:
    since = _now() - policy.vouch_window
    store.member_by_id(cur, voucher["id"], for_update=True)  # one voucher's vouches in turn
    if store.count_vouches_given(cur, voucher["id"], since) >= policy.vouch_limit:
        days = policy.vouch_window.days
        raise ApiError(409, f"You have vouched for {policy.vouch_limit} members in the last "
                       f"{days} days, the most one member may.", "vouch_limit_reached")
    if not store.insert_vouch(cur, member["id"], voucher["id"], note):
        return
    fresh = voucher["activated_by"] == "vouch" and voucher["activated_at"] is not None \
        and voucher["activated_at"] > since
    if fresh:  # vouched in recently themselves: a chain of new accounts cannot mint voters
        store.mark_vouch_uncounted(cur, member["id"], voucher["id"])
    store.insert_audit(cur, action="member.vouched", actor_id=voucher["id"],
                       member_id=member["id"], detail={"counted": not fresh})


def vouches_of_member(runtime: Runtime, identity: Identity, member_id) -> dict:
    """Every vouch a member received and gave (admins)."""
    with runtime.db.transaction() as cur:
        _require_admin(cur, identity)
        if store.member_by_id(cur, member_id) is None:
            raise ApiError(404, "No such member.", "not_found")
        return {"member_id": member_id, **store.vouches_for_admin(cur, member_id)}


def suspend(runtime: Runtime, identity: Identity, member_id, reason: str | None) -> dict:
    """Suspend an account (admins): its sessions end and its tokens stop working at once."""
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        if member_id == admin["id"]:
            raise ApiError(409, "You cannot suspend yourself.", "conflict")
        member = store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        if member["suspended_at"] is not None:
            raise ApiError(409, "This account is suspended already.", "already_suspended")
        member = store.set_suspended(cur, member_id, reason)
        _end_sessions(cur, member_id)
        revocation.block(cur, member_id, "suspended")
        store.insert_audit(cur, action="member.suspended", actor_id=admin["id"],
                           member_id=member_id, detail={"reason": reason})
        emit(cur, "members.member.suspended", {"member_id": member_id, "reason": reason})
    return _suspension_view(member)


def restore(runtime: Runtime, identity: Identity, member_id) -> dict:
    """Lift a suspension (admins): the member may log in again (old tokens stay dead)."""
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        member = store.clear_suspended(cur, member_id)
        if member is None:
            raise ApiError(409, "This account is not suspended.", "not_suspended")
        revocation.unblock(cur, member_id)
        store.insert_audit(cur, action="member.restored", actor_id=admin["id"],
                           member_id=member_id)
        emit(cur, "members.member.restored", {"member_id": member_id})
    return _suspension_view(member)


def _suspension_view(member: dict) -> dict:
    return {"id": member["id"], "status": member["status"],
            "suspended": member["suspended_at"] is not None,
            "suspended_at": member["suspended_at"], "suspend_reason": member["suspend_reason"]}


def pending_members(runtime: Runtime, identity: Identity, limit: int, offset: int) -> list:
    with runtime.db.transaction() as cur:
        _caller(cur, identity, active=True)
        return store.list_pending_with_vouches(cur, limit, offset)


def list_members(runtime: Runtime, identity: Identity, *, status, query, limit, offset,
                 country=None, chapter_id=None, suspended=None):
    with runtime.db.transaction() as cur:
        _require_admin(cur, identity)
        return [_profile(m) for m in store.list_members(
            cur, status=status, query=query, limit=limit, offset=offset, country=country,
            chapter_id=chapter_id, suspended=suspended)]


def reject(runtime: Runtime, identity: Identity, member_id, reason: str) -> dict:
    """Refuse a pending member (admins): the reason is what they read when they log in."""
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        member = store.member_by_id(cur, member_id, for_update=True)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        member = store.set_rejected(cur, member_id, reason)
        if member is None:
            raise ApiError(409, "Only a pending member can be refused.", "not_pending")
        _end_sessions(cur, member_id)
        revocation.block(cur, member_id, "rejected")
        store.insert_audit(cur, action="member.rejected", actor_id=admin["id"],
                           member_id=member_id, detail={"reason": reason})
    return {"id": member["id"], "status": member["status"],
            "reject_reason": member["reject_reason"], "rejected_at": member["rejected_at"]}


def member_profile(runtime: Runtime, identity: Identity, member_id) -> dict:
    """What other members see of a member: name, country, status, chapters, mandates. Admins
    see the email address too; nobody sees another member's gender."""
    with runtime.db.transaction() as cur:
        caller = _caller(cur, identity, active=True)
        member = store.member_by_id(cur, member_id)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        view = {
            "id": member["id"], "display_name": member["display_name"],
            "country": member["country"], "status": member["status"],
            "introduction": member["introduction"], "created_at": member["created_at"],
        }
        if store.is_admin(cur, caller["id"]):
            view["email"] = member["email"]
        memberships = _membership_view(cur, member["id"])
        view["chapters"] = memberships["chapters"]
        view["mandates"] = memberships["mandates"]
    return view


# --- chapters -------------------------------------------------------------------------------

def _chapter_view(chapter: dict, status: dict | None = None) -> dict:
    view = {k: chapter[k] for k in ("id", "parent_id", "name", "level", "country", "place",
                                    "continent", "description", "founded_on", "created_at")}
    if status is not None:
        view["member_count"] = status["members"]
        view["working"] = status["working"]
    return view


def _statuses(runtime: Runtime, cur, chapter_ids=None) -> dict:
    policy = policy_of(runtime)
    today = _now().date()
    return {row["chapter_id"]: working_status(row, policy, today)
            for row in store.chapter_figures(cur, chapter_ids)}


def list_chapters(runtime: Runtime, *, query=None, level=None, country=None, parent_id=None,
                  root_only=False, limit=50, offset=0, sort="newest") -> list[dict]:
    with runtime.db.transaction() as cur:
        rows = store.list_chapters(cur, query=query, level=level, country=country,
                                   parent_id=parent_id, root_only=root_only, limit=limit,
                                   offset=offset, sort=sort)
        statuses = _statuses(runtime, cur, [r["id"] for r in rows]) if rows else {}
    return [_chapter_view(r, statuses.get(r["id"])) for r in rows]


def _continent_for(data: dict, country: str | None) -> str | None:
    continent = data.get("continent")
    if continent:
        return continent
    return geo.continent_of(country)


def found_chapter(runtime: Runtime, identity: Identity, data: dict) -> dict:
    with runtime.db.transaction() as cur:
        founder = _caller(cur, identity, active=True)
        level = data["level"]
        parent = None
        if data.get("parent_id") is not None:
            parent = store.chapter_by_id(cur, data["parent_id"])
            if parent is None:
                raise ApiError(422, "The parent chapter does not exist.", "validation_failed",
                               fields={"parent_id": ["No such chapter."]})
            if LEVEL_RANK[parent["level"]] >= LEVEL_RANK[level]:
                raise ApiError(422, f"A {level} chapter cannot sit under a {parent['level']} "
                               "one.", "validation_failed",
                               fields={"parent_id": ["Must be a chapter of a higher level."]})
        if level == "international" and parent is not None:
            raise ApiError(422, "An international chapter has no parent.", "validation_failed",
                           fields={"parent_id": ["Must be empty for an international chapter."]})
        if level != "local":
            scope = parent["id"] if parent else None
            allowed = store.is_admin(cur, founder["id"]) or (
                scope is not None and _may_steward(cur, founder["id"], scope, include_self=True)
            )
            if not allowed:
                raise ApiError(403, "Only admins and coordinators of a chapter above it may "
                               f"found a {level} chapter.", "forbidden")
        country = data.get("country") or (parent["country"] if parent else None)
        if level != "international" and country is None:
            raise ApiError(422, "Which country is this chapter in?", "validation_failed",
                           fields={"country": ["Required for a national, regional or local "
                                               "chapter."]})
        chapter = store.insert_chapter(
            cur, name=data["name"], level=level, parent_id=parent["id"] if parent else None,
            country=country, place=data.get("place"),
            continent=_continent_for(data, country), description=data.get("description"),
            founded_on=data.get("founded_on"), founded_by=founder["id"],
        )
        ancestors = [a["id"] for a in store.ancestors_of(cur, chapter["id"])]
        emit(cur, "members.chapter.founded", {
            "chapter_id": chapter["id"], "parent_id": chapter["parent_id"],
            "name": chapter["name"], "level": chapter["level"], "country": chapter["country"],
            "place": chapter["place"], "continent": chapter["continent"],
            "founded_on": chapter["founded_on"], "ancestors": ancestors,
        })
        store.insert_audit(cur, action="chapter.founded", actor_id=founder["id"],
                           chapter_id=chapter["id"], detail={"level": level})
        if level == "local":
            # Whoever founds a local chapter is its first member and coordinator.
            _join(cur, founder["id"], chapter["id"], ancestors)
            _grant(cur, member_id=founder["id"], role="coordinator", chapter_id=chapter["id"],
                   starts_at=None, ends_at=None, actor_id=founder["id"],
                   note="founder of the chapter")
        status = _statuses(runtime, cur, [chapter["id"]]).get(chapter["id"])
    return _chapter_view(chapter, status)


def chapter_page(runtime: Runtime, chapter_id, identity: Identity | None,
                 depth: int | None = None) -> dict:
    with runtime.db.transaction() as cur:
        chapter = _chapter_or_404(cur, chapter_id)
        subtree = store.subtree_of(cur, chapter_id, max_depth=64 if depth is None else depth)
        statuses = _statuses(runtime, cur, [c["id"] for c in subtree])
        view = _chapter_view(chapter, statuses.get(chapter["id"]))
        view["status"] = statuses.get(chapter["id"])
        view["ancestors"] = store.ancestors_of(cur, chapter_id)
        nodes = {c["id"]: {**_chapter_view(c, statuses.get(c["id"])), "children": []}
                 for c in subtree}
        for c in subtree[1:]:
            nodes[c["parent_id"]]["children"].append(nodes[c["id"]])
        view["children"] = nodes[chapter["id"]]["children"]
        view["coordinators"] = [
            {"member_id": m["member_id"], "display_name": m["member_name"],
             "mandate_id": m["id"], "since": m["starts_at"]}
            for m in store.list_mandates(cur, chapter_id=chapter_id, role="coordinator")
            if m["active"]
        ]
        if identity is not None:
            caller = _caller(cur, identity)
            if caller["status"] == "active":
                view["members"] = store.chapter_members(cur, chapter_id, limit=500)
    return view


def chapter_members(runtime: Runtime, identity: Identity, chapter_id, limit, offset) -> list:
    with runtime.db.transaction() as cur:
        _caller(cur, identity, active=True)
        _chapter_or_404(cur, chapter_id)
        return store.chapter_members(cur, chapter_id, limit=limit, offset=offset)


def update_chapter(runtime: Runtime, identity: Identity, chapter_id, changes: dict) -> dict:
    with runtime.db.transaction() as cur:
        actor = _caller(cur, identity, active=True)
        chapter = _chapter_or_404(cur, chapter_id, for_update=True)
        if not _may_steward(cur, actor["id"], chapter_id, include_self=True):
            raise ApiError(403, "Only admins and coordinators of this chapter or one above it "
                           "may change it.", "forbidden")
        moved = "parent_id" in changes and changes["parent_id"] != chapter["parent_id"]
        if moved:
            _check_move(cur, actor, chapter, changes["parent_id"])
        if "country" in changes and "continent" not in changes:
            changes["continent"] = geo.continent_of(changes["country"]) or chapter["continent"]
        updated = store.update_chapter(cur, chapter_id, changes)
        store.insert_audit(cur, action="chapter.moved" if moved else "chapter.updated",
                           actor_id=actor["id"], chapter_id=chapter_id,
                           detail={"fields": sorted(changes),
                                   **({"from_parent": str(chapter["parent_id"]),
                                       "to_parent": str(changes["parent_id"])} if moved else {})})
        if moved:
            _announce_subtree(cur, chapter_id)
        status = _statuses(runtime, cur, [chapter_id]).get(chapter_id)
    return _chapter_view(updated, status)


def _check_move(cur, actor: dict, chapter: dict, new_parent_id) -> None:
    if chapter["level"] == "international" and new_parent_id is not None:
        raise ApiError(422, "An international chapter has no parent.", "validation_failed",
                       fields={"parent_id": ["Must be empty for an international chapter."]})
    if new_parent_id is None:
        if not store.is_admin(cur, actor["id"]):
            raise ApiError(403, "Only admins may make a chapter a root.", "forbidden")
        return
    parent = store.chapter_by_id(cur, new_parent_id)
    if parent is None:
        raise ApiError(422, "The parent chapter does not exist.", "validation_failed",
                       fields={"parent_id": ["No such chapter."]})
    if parent["id"] in {c["id"] for c in store.subtree_of(cur, chapter["id"])}:
        raise ApiError(422, "A chapter cannot sit under itself or one of its sub-chapters.",
                       "cycle", fields={"parent_id": ["Would make a cycle in the tree."]})
    if LEVEL_RANK[parent["level"]] >= LEVEL_RANK[chapter["level"]]:
        raise ApiError(422, f"A {chapter['level']} chapter cannot sit under a "
                       f"{parent['level']} one.", "validation_failed",
                       fields={"parent_id": ["Must be a chapter of a higher level."]})
    if not _may_steward(cur, actor["id"], parent["id"], include_self=True):
        raise ApiError(403, "You may not move chapters under that chapter.", "forbidden")


def _join(cur, member_id, chapter_id, ancestors) -> bool:
    if not store.insert_membership(cur, member_id, chapter_id):
        return False
    emit(cur, "members.membership.joined",
         {"member_id": member_id, "chapter_id": chapter_id, "ancestors": ancestors})
    return True


def join_chapter(runtime: Runtime, identity: Identity, chapter_id) -> dict:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        store.member_by_id(cur, member["id"], for_update=True)
        _chapter_or_404(cur, chapter_id)
        ancestors = [a["id"] for a in store.ancestors_of(cur, chapter_id)]
        joined = _join(cur, member["id"], chapter_id, ancestors)
    return {"chapter_id": chapter_id, "member_id": member["id"], "member": True,
            "changed": joined, "ancestors": ancestors}


def leave_chapter(runtime: Runtime, identity: Identity, chapter_id) -> dict:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        store.member_by_id(cur, member["id"], for_update=True)
        _chapter_or_404(cur, chapter_id)
        ancestors = [a["id"] for a in store.ancestors_of(cur, chapter_id)]
        left = store.delete_membership(cur, member["id"], chapter_id)
        if left:
            emit(cur, "members.membership.left",
                 {"member_id": member["id"], "chapter_id": chapter_id, "ancestors": ancestors})
            # A coordinator who is no longer a member of their chapter stops coordinating it.
            for mandate in store.active_mandates_of(cur, member["id"]):
                if mandate["role"] == "coordinator" and not store.is_effective_member(
                        cur, member["id"], mandate["chapter_id"]):
                    _revoke(cur, mandate, actor_id=member["id"], reason="left the chapter")
    return {"chapter_id": chapter_id, "member_id": member["id"], "member": False,
            "changed": left, "ancestors": ancestors}


def chapter_status(runtime: Runtime, chapter_id) -> dict:
    with runtime.db.transaction() as cur:
        chapter = _chapter_or_404(cur, chapter_id)
        status = _statuses(runtime, cur, [chapter_id])[chapter_id]
    return {"chapter_id": chapter_id, "name": chapter["name"], **status}


def working_chapters(runtime: Runtime) -> list[dict]:
    with runtime.db.transaction() as cur:
        statuses = _statuses(runtime, cur)
        chapters = {c["id"]: c for c in store.all_chapters(cur)}
    working = [
        {**_chapter_view(chapters[cid], status), "status": status}
        for cid, status in statuses.items() if status["working"]
    ]
    working.sort(key=lambda c: (c["founded_on"], c["created_at"]), reverse=True)
    return working


def record_meeting(runtime: Runtime, identity: Identity, chapter_id, data: dict) -> dict:
    with runtime.db.transaction() as cur:
        actor = _caller(cur, identity, active=True)
        _chapter_or_404(cur, chapter_id)
        if not _may_steward(cur, actor["id"], chapter_id, include_self=True):
            raise ApiError(403, "Only coordinators of this chapter (or above) and admins "
                           "record its meetings.", "forbidden")
        if data["held_on"] > _now().date() + dt.timedelta(days=1):
            raise ApiError(422, "A meeting is recorded once it was held.", "validation_failed",
                           fields={"held_on": ["Must not be in the future."]})
        meeting = store.insert_meeting(cur, chapter_id, data["held_on"], data.get("note"),
                                       actor["id"])
        store.insert_audit(cur, action="meeting.recorded", actor_id=actor["id"],
                           chapter_id=chapter_id, detail={"held_on": str(data["held_on"])})
    return meeting


def meetings(runtime: Runtime, identity: Identity, chapter_id, limit, offset) -> list:
    with runtime.db.transaction() as cur:
        _caller(cur, identity, active=True)
        _chapter_or_404(cur, chapter_id)
        return store.list_meetings(cur, chapter_id, limit, offset)


# --- currents -------------------------------------------------------------------------------

def list_currents(runtime: Runtime, query, limit, offset) -> list:
    with runtime.db.transaction() as cur:
        return store.list_currents(cur, query, limit, offset)


def found_current(runtime: Runtime, identity: Identity, data: dict) -> dict:
    with runtime.db.transaction() as cur:
        founder = _caller(cur, identity, active=True)
        current = store.insert_current(cur, data["name"], data.get("description"),
                                       founder["id"])
        if current is None:
            raise ApiError(409, "A current with this name exists already.", "name_taken",
                           fields={"name": ["Already taken."]})
        emit(cur, "members.current.founded", {"current_id": current["id"],
                                              "name": current["name"]})
        store.insert_current_membership(cur, founder["id"], current["id"])
        emit(cur, "members.current_membership.joined",
             {"member_id": founder["id"], "current_id": current["id"]})
        return store.current_by_id(cur, current["id"])


def current_page(runtime: Runtime, current_id) -> dict:
    with runtime.db.transaction() as cur:
        current = store.current_by_id(cur, current_id)
    if current is None:
        raise ApiError(404, "No such current.", "not_found")
    return current


def join_current(runtime: Runtime, identity: Identity, current_id, join: bool) -> dict:
    with runtime.db.transaction() as cur:
        member = _caller(cur, identity)
        if store.current_by_id(cur, current_id) is None:
            raise ApiError(404, "No such current.", "not_found")
        if join:
            changed = store.insert_current_membership(cur, member["id"], current_id)
        else:
            changed = store.delete_current_membership(cur, member["id"], current_id)
        if changed:
            emit(cur, f"members.current_membership.{'joined' if join else 'left'}",
                 {"member_id": member["id"], "current_id": current_id})
    return {"current_id": current_id, "member_id": member["id"], "member": join,
            "changed": changed}


# --- mandates and the audit log -------------------------------------------------------------

def _mandate_view(m: dict) -> dict:
    return {k: m.get(k) for k in ("id", "member_id", "member_name", "role", "chapter_id",
                                  "chapter_name",
                                  "starts_at", "ends_at", "granted_by", "granted_at", "note",
                                  "revoked_at", "revoked_by", "revoke_reason", "active")}


def _grant(cur, *, member_id, role, chapter_id, starts_at, ends_at, actor_id, note) -> dict:
    mandate = store.insert_mandate(cur, member_id=member_id, role=role, chapter_id=chapter_id,
                                   starts_at=starts_at, ends_at=ends_at, granted_by=actor_id,
                                   note=note)
    store.insert_audit(cur, action="mandate.granted", actor_id=actor_id, member_id=member_id,
                       mandate_id=mandate["id"], role=role, chapter_id=chapter_id,
                       detail={"starts_at": mandate["starts_at"].isoformat(),
                               "ends_at": mandate["ends_at"].isoformat()
                               if mandate["ends_at"] else None, "note": note})
    emit(cur, "members.mandate.granted", mandate_data(mandate))
    return mandate


def _revoke(cur, mandate: dict, *, actor_id, reason) -> None:
    store.revoke_mandate(cur, mandate["id"], actor_id, reason)
    store.insert_audit(cur, action="mandate.revoked", actor_id=actor_id,
                       member_id=mandate["member_id"], mandate_id=mandate["id"],
                       role=mandate["role"], chapter_id=mandate["chapter_id"],
                       detail={"reason": reason})
    emit(cur, "members.mandate.revoked", mandate_data(mandate))


def end_mandate(cur, mandate: dict, *, ends_at, reason: str, detail: dict | None = None) -> bool:
    """The mandate's term is over at `ends_at` ("term": it passed; "superseded": a new delegate
    election): recorded, audited and announced with `members.mandate.ended` exactly once."""
    ended = store.mark_mandate_ended(cur, mandate["id"], ends_at)
    if ended is None:
        return False
    store.insert_audit(cur, action="mandate.ended", member_id=ended["member_id"],
                       mandate_id=ended["id"], role=ended["role"],
                       chapter_id=ended["chapter_id"],
                       detail={"reason": reason, "ends_at": ended["ends_at"].isoformat(),
                               **(detail or {})})
    emit(cur, "members.mandate.ended", {**mandate_data(ended), "reason": reason})
    return True


def end_due_mandates(runtime: Runtime, now: dt.datetime | None = None) -> int:
    """Announce every mandate whose `ends_at` has passed, once (the worker calls this
    periodically; concurrent workers skip each other's rows)."""
    now = now or dt.datetime.now(dt.UTC)
    ended = 0
    with runtime.db.transaction() as cur:
        for mandate in store.mandates_ending(cur, now):
            ended += end_mandate(cur, mandate, ends_at=mandate["ends_at"], reason="term")
    return ended


def grant_mandate(runtime: Runtime, identity: Identity, data: dict) -> dict:
    with runtime.db.transaction() as cur:
        actor = _caller(cur, identity, active=True)
        role, chapter_id = data["role"], data.get("chapter_id")
        if role == "admin":
            if chapter_id is not None:
                raise ApiError(422, "An admin mandate is for the whole organisation.",
                               "validation_failed",
                               fields={"chapter_id": ["Must be empty for the admin role."]})
            if not store.is_admin(cur, actor["id"]):
                raise ApiError(403, "Only admins may grant the admin mandate.", "forbidden")
        else:
            if chapter_id is None:
                raise ApiError(422, "A coordinator mandate is for a chapter.",
                               "validation_failed",
                               fields={"chapter_id": ["Required for the coordinator role."]})
            if store.chapter_by_id(cur, chapter_id) is None:
                raise ApiError(422, "No such chapter.", "validation_failed",
                               fields={"chapter_id": ["No such chapter."]})
            if not _may_steward(cur, actor["id"], chapter_id, include_self=False):
                raise ApiError(403, "Only admins and coordinators of a chapter above this one "
                               "may grant its coordinator mandate.", "forbidden")
        grantee = store.member_by_id(cur, data["member_id"])
        if grantee is None or grantee["status"] != "active":
            raise ApiError(422, "Mandates go to active members.", "validation_failed",
                           fields={"member_id": ["Not an active member."]})
        if role == "coordinator" and not store.is_effective_member(cur, grantee["id"],
                                                                   chapter_id):
            raise ApiError(422, "A coordinator must be a member of the chapter.",
                           "validation_failed",
                           fields={"member_id": ["Not a member of this chapter."]})
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if ends_at is not None and ends_at <= (starts_at or _now()):
            raise ApiError(422, "A mandate must end after it starts.", "validation_failed",
                           fields={"ends_at": ["Must be after the start."]})
        existing = store.list_mandates(cur, member_id=grantee["id"], role=role,
                                       chapter_id=chapter_id)
        if any(m["chapter_id"] == chapter_id for m in existing):
            raise ApiError(409, "This member already holds this mandate.", "conflict")
        mandate = _grant(cur, member_id=grantee["id"], role=role, chapter_id=chapter_id,
                         starts_at=starts_at, ends_at=ends_at, actor_id=actor["id"],
                         note=data.get("note"))
        mandate["member_name"] = grantee["display_name"]
    return _mandate_view(mandate)


def revoke_mandate(runtime: Runtime, identity: Identity, mandate_id, reason) -> dict:
    with runtime.db.transaction() as cur:
        actor = _caller(cur, identity)
        mandate = store.mandate_by_id(cur, mandate_id, for_update=True)
        if mandate is None:
            raise ApiError(404, "No such mandate.", "not_found")
        own = mandate["member_id"] == actor["id"]
        if not own:
            if actor["status"] != "active":
                raise ApiError(403, "Only active members may do this.", "not_active")
            if mandate["role"] == "admin":
                allowed = store.is_admin(cur, actor["id"])
            else:
                allowed = _may_steward(cur, actor["id"], mandate["chapter_id"],
                                       include_self=False)
            if not allowed:
                raise ApiError(403, "You may not revoke this mandate.", "forbidden")
        if mandate["revoked_at"] is not None:
            raise ApiError(409, "This mandate was revoked already.", "already_revoked")
        if mandate["role"] == "admin" and mandate["active"] and store.count_active_admins(cur) <= 1:
            raise ApiError(409, "This is the last admin mandate; grant another first.",
                           "last_admin")
        _revoke(cur, mandate, actor_id=actor["id"],
                reason=reason or ("resigned" if own else None))
        return _mandate_view(store.mandate_by_id(cur, mandate_id))


def list_mandates(runtime: Runtime, *, member_id=None, chapter_id=None, role=None,
                  active_only=True, limit=100, offset=0) -> list:
    with runtime.db.transaction() as cur:
        rows = store.list_mandates(cur, member_id=member_id, chapter_id=chapter_id, role=role,
                                   active_only=active_only, limit=limit, offset=offset)
    return [_mandate_view(m) for m in rows]


# Words in a detail key that mark what members may not see of each other (an address, a
# phone number, where a request came from, a secret): such keys never leave the audit view.
PRIVATE_DETAIL = re.compile(r"e_?mail|address|(^|_)ip($|_)|phone|token|password|secret|"
                            r"agent|gender|birth|forwarded", re.IGNORECASE)


def _public_detail(value):
    if isinstance(value, dict):
        return {k: _public_detail(v) for k, v in value.items()
                if not PRIVATE_DETAIL.search(str(k))}
    if isinstance(value, list):
        return [_public_detail(v) for v in value]
    return value


def audit_log(runtime: Runtime, identity: Identity, *, chapter_id=None, member_id=None,
              limit=100, before=None):
    """The log of acts of office, for active members: names as members see each other's,
    never an address, a phone number, a client address or a secret kept in an entry's
    detail."""
    with runtime.db.transaction() as cur:
        _caller(cur, identity, active=True)
        rows = store.list_audit(cur, chapter_id=chapter_id, member_id=member_id, limit=limit,
                                before=before)
    return [{**row, "detail": _public_detail(row.get("detail") or {})} for row in rows]


# --- figures and targets --------------------------------------------------------------------

def organisation_figures(runtime: Runtime) -> dict:
    with runtime.db.transaction() as cur:
        return _figures(runtime, cur)


def _figures(runtime: Runtime, cur) -> dict:
    raw = store.organisation_figures(cur)
    statuses = _statuses(runtime, cur)
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
        "continent_names": sorted(geo.CONTINENTS[c] for c in continents),
        "chapters": len(statuses),
        "working_chapters": sum(1 for s in statuses.values() if s["working"]),
    }


def targets(runtime: Runtime) -> list[dict]:
    with runtime.db.transaction() as cur:
        rows = store.list_targets(cur)
        if not rows:
            return []
        figures = _figures(runtime, cur)
    return [evaluate_target(t, figures[t["kind"]]) for t in rows]


def define_target(runtime: Runtime, identity: Identity, data: dict) -> dict:
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        row = store.insert_target(cur, name=data["name"], kind=data["kind"],
                                  target=data["target"], deadline=data.get("deadline"),
                                  position=data.get("position", 0), created_by=admin["id"])
        store.insert_audit(cur, action="target.defined", actor_id=admin["id"],
                           detail={"target_id": str(row["id"]), "name": row["name"],
                                   "kind": row["kind"], "target": number(row["target"])})
        figures = _figures(runtime, cur)
    return evaluate_target(row, figures[row["kind"]])


def change_target(runtime: Runtime, identity: Identity, target_id, changes: dict) -> dict:
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        row = store.update_target(cur, target_id, changes)
        if row is None:
            raise ApiError(404, "No such target.", "not_found")
        store.insert_audit(cur, action="target.changed", actor_id=admin["id"],
                           detail={"target_id": str(target_id), "fields": sorted(changes)})
        figures = _figures(runtime, cur)
    return evaluate_target(row, figures[row["kind"]])


def remove_target(runtime: Runtime, identity: Identity, target_id) -> None:
    with runtime.db.transaction() as cur:
        admin = _require_admin(cur, identity)
        if not store.delete_target(cur, target_id):
            raise ApiError(404, "No such target.", "not_found")
        store.insert_audit(cur, action="target.removed", actor_id=admin["id"],
                           detail={"target_id": str(target_id)})


# --- re-announcing current state ------------------------------------------------------------

def _chapter_snapshot(chapter: dict, ancestors: list, announce_id: str) -> dict:
    return {"chapter_id": chapter["id"], "parent_id": chapter["parent_id"],
            "name": chapter["name"], "level": chapter["level"], "country": chapter["country"],
            "place": chapter["place"], "continent": chapter["continent"],
            "founded_on": chapter["founded_on"], "ancestors": ancestors,
            "announce_id": announce_id}


def _member_snapshot(cur, member_id, ancestors: dict, announce_id: str) -> dict:
    member = store.member_by_id(cur, member_id)
    if member["status"] == "deleted":
        return {"member_id": member_id, "status": "deleted", "announce_id": announce_id,
                "email": None, "display_name": None, "language": None, "phone": None,
                "email_verified": None, "chapters": [], "current_ids": [], "mandates": []}
    return {
        **contact_data(member),
        "status": member["status"],
        "country": member["country"],
        "announce_id": announce_id,
        "chapters": [{"chapter_id": c["id"], "ancestors": ancestors.get(c["id"], [])}
                     for c in store.direct_chapters_of(cur, member_id)],
        "current_ids": [c["id"] for c in store.currents_of(cur, member_id)],
        "mandates": [mandate_data(m) for m in store.active_mandates_of(cur, member_id)],
    }


def _announce_subtree(cur, chapter_id) -> None:
    """After a move: the moved chapters and their members, as they are now."""
    announce_id = f"move-{uuid.uuid4()}"
    ancestors = store.chapter_ancestor_map(cur)
    for chapter in store.subtree_of(cur, chapter_id):
        emit(cur, "members.chapter.snapshot",
             _chapter_snapshot(chapter, ancestors.get(chapter["id"], []), announce_id))
    for member_id in store.memberships_of_subtree(cur, chapter_id):
        emit(cur, "members.member.snapshot",
             _member_snapshot(cur, member_id, ancestors, announce_id))


def announce_state(runtime: Runtime, identity: Identity | None = None) -> dict:
    """Re-announce the whole current state, so a consumer that started late or lost its
    replica can rebuild it: one `members.chapter.snapshot` per chapter (parents first), then
    one `members.member.snapshot` per member (deleted ones as `status: deleted`). Snapshots
    carry whole state, so consumers apply them as upserts: receiving one twice, or after the
    fact events it summarises, changes nothing downstream. `identity` None is the operator's
    command line."""
    announce_id = str(uuid.uuid4())
    with runtime.db.transaction() as cur:
        actor = _require_admin(cur, identity) if identity is not None else None
        ancestors = store.chapter_ancestor_map(cur)
        chapters = sorted(store.all_chapters(cur), key=lambda c: len(ancestors.get(c["id"], [])))
        for chapter in chapters:
            emit(cur, "members.chapter.snapshot",
                 _chapter_snapshot(chapter, ancestors.get(chapter["id"], []), announce_id))
        member_ids = store.all_member_ids(cur)
        for member_id in member_ids:
            emit(cur, "members.member.snapshot",
                 _member_snapshot(cur, member_id, ancestors, announce_id))
        store.insert_audit(cur, action="state.announced",
                           actor_id=actor["id"] if actor else None,
                           detail={"announce_id": announce_id, "chapters": len(chapters),
                                   "members": len(member_ids)})
    return {"announce_id": announce_id, "chapters": len(chapters), "members": len(member_ids)}
