"""Log in (with growing delays after failures), refresh, log out, list and end sessions."""

from __future__ import annotations

import hashlib
import secrets
from typing import NoReturn

from services.common.auth import Identity
from services.common.errors import ApiError
from services.members import passwords
from services.members.context import MembersContext
from services.members.service import access, ratelimits, tokens
from services.members.store import limits as limits_store
from services.members.store import members as members_store
from services.members.store import tokens as tokens_store


def login(ctx: MembersContext, email: str, password: str, *, client_ip: str | None) -> dict:
    policy = ctx.policy
    ratelimits.check_rate(
        ctx,
        "login",
        [
            ("ip", client_ip, policy.rate_login_per_ip),
            ("email", email, policy.rate_login_per_email),
        ],
    )
    keys = _failure_keys(email, client_ip)
    with ctx.db.transaction() as cur:
        _refuse_while_blocked(cur, keys)
        row = members_store.member_credentials_by_email(cur, email)
    if row is None or row["status"] == "deleted":
        passwords.verify_password(
            passwords.dummy_hash(policy.argon2_profile), password, policy.argon2_profile
        )
        _failed_login(ctx, keys)
    if not passwords.verify_password(row["password_hash"], password, policy.argon2_profile):
        _failed_login(ctx, keys)
    if row.get("suspended_at") is not None:
        raise ApiError(403, "This account is suspended; ask an admin.", "account_suspended")
    if row["status"] == "rejected":
        reason = row.get("reject_reason") or ""
        raise ApiError(
            403,
            f"Your request to join was not accepted. The admins said: {reason}",
            "membership_rejected",
            fields={"reason": [reason]},
        )
    with ctx.db.transaction() as cur:
        limits_store.clear_login_failures(cur, keys[0])
        if passwords.needs_rehash(row["password_hash"], policy.argon2_profile):
            rehashed = passwords.hash_password(password, policy.argon2_profile)
            members_store.set_password_hash(cur, row["id"], rehashed)
        return tokens.public_tokens(tokens.issue_tokens(ctx, cur, row))


def _failure_keys(email: str, client_ip: str | None) -> list[str]:
    """[account at this address, this address]: an attacker elsewhere slows down only their
    own attempts at the account, never the owner's from another address."""
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    address = client_ip or "unknown"
    return [f"account:{account}@{address}", f"address:{address}"]


def _refuse_while_blocked(cur, keys: list[str]) -> None:
    left = limits_store.login_blocked_for(cur, keys)
    if left > 0:
        retry = max(1, int(left + 0.999))
        raise ApiError(
            429,
            f"Too many failed logins; try again in {retry} s.",
            "too_many_failures",
            headers={"Retry-After": str(retry)},
        )


def _failed_login(ctx: MembersContext, keys: list[str]) -> NoReturn:
    """Record the failure (each one past the free ones doubles the wait) and answer 401."""
    policy = ctx.policy
    if policy.rate_limits:
        with ctx.db.transaction() as cur:
            limits_store.record_login_failure(
                cur, keys[0], policy.login_free_failures, policy.login_delay_cap_s, 3600
            )
            limits_store.record_login_failure(
                cur, keys[1], policy.login_free_failures_per_ip, policy.login_delay_cap_s, 3600
            )
            if secrets.randbelow(200) == 0:
                limits_store.prune_login_failures(cur, 86400)
    raise ApiError(401, "Wrong email address or password.", "invalid_credentials")


def refresh(ctx: MembersContext, refresh_token: str) -> dict:
    """Rotate a refresh token: the old one dies, a new one (same session) is handed out. A
    rotated token presented again means it leaked: the whole session is revoked."""
    invalid = ApiError(
        401,
        "The refresh token is not valid.",
        "invalid_token",
        fields={"refresh_token": ["Not valid, expired or revoked."]},
    )
    reused = False
    with ctx.db.transaction() as cur:
        row = tokens_store.refresh_token_for_update(cur, tokens.digest(refresh_token))
        if row is None or row["expired"]:
            raise invalid
        if row["revoked_at"] is not None:
            if row["replaced_by"] is not None:
                tokens_store.revoke_refresh_family(cur, row["family_id"])
                reused = True
            else:
                raise invalid
        else:
            member = members_store.member_by_id(cur, row["member_id"])
            if member is None or member["status"] == "deleted" or member["suspended_at"]:
                raise invalid
            issued = tokens.issue_tokens(ctx, cur, member, family_id=row["family_id"])
            tokens_store.revoke_refresh_token(cur, row["id"], replaced_by=issued["_refresh_id"])
            return tokens.public_tokens(issued)
    if reused:  # committed the revocation of the session before answering
        raise ApiError(
            401,
            "This refresh token was already used; the session is revoked.",
            "refresh_token_reused",
            fields={"refresh_token": ["Already used."]},
        )
    raise invalid


def logout(ctx: MembersContext, refresh_token: str, *, everywhere: bool = False) -> None:
    with ctx.db.transaction() as cur:
        row = tokens_store.refresh_token_for_update(cur, tokens.digest(refresh_token))
        if row is None:
            raise ApiError(
                401,
                "The refresh token is not valid.",
                "invalid_token",
                fields={"refresh_token": ["Not valid."]},
            )
        live = row["revoked_at"] is None and not row["expired"]
        if everywhere:
            if not live:  # a dead token may end its own session, never all of them
                raise ApiError(
                    401,
                    "The refresh token is not valid.",
                    "invalid_token",
                    fields={"refresh_token": ["Expired or revoked."]},
                )
            tokens.end_sessions(cur, row["member_id"])
        else:
            tokens_store.revoke_refresh_family(cur, row["family_id"])
            tokens.announce_ended(cur, row["member_id"], [row["family_id"]])


def sessions(ctx: MembersContext, identity: Identity) -> list[dict]:
    """The caller's sessions; `current` marks the one whose token made this call."""
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        rows = tokens_store.member_sessions(cur, member["id"])
    here = str(identity.session_id or "")
    return [{**row, "current": bool(here) and str(row["id"]) == here} for row in rows]


def end_session(ctx: MembersContext, identity: Identity, session_id) -> None:
    with ctx.db.transaction() as cur:
        member = access.caller(cur, identity)
        if not tokens_store.revoke_member_family(cur, member["id"], session_id):
            raise ApiError(404, "No such open session.", "not_found")
        tokens.announce_ended(cur, member["id"], [session_id])
