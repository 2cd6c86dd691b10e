"""SQL of one-time tokens, refresh tokens (sessions) and published account mail."""

from __future__ import annotations

import datetime as dt


def insert_token(
    cur, token_hash: str, member_id, purpose: str, expires_at: dt.datetime, email: str | None = None
) -> None:
    cur.execute(
        "INSERT INTO member_tokens (token_hash, member_id, purpose, email, expires_at)"
        " VALUES (%s, %s, %s, %s, %s)",
        (token_hash, member_id, purpose, email, expires_at),
    )


def take_token(cur, token_hash: str, purpose: str) -> dict | None:
    """Mark an unused, unexpired token used and return it (None otherwise)."""
    cur.execute(
        "UPDATE member_tokens SET used_at = now()"
        " WHERE token_hash = %s AND purpose = %s AND used_at IS NULL AND expires_at > now()"
        " RETURNING member_id, email",
        (token_hash, purpose),
    )
    return cur.fetchone()


def expire_tokens(cur, member_id, purpose: str) -> None:
    cur.execute(
        "UPDATE member_tokens SET used_at = now()"
        " WHERE member_id = %s AND purpose = %s AND used_at IS NULL",
        (member_id, purpose),
    )


def insert_refresh_token(cur, *, token_id, family_id, member_id, token_hash, expires_at) -> None:
    cur.execute(
        "INSERT INTO refresh_tokens (id, family_id, member_id, token_hash, expires_at)"
        " VALUES (%s, %s, %s, %s, %s)",
        (token_id, family_id, member_id, token_hash, expires_at),
    )


def refresh_token_for_update(cur, token_hash: str) -> dict | None:
    cur.execute(
        "SELECT id, family_id, member_id, expires_at, revoked_at, replaced_by,"
        "       expires_at <= now() AS expired"
        "  FROM refresh_tokens WHERE token_hash = %s FOR UPDATE",
        (token_hash,),
    )
    return cur.fetchone()


def revoke_refresh_token(cur, token_id, replaced_by=None) -> None:
    cur.execute(
        "UPDATE refresh_tokens SET revoked_at = now(), replaced_by = %s"
        " WHERE id = %s AND revoked_at IS NULL",
        (replaced_by, token_id),
    )


def revoke_refresh_family(cur, family_id) -> None:
    cur.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = %s AND revoked_at IS NULL",
        (family_id,),
    )


def revoke_member_refresh_tokens(cur, member_id, except_family=None) -> int:
    cur.execute(
        "UPDATE refresh_tokens SET revoked_at = now()"
        " WHERE member_id = %s AND revoked_at IS NULL AND family_id IS DISTINCT FROM %s",
        (member_id, except_family),
    )
    return cur.rowcount


def revoke_member_family(cur, member_id, family_id) -> int:
    cur.execute(
        "UPDATE refresh_tokens SET revoked_at = now()"
        " WHERE member_id = %s AND family_id = %s AND revoked_at IS NULL",
        (member_id, family_id),
    )
    return cur.rowcount


def member_sessions(cur, member_id) -> list[dict]:
    cur.execute(
        "SELECT family_id AS id, min(created_at) AS started_at,"
        "       max(created_at) AS last_used_at,"
        "       bool_and(revoked_at IS NOT NULL OR expires_at <= now()) AS ended"
        "  FROM refresh_tokens WHERE member_id = %s GROUP BY family_id ORDER BY 2",
        (member_id,),
    )
    return cur.fetchall()


def recent_families(cur, member_id, except_family=None) -> list:
    """Sessions whose access tokens may still be alive: open ones and those of the last hour."""
    cur.execute(
        "SELECT DISTINCT family_id FROM refresh_tokens WHERE member_id = %s"
        " AND (revoked_at IS NULL OR created_at > now() - interval '1 hour')"
        " AND family_id IS DISTINCT FROM %s",
        (member_id, except_family),
    )
    return [row["family_id"] for row in cur.fetchall()]


def prune_sent_account_events(cur) -> int:
    """Published events that carried a sealed one-time token leave the outbox at once (the
    relay keeps other published rows for a week)."""
    # The same predicate as the partial index outbox_sent_account_mail (migration 004).
    cur.execute(
        "DELETE FROM outbox WHERE sent_at IS NOT NULL AND routing_key IN"
        " ('members.member.registered', 'members.member.verification_requested',"
        " 'members.member.password_reset_requested')"
    )
    return cur.rowcount


def prune_expired_credentials(cur) -> None:
    """Forget one-time and refresh tokens that can no longer be used (after a grace period)."""
    cur.execute(
        "DELETE FROM member_tokens WHERE expires_at < now() - interval '7 days'"
        " OR used_at < now() - interval '7 days'"
    )
    cur.execute("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '7 days'")


def live_token(cur, token_hash: str, purpose: str) -> dict | None:
    """The unused, unexpired one-time token's row (its member_id), without taking it."""
    cur.execute(
        "SELECT member_id FROM member_tokens WHERE token_hash = %s"
        " AND purpose = %s AND used_at IS NULL AND expires_at > now()",
        (token_hash, purpose),
    )
    return cur.fetchone()
