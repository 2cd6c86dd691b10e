"""Register, verify the address, change and reset the password."""

from __future__ import annotations

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
from services.members.service import access, ratelimits, tokens
from services.members.store import members as members_store
from services.members.store import tokens as tokens_store


def register(ctx: MembersContext, data: dict, *, client_ip: str | None) -> dict:
    policy = ctx.policy
    email = data["email"]
    ratelimits.check_rate(
        ctx,
        "registration",
        [
            ("ip", client_ip, policy.rate_register_per_ip),
            ("email", email, policy.rate_register_per_email),
        ],
    )
    ratelimits.check_rate(
        ctx, "registration", [("ip", client_ip, policy.rate_register_per_ip_hour)], window=3600
    )
    problems = passwords.strength_problems(
        data["password"],
        email=email,
        display_name=data["display_name"],
        min_length=policy.password_min_length,
    )
    if problems:
        raise ApiError(
            422, "The password is too weak.", "weak_password", fields={"password": problems}
        )
    password_hash = passwords.hash_password(data["password"], policy.argon2_profile)
    token, token_hash = tokens.new_secret()
    with ctx.db.transaction() as cur:
        member = members_store.insert_member(
            cur,
            email=email,
            password_hash=password_hash,
            display_name=data["display_name"],
            country=data["country"],
            language=data.get("language"),
            phone=data.get("phone"),
            gender=data.get("gender"),
            introduction=data.get("introduction"),
        )
        if member is None:
            raise ApiError(
                409,
                "An account with this email address already exists.",
                "email_taken",
                fields={"email": ["Already registered."]},
            )
        tokens_store.insert_token(
            cur, token_hash, member["id"], "verify_email", access.now() + policy.verify_ttl, email
        )
        emit(
            cur,
            "members.member.registered",
            registered_data(member, seal(ctx.settings.common.secret_key, "verify_email", token)),
        )
    return {"id": member["id"], "status": member["status"]}


def verify_email(ctx: MembersContext, token: str) -> dict:
    with ctx.db.transaction() as cur:
        row = tokens_store.take_token(cur, tokens.digest(token), "verify_email")
        member = members_store.member_by_id(cur, row["member_id"], for_update=True) if row else None
        if (
            row is None
            or member is None
            or member["status"] == "deleted"
            or (row["email"] or "").lower() != member["email"].lower()
        ):
            raise ApiError(
                400,
                "This verification link is not valid or has expired.",
                "invalid_token",
                fields={"token": ["Not valid or expired."]},
            )
        if members_store.mark_email_verified(cur, member["id"]):
            emit(
                cur,
                "members.member.verified",
                {"member_id": member["id"], "email": member["email"]},
            )
    return {"member_id": member["id"], "email": member["email"], "email_verified": True}


def resend_verification(ctx: MembersContext, identity: Identity) -> dict:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
    ratelimits.check_rate(ctx, "verification", [("member", str(member["id"]), 5)])
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        if member["email_verified_at"] is not None:
            raise ApiError(409, "This email address is already verified.", "already_verified")
        send_verification(ctx, cur, member)
    return {"status": "sent", "email": member["email"]}


def send_verification(ctx: MembersContext, cur, member: dict) -> None:
    policy = ctx.policy
    token, token_hash = tokens.new_secret()
    tokens_store.expire_tokens(cur, member["id"], "verify_email")
    tokens_store.insert_token(
        cur,
        token_hash,
        member["id"],
        "verify_email",
        access.now() + policy.verify_ttl,
        member["email"],
    )
    emit(
        cur,
        "members.member.verification_requested",
        {
            "member_id": member["id"],
            "email": member["email"],
            "sealed_token": seal(ctx.settings.common.secret_key, "verify_email", token),
            "language": member["language"],
        },
    )


def change_password(ctx: MembersContext, identity: Identity, current: str, new: str) -> dict:
    policy = ctx.policy
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        stored = members_store.member_password_hash(cur, member["id"])
    if not passwords.verify_password(stored or "", current, policy.argon2_profile):
        raise ApiError(
            422,
            "The current password is not right.",
            "wrong_password",
            fields={"current_password": ["Not your current password."]},
        )
    _check_strength(policy, new, member, field="new_password")
    new_hash = passwords.hash_password(new, policy.argon2_profile)
    with ctx.db.transaction() as cur:
        members_store.set_password_hash(cur, member["id"], new_hash)
        tokens.end_sessions(cur, member["id"])
        return tokens.public_tokens(tokens.issue_tokens(ctx, cur, member))


def _check_strength(policy: Policy, password: str, member: dict, field: str) -> None:
    problems = passwords.strength_problems(
        password,
        email=member["email"],
        display_name=member["display_name"],
        min_length=policy.password_min_length,
    )
    if problems:
        raise ApiError(422, "The password is too weak.", "weak_password", fields={field: problems})


def request_password_reset(ctx: MembersContext, email: str, *, client_ip: str | None) -> None:
    """Always answers the same, whether or not the address is registered."""
    policy = ctx.policy
    ratelimits.check_rate(
        ctx,
        "password reset",
        [
            ("ip", client_ip, policy.rate_login_per_ip),
            ("email", email, 5),
        ],
    )
    with ctx.db.transaction() as cur:
        row = members_store.member_credentials_by_email(cur, email)
        if row is None or row["status"] == "deleted":
            return
        token, token_hash = tokens.new_secret()
        tokens_store.expire_tokens(cur, row["id"], "reset_password")
        tokens_store.insert_token(
            cur,
            token_hash,
            row["id"],
            "reset_password",
            access.now() + policy.reset_ttl,
            row["email"],
        )
        emit(
            cur,
            "members.member.password_reset_requested",
            {
                "member_id": row["id"],
                "email": row["email"],
                "sealed_token": seal(ctx.settings.common.secret_key, "reset_password", token),
                "language": row["language"],
            },
        )


def reset_password(ctx: MembersContext, token: str, password: str) -> dict:
    policy = ctx.policy
    invalid = ApiError(
        400,
        "This reset link is not valid or has expired.",
        "invalid_token",
        fields={"token": ["Not valid or expired."]},
    )
    with ctx.db.transaction() as cur:
        found = tokens_store.live_token(cur, tokens.digest(token), "reset_password")
        member = members_store.member_by_id(cur, found["member_id"]) if found else None
    if member is None or member["status"] == "deleted":
        raise invalid
    _check_strength(policy, password, member, field="password")
    new_hash = passwords.hash_password(password, policy.argon2_profile)
    with ctx.db.transaction() as cur:
        taken = tokens_store.take_token(cur, tokens.digest(token), "reset_password")
        if taken is None:
            raise invalid
        members_store.set_password_hash(cur, member["id"], new_hash)
        # the link reached this address: it is proven (members added by an admin start here)
        if (taken.get("email") or "").lower() == member[
            "email"
        ].lower() and members_store.mark_email_verified(cur, member["id"]):
            emit(
                cur,
                "members.member.verified",
                {"member_id": member["id"], "email": member["email"]},
            )
        tokens.end_sessions(cur, member["id"])
    return {"status": "password_reset"}
