"""The deny-list of access tokens: ended sessions and suspended or deleted members.

Access tokens are signed and short-lived, but a logout, a password change, a suspension or a
deletion must stop the old token at once. Members announces those facts
(`members.session.revoked`, `members.member.suspended` / `.restored`, `members.member.deleted`);
each service keeps them in its schema (`auth_revoked_sessions`, `auth_blocked_members`, from
services/common/migrations) and every request's token is checked against an in-process copy
reloaded every `refresh_s` seconds, so a revocation bites within about a second of the event's
arrival, at the cost of two small queries a second per process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from psycopg2.extras import RealDictCursor as Cursor

from services.common.bus.handlers import EventHandlers
from services.common.db import Database
from services.common.errors import ApiError

if TYPE_CHECKING:
    from services.common.auth import Identity

log = logging.getLogger("councils.revocation")

KEEP = "1 day"  # longer than any access token lives


# --- SQL (the deny-list's own tables, in the caller's schema) -------------------------------


def revoke_sessions(cur: Cursor, member_id: object, session_ids: Iterable[object]) -> None:
    for session_id in {str(s) for s in session_ids}:
        cur.execute(
            "INSERT INTO auth_revoked_sessions (session_id, member_id) VALUES (%s, %s)"
            " ON CONFLICT (session_id) DO NOTHING",
            (session_id, str(member_id)),
        )


def block(cur: Cursor, member_id: object, reason: str) -> None:
    cur.execute(
        "INSERT INTO auth_blocked_members (member_id, reason) VALUES (%s, %s)"
        " ON CONFLICT (member_id) DO UPDATE SET reason = EXCLUDED.reason",
        (str(member_id), reason),
    )


def unblock(cur: Cursor, member_id: object) -> None:
    cur.execute(
        "DELETE FROM auth_blocked_members WHERE member_id = %s AND reason <> 'deleted'",
        (str(member_id),),
    )


def load(cur: Cursor) -> tuple[frozenset[str], frozenset[str]]:
    cur.execute(
        "DELETE FROM auth_revoked_sessions WHERE revoked_at < now() - %s::interval", (KEEP,)
    )
    cur.execute("SELECT session_id FROM auth_revoked_sessions")
    sessions = frozenset(row["session_id"] for row in cur.fetchall())
    cur.execute("SELECT member_id FROM auth_blocked_members")
    members = frozenset(row["member_id"] for row in cur.fetchall())
    return sessions, members


# --- the check ------------------------------------------------------------------------------


def is_denied(cur: Cursor, member_id: str, session_id: str | None) -> bool:
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM auth_blocked_members WHERE member_id = %s)"
        "    OR EXISTS (SELECT 1 FROM auth_revoked_sessions WHERE session_id = %s) AS denied",
        (member_id, session_id or ""),
    )
    row = cur.fetchone()
    return bool(row and row["denied"])


class DenyList:
    """`refresh_s` None: one indexed query per check (members, which writes the deny-list
    itself and must honour its own revocations at once); else a copy reloaded that often."""

    def __init__(
        self,
        db: Database,
        refresh_s: float | None = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.refresh_s = refresh_s
        self.clock = clock
        self._sessions: frozenset[str] = frozenset()
        self._members: frozenset[str] = frozenset()
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def _current(self) -> tuple[frozenset[str], frozenset[str]]:
        refresh_s = self.refresh_s
        assert refresh_s is not None  # check() keeps a copy only when it is reloaded
        now = self.clock()
        if self._loaded_at is None or now - self._loaded_at >= refresh_s:
            with self._lock:
                if self._loaded_at is None or now - self._loaded_at >= refresh_s:
                    with self.db.transaction() as cur:
                        self._sessions, self._members = load(cur)
                    self._loaded_at = now
        return self._sessions, self._members

    def check(self, identity: Identity) -> None:
        """A 401 if the token's session ended or its member is suspended or deleted."""
        if self.refresh_s is None:
            with self.db.transaction() as cur:
                if is_denied(cur, identity.member_id, identity.session_id):
                    raise ApiError(
                        401, "This session has ended or the account is suspended.", "token_revoked"
                    )
            return
        sessions, members = self._current()
        if identity.member_id in members:
            raise ApiError(401, "This account is suspended or deleted.", "token_revoked")
        if identity.session_id and identity.session_id in sessions:
            raise ApiError(401, "This session has ended; log in again.", "token_revoked")


# --- event handlers (polls and notify) ------------------------------------------------------

# The deny-list's consumed events; each service's consumer includes them:
# `registry.include(revocation.DENY_LIST)`.
DENY_LIST = EventHandlers("deny-list")


@DENY_LIST.on("members.session.revoked")
def session_revoked(_ctx: object, cur: Cursor, event: dict[str, Any]) -> None:
    data = event["data"]
    revoke_sessions(cur, data["member_id"], data.get("session_ids") or [])


@DENY_LIST.on("members.member.suspended")
def member_suspended(_ctx: object, cur: Cursor, event: dict[str, Any]) -> None:
    block(cur, event["data"]["member_id"], "suspended")


@DENY_LIST.on("members.member.restored")
def member_restored(_ctx: object, cur: Cursor, event: dict[str, Any]) -> None:
    unblock(cur, event["data"]["member_id"])


@DENY_LIST.on("members.member.deleted")
def member_deleted(_ctx: object, cur: Cursor, event: dict[str, Any]) -> None:
    block(cur, event["data"]["member_id"], "deleted")
