"""All SQL of the members service: named functions taking a cursor, with bound parameters."""

from __future__ import annotations

import datetime as dt
import uuid

from psycopg2.extras import Json

MEMBER_COLUMNS = (
    "id, email, display_name, country, language, phone, gender, introduction, status, "
    "email_verified_at, created_at, activated_at, activated_by, deleted_at, suspended_at, "
    "suspend_reason, rejected_at, reject_reason"
)

# The closure of the chapter tree: (ancestor_id, chapter_id, depth) for every chapter and each
# of its ancestors, itself included at depth 0.
CLOSURE_CTE = """
WITH RECURSIVE closure (ancestor_id, chapter_id, depth) AS (
    SELECT id, id, 0 FROM chapters
    UNION ALL
    SELECT c.parent_id, cl.chapter_id, cl.depth + 1
      FROM closure cl JOIN chapters c ON c.id = cl.ancestor_id
     WHERE c.parent_id IS NOT NULL
)
"""


# --- members --------------------------------------------------------------------------------

def insert_member(cur, *, email, password_hash, display_name, country, language=None,
                  phone=None, gender=None, introduction=None, status="pending") -> dict | None:
    """The new member, or None when the address is taken (case-insensitively)."""
    cur.execute(
        "INSERT INTO members (id, email, password_hash, display_name, country, language, phone,"
        " gender, introduction, status, activated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        "         CASE WHEN %s = 'active' THEN now() END)"
        " ON CONFLICT (lower(email)) DO NOTHING"
        f" RETURNING {MEMBER_COLUMNS}",
        (uuid.uuid4(), email, password_hash, display_name, country, language, phone, gender,
         introduction, status, status),
    )
    return cur.fetchone()


def member_by_id(cur, member_id, *, for_update: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = %s" + (" FOR UPDATE" if for_update
                                                                 else ""),
        (member_id,),
    )
    return cur.fetchone()


def member_credentials_by_email(cur, email: str) -> dict | None:
    cur.execute(
        f"SELECT {MEMBER_COLUMNS}, password_hash FROM members WHERE lower(email) = lower(%s)",
        (email,),
    )
    return cur.fetchone()


def member_password_hash(cur, member_id) -> str | None:
    cur.execute("SELECT password_hash FROM members WHERE id = %s", (member_id,))
    row = cur.fetchone()
    return row["password_hash"] if row else None


def email_taken(cur, email: str, except_id=None) -> bool:
    cur.execute(
        "SELECT 1 FROM members WHERE lower(email) = lower(%s) AND id IS DISTINCT FROM %s",
        (email, except_id),
    )
    return cur.fetchone() is not None


def set_password_hash(cur, member_id, password_hash: str) -> None:
    cur.execute("UPDATE members SET password_hash = %s WHERE id = %s", (password_hash, member_id))


def activate_member(cur, member_id, by: str) -> dict | None:
    """Pending → active; None when the member was not pending."""
    cur.execute(
        "UPDATE members SET status = 'active', activated_at = now(), activated_by = %s"
        f" WHERE id = %s AND status = 'pending' RETURNING {MEMBER_COLUMNS}",
        (by, member_id),
    )
    return cur.fetchone()


def mark_email_verified(cur, member_id) -> bool:
    cur.execute(
        "UPDATE members SET email_verified_at = now() WHERE id = %s"
        " AND email_verified_at IS NULL AND status <> 'deleted'",
        (member_id,),
    )
    return cur.rowcount == 1


def update_member(cur, member_id, changes: dict) -> dict:
    allowed = {"email", "display_name", "country", "language", "phone", "gender",
               "introduction", "email_verified_at"}
    assignments, values = [], []
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(f"cannot update {key}")
        assignments.append(f"{key} = %s")
        values.append(value)
    if assignments:
        cur.execute(
            f"UPDATE members SET {', '.join(assignments)} WHERE id = %s",
            (*values, member_id),
        )
    return member_by_id(cur, member_id)


def anonymise_member(cur, member_id) -> None:
    """Remove everything that identifies the member; country and gender stay for aggregates."""
    cur.execute(
        "UPDATE members SET email = 'deleted-' || id || '@deleted.invalid',"
        " password_hash = '!', display_name = 'Deleted member', language = NULL, phone = NULL,"
        " introduction = NULL, status = 'deleted', deleted_at = now() WHERE id = %s",
        (member_id,),
    )
    cur.execute("DELETE FROM member_tokens WHERE member_id = %s", (member_id,))
    cur.execute("DELETE FROM refresh_tokens WHERE member_id = %s", (member_id,))


def list_members(cur, *, status=None, query=None, limit=50, offset=0, country=None,
                 chapter_id=None, suspended=None) -> list[dict]:
    """Members by status, name or address, country, chapter (its sub-chapters included)."""
    cur.execute(
        CLOSURE_CTE + f"SELECT {MEMBER_COLUMNS} FROM members"
        " WHERE (%(status)s::text IS NULL OR status = %(status)s)"
        "   AND (%(q)s::text IS NULL OR display_name ILIKE %(like)s OR email ILIKE %(like)s)"
        "   AND (%(country)s::text IS NULL OR country = %(country)s)"
        "   AND (%(suspended)s::boolean IS NULL"
        "        OR (suspended_at IS NOT NULL) = %(suspended)s)"
        "   AND (%(chapter)s::uuid IS NULL OR id IN ("
        "        SELECT ms.member_id FROM memberships ms JOIN closure cl"
        "            ON cl.chapter_id = ms.chapter_id WHERE cl.ancestor_id = %(chapter)s))"
        " ORDER BY created_at DESC, id LIMIT %(limit)s OFFSET %(offset)s",
        {"status": status, "q": query, "like": f"%{query}%" if query else None,
         "country": country, "chapter": chapter_id, "suspended": suspended,
         "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def set_rejected(cur, member_id, reason: str) -> dict | None:
    """A pending member refused (None when not pending)."""
    cur.execute(
        "UPDATE members SET status = 'rejected', rejected_at = now(), reject_reason = %s"
        f" WHERE id = %s AND status = 'pending' RETURNING {MEMBER_COLUMNS}",
        (reason, member_id),
    )
    return cur.fetchone()


def list_pending_with_vouches(cur, limit=50, offset=0) -> list[dict]:
    cur.execute(
        "SELECT m.id, m.display_name, m.country, m.introduction, m.created_at,"
        "       count(v.voucher_id) FILTER (WHERE v.counted) AS vouches"
        "  FROM members m LEFT JOIN vouches v ON v.member_id = m.id"
        " WHERE m.status = 'pending'"
        " GROUP BY m.id ORDER BY m.created_at DESC, m.id LIMIT %s OFFSET %s",
        (limit, offset),
    )
    return cur.fetchall()


def all_member_ids(cur) -> list:
    cur.execute("SELECT id FROM members ORDER BY created_at, id")
    return [row["id"] for row in cur.fetchall()]


# --- one-time tokens ------------------------------------------------------------------------

def insert_token(cur, token_hash: str, member_id, purpose: str, expires_at: dt.datetime,
                 email: str | None = None) -> None:
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


# --- refresh tokens -------------------------------------------------------------------------

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
        "UPDATE refresh_tokens SET revoked_at = now()"
        " WHERE family_id = %s AND revoked_at IS NULL",
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


# --- vouches --------------------------------------------------------------------------------

def insert_vouch(cur, member_id, voucher_id, note=None) -> bool:
    cur.execute(
        "INSERT INTO vouches (member_id, voucher_id, note) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (member_id, voucher_id, note),
    )
    return cur.rowcount == 1


def count_vouches(cur, member_id) -> int:
    """The vouches that count towards activation."""
    cur.execute("SELECT count(*) AS n FROM vouches WHERE member_id = %s AND counted",
                (member_id,))
    return cur.fetchone()["n"]


def count_vouches_given(cur, voucher_id, since) -> int:
    """Vouches the member gave for someone since `since` (counted or not)."""
    cur.execute("SELECT count(*) AS n FROM vouches WHERE voucher_id = %s AND created_at > %s",
                (voucher_id, since))
    return cur.fetchone()["n"]


def mark_vouch_uncounted(cur, member_id, voucher_id) -> None:
    cur.execute("UPDATE vouches SET counted = false WHERE member_id = %s AND voucher_id = %s",
                (member_id, voucher_id))


def vouches_for_admin(cur, member_id) -> dict:
    """Every vouch the member received and gave, with names and whether it counted."""
    cur.execute(
        "SELECT v.voucher_id AS member_id, m.display_name, v.note, v.counted, v.created_at"
        "  FROM vouches v JOIN members m ON m.id = v.voucher_id"
        " WHERE v.member_id = %s ORDER BY v.created_at",
        (member_id,),
    )
    received = cur.fetchall()
    cur.execute(
        "SELECT v.member_id, m.display_name, v.note, v.counted, v.created_at"
        "  FROM vouches v JOIN members m ON m.id = v.member_id"
        " WHERE v.voucher_id = %s ORDER BY v.created_at",
        (member_id,),
    )
    return {"received": received, "given": cur.fetchall()}


# --- sessions and suspension ------------------------------------------------------------------

def recent_families(cur, member_id, except_family=None) -> list:
    """Sessions whose access tokens may still be alive: open ones and those of the last hour."""
    cur.execute(
        "SELECT DISTINCT family_id FROM refresh_tokens WHERE member_id = %s"
        " AND (revoked_at IS NULL OR created_at > now() - interval '1 hour')"
        " AND family_id IS DISTINCT FROM %s",
        (member_id, except_family),
    )
    return [row["family_id"] for row in cur.fetchall()]


def set_suspended(cur, member_id, reason: str | None) -> dict | None:
    cur.execute(
        "UPDATE members SET suspended_at = now(), suspend_reason = %s"
        f" WHERE id = %s AND suspended_at IS NULL AND status <> 'deleted'"
        f" RETURNING {MEMBER_COLUMNS}",
        (reason, member_id),
    )
    return cur.fetchone()


def clear_suspended(cur, member_id) -> dict | None:
    cur.execute(
        "UPDATE members SET suspended_at = NULL, suspend_reason = NULL"
        f" WHERE id = %s AND suspended_at IS NOT NULL RETURNING {MEMBER_COLUMNS}",
        (member_id,),
    )
    return cur.fetchone()


# --- failed logins ----------------------------------------------------------------------------

def login_blocked_for(cur, keys: list[str]) -> float:
    """Seconds until every key may try again (0: none is blocked)."""
    cur.execute(
        "SELECT COALESCE(max(extract(epoch FROM blocked_until - now())), 0)::float8 AS left"
        "  FROM login_failures WHERE key = ANY (%s) AND blocked_until > now()",
        (keys,),
    )
    return float(cur.fetchone()["left"])


def record_login_failure(cur, key: str, free: int, cap_s: float, forget_s: int) -> None:
    """One more failure for `key`: past `free` failures each blocks the key for a delay that
    doubles (1 s, 2 s, 4 s … up to `cap_s`); failures older than `forget_s` are forgotten."""
    cur.execute(
        """
        INSERT INTO login_failures AS f (key, failures) VALUES (%(key)s, 1)
        ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => %(forget)s)
                            THEN 1 ELSE f.failures + 1 END,
            last_failed_at = now()
        RETURNING failures
        """,
        {"key": key, "forget": forget_s},
    )
    failures = cur.fetchone()["failures"]
    if failures > free:
        delay = min(cap_s, 2.0 ** min(30, failures - free - 1))
        cur.execute("UPDATE login_failures SET blocked_until = now() + make_interval(secs => %s)"
                    " WHERE key = %s", (delay, key))


def clear_login_failures(cur, key: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE key = %s", (key,))


def prune_login_failures(cur, older_than_s: int) -> None:
    cur.execute("DELETE FROM login_failures WHERE last_failed_at < now()"
                " - make_interval(secs => %s)", (older_than_s,))


def vouches_of(cur, member_id) -> dict:
    cur.execute(
        "SELECT voucher_id, note, created_at FROM vouches WHERE member_id = %s ORDER BY 3",
        (member_id,),
    )
    received = cur.fetchall()
    cur.execute(
        "SELECT member_id, note, created_at FROM vouches WHERE voucher_id = %s ORDER BY 3",
        (member_id,),
    )
    return {"received": received, "given": cur.fetchall()}


# --- chapters -------------------------------------------------------------------------------

CHAPTER_COLUMNS = (
    "c.id, c.parent_id, c.name, c.level, c.country, c.place, c.continent, c.description,"
    " c.founded_on, c.founded_by, c.created_at"
)


def insert_chapter(cur, *, name, level, parent_id, country, place, continent, description,
                   founded_on, founded_by) -> dict:
    cur.execute(
        "INSERT INTO chapters (id, parent_id, name, level, country, place, continent,"
        " description, founded_on, founded_by)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, COALESCE(%s, current_date), %s)"
        " RETURNING id",
        (uuid.uuid4(), parent_id, name, level, country, place, continent, description,
         founded_on, founded_by),
    )
    return chapter_by_id(cur, cur.fetchone()["id"])


def chapter_by_id(cur, chapter_id, *, for_update: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {CHAPTER_COLUMNS} FROM chapters c WHERE c.id = %s"
        + (" FOR UPDATE" if for_update else ""),
        (chapter_id,),
    )
    return cur.fetchone()


def update_chapter(cur, chapter_id, changes: dict) -> dict:
    allowed = {"name", "parent_id", "country", "place", "continent", "description",
               "founded_on"}
    assignments, values = [], []
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(f"cannot update {key}")
        assignments.append(f"{key} = %s")
        values.append(value)
    if assignments:
        cur.execute(
            f"UPDATE chapters SET {', '.join(assignments)} WHERE id = %s",
            (*values, chapter_id),
        )
    return chapter_by_id(cur, chapter_id)


def ancestors_of(cur, chapter_id) -> list[dict]:
    """The chapter's ancestors, nearest first (the chapter itself excluded)."""
    cur.execute(
        "WITH RECURSIVE up (id, parent_id, name, level, depth) AS ("
        "  SELECT p.id, p.parent_id, p.name, p.level, 1 FROM chapters c"
        "    JOIN chapters p ON p.id = c.parent_id WHERE c.id = %s"
        "  UNION ALL"
        "  SELECT p.id, p.parent_id, p.name, p.level, up.depth + 1 FROM up"
        "    JOIN chapters p ON p.id = up.parent_id WHERE up.depth < 64"
        ") SELECT id, parent_id, name, level FROM up ORDER BY depth",
        (chapter_id,),
    )
    return cur.fetchall()


def subtree_of(cur, chapter_id, max_depth: int = 64) -> list[dict]:
    """The chapter and its descendants down to `max_depth` levels (with depth from the
    chapter)."""
    cur.execute(
        "WITH RECURSIVE down (id, depth) AS ("
        "  SELECT id, 0 FROM chapters WHERE id = %s"
        "  UNION ALL"
        "  SELECT c.id, down.depth + 1 FROM down JOIN chapters c ON c.parent_id = down.id"
        "   WHERE down.depth < %s"
        f") SELECT {CHAPTER_COLUMNS}, down.depth FROM down JOIN chapters c ON c.id = down.id"
        " ORDER BY down.depth, c.name",
        (chapter_id, min(max_depth, 64)),
    )
    return cur.fetchall()


def list_chapters(cur, *, query=None, level=None, country=None, parent_id=None,
                  root_only=False, limit=50, offset=0, sort="newest") -> list[dict]:
    order = ("lower(c.name), c.id" if sort == "name"
             else "c.founded_on DESC, c.created_at DESC, c.id")
    cur.execute(
        f"SELECT {CHAPTER_COLUMNS} FROM chapters c"
        " WHERE (%(q)s::text IS NULL OR c.name ILIKE %(like)s OR c.place ILIKE %(like)s)"
        "   AND (%(level)s::text IS NULL OR c.level = %(level)s)"
        "   AND (%(country)s::text IS NULL OR c.country = %(country)s)"
        "   AND (%(parent)s::uuid IS NULL OR c.parent_id = %(parent)s)"
        "   AND (NOT %(root)s OR c.parent_id IS NULL)"
        f" ORDER BY {order}"
        " LIMIT %(limit)s OFFSET %(offset)s",
        {"q": query, "like": f"%{query}%" if query else None, "level": level,
         "country": country, "parent": parent_id, "root": root_only, "limit": limit,
         "offset": offset},
    )
    return cur.fetchall()


def all_chapters(cur) -> list[dict]:
    cur.execute(f"SELECT {CHAPTER_COLUMNS} FROM chapters c ORDER BY c.created_at, c.id")
    return cur.fetchall()


def chapter_ancestor_map(cur) -> dict:
    """chapter id → list of its ancestors' ids, nearest first."""
    cur.execute(
        CLOSURE_CTE + "SELECT chapter_id, ancestor_id FROM closure WHERE depth > 0"
        " ORDER BY chapter_id, depth"
    )
    result: dict = {}
    for row in cur.fetchall():
        result.setdefault(row["chapter_id"], []).append(row["ancestor_id"])
    return result


# --- memberships ----------------------------------------------------------------------------

def insert_membership(cur, member_id, chapter_id) -> bool:
    cur.execute(
        "INSERT INTO memberships (member_id, chapter_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (member_id, chapter_id),
    )
    return cur.rowcount == 1


def delete_membership(cur, member_id, chapter_id) -> bool:
    cur.execute(
        "DELETE FROM memberships WHERE member_id = %s AND chapter_id = %s",
        (member_id, chapter_id),
    )
    return cur.rowcount == 1


def direct_chapters_of(cur, member_id) -> list[dict]:
    cur.execute(
        f"SELECT {CHAPTER_COLUMNS}, m.joined_at FROM memberships m"
        " JOIN chapters c ON c.id = m.chapter_id WHERE m.member_id = %s ORDER BY m.joined_at",
        (member_id,),
    )
    return cur.fetchall()


def effective_chapter_ids(cur, member_id) -> list:
    """Every chapter the member belongs to: joined directly or through a sub-chapter."""
    cur.execute(
        CLOSURE_CTE + "SELECT DISTINCT cl.ancestor_id AS id FROM memberships m"
        " JOIN closure cl ON cl.chapter_id = m.chapter_id WHERE m.member_id = %s",
        (member_id,),
    )
    return [row["id"] for row in cur.fetchall()]


def is_effective_member(cur, member_id, chapter_id) -> bool:
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT 1 FROM memberships m JOIN down ON down.id = m.chapter_id"
        " WHERE m.member_id = %s LIMIT 1",
        (chapter_id, member_id),
    )
    return cur.fetchone() is not None


def chapter_members(cur, chapter_id, *, limit=100, offset=0) -> list[dict]:
    """Members of the chapter or of any chapter below it (not deleted), by name."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT mb.id, mb.display_name, mb.country, mb.status,"
        "         min(m.joined_at) AS joined_at,"
        "         bool_or(m.chapter_id = %s) AS direct"
        "    FROM memberships m JOIN down ON down.id = m.chapter_id"
        "    JOIN members mb ON mb.id = m.member_id AND mb.status <> 'deleted'"
        "   GROUP BY mb.id ORDER BY mb.display_name, mb.id LIMIT %s OFFSET %s",
        (chapter_id, chapter_id, limit, offset),
    )
    return cur.fetchall()


def memberships_of_subtree(cur, chapter_id) -> list:
    """Ids of members with a direct membership somewhere in the chapter's sub-tree."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT DISTINCT m.member_id FROM memberships m JOIN down ON down.id = m.chapter_id",
        (chapter_id,),
    )
    return [row["member_id"] for row in cur.fetchall()]


# --- currents -------------------------------------------------------------------------------

def insert_current(cur, name, description, created_by) -> dict | None:
    cur.execute(
        "INSERT INTO currents (id, name, description, created_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (lower(name)) DO NOTHING RETURNING id, name, description, created_by,"
        " created_at",
        (uuid.uuid4(), name, description, created_by),
    )
    return cur.fetchone()


def current_by_id(cur, current_id) -> dict | None:
    cur.execute(
        "SELECT c.id, c.name, c.description, c.created_by, c.created_at,"
        " (SELECT count(*) FROM current_memberships cm JOIN members m ON m.id = cm.member_id"
        "   AND m.status <> 'deleted' WHERE cm.current_id = c.id) AS member_count"
        " FROM currents c WHERE c.id = %s",
        (current_id,),
    )
    return cur.fetchone()


def list_currents(cur, query=None, limit=50, offset=0) -> list[dict]:
    cur.execute(
        "SELECT c.id, c.name, c.description, c.created_by, c.created_at,"
        "       count(m.id) AS member_count"
        "  FROM currents c LEFT JOIN current_memberships cm ON cm.current_id = c.id"
        "  LEFT JOIN members m ON m.id = cm.member_id AND m.status <> 'deleted'"
        " WHERE (%(q)s::text IS NULL OR c.name ILIKE %(like)s)"
        " GROUP BY c.id ORDER BY c.created_at DESC, c.id LIMIT %(limit)s OFFSET %(offset)s",
        {"q": query, "like": f"%{query}%" if query else None, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def insert_current_membership(cur, member_id, current_id) -> bool:
    cur.execute(
        "INSERT INTO current_memberships (member_id, current_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (member_id, current_id),
    )
    return cur.rowcount == 1


def delete_current_membership(cur, member_id, current_id) -> bool:
    cur.execute(
        "DELETE FROM current_memberships WHERE member_id = %s AND current_id = %s",
        (member_id, current_id),
    )
    return cur.rowcount == 1


def currents_of(cur, member_id) -> list[dict]:
    cur.execute(
        "SELECT c.id, c.name, cm.joined_at FROM current_memberships cm"
        " JOIN currents c ON c.id = cm.current_id WHERE cm.member_id = %s ORDER BY cm.joined_at",
        (member_id,),
    )
    return cur.fetchall()


# --- mandates and audit ---------------------------------------------------------------------

MANDATE_COLUMNS = (
    "md.id, md.member_id, md.role, md.chapter_id, md.starts_at, md.ends_at, md.granted_by,"
    " md.granted_at, md.note, md.revoked_at, md.revoked_by, md.revoke_reason,"
    " (md.revoked_at IS NULL AND md.starts_at <= now()"
    "  AND (md.ends_at IS NULL OR md.ends_at > now())) AS active"
)


def insert_mandate(cur, *, member_id, role, chapter_id, starts_at, ends_at, granted_by,
                   note) -> dict:
    cur.execute(
        "INSERT INTO mandates (id, member_id, role, chapter_id, starts_at, ends_at, granted_by,"
        " note) VALUES (%s, %s, %s, %s, COALESCE(%s, now()), %s, %s, %s) RETURNING id",
        (uuid.uuid4(), member_id, role, chapter_id, starts_at, ends_at, granted_by, note),
    )
    return mandate_by_id(cur, cur.fetchone()["id"])


def mandate_by_id(cur, mandate_id, *, for_update: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {MANDATE_COLUMNS}, mb.display_name AS member_name FROM mandates md"
        " JOIN members mb ON mb.id = md.member_id WHERE md.id = %s"
        + (" FOR UPDATE OF md" if for_update else ""),
        (mandate_id,),
    )
    return cur.fetchone()


def revoke_mandate(cur, mandate_id, revoked_by, reason) -> None:
    cur.execute(
        "UPDATE mandates SET revoked_at = now(), revoked_by = %s, revoke_reason = %s"
        " WHERE id = %s AND revoked_at IS NULL",
        (revoked_by, reason, mandate_id),
    )


def list_mandates(cur, *, member_id=None, chapter_id=None, role=None, active_only=True,
                  limit=100, offset=0) -> list[dict]:
    cur.execute(
        f"SELECT {MANDATE_COLUMNS}, mb.display_name AS member_name,"
        " ch.name AS chapter_name FROM mandates md"
        " JOIN members mb ON mb.id = md.member_id"
        " LEFT JOIN chapters ch ON ch.id = md.chapter_id"
        " WHERE (%(member)s::uuid IS NULL OR md.member_id = %(member)s)"
        "   AND (%(chapter)s::uuid IS NULL OR md.chapter_id = %(chapter)s)"
        "   AND (%(role)s::text IS NULL OR md.role = %(role)s)"
        "   AND (NOT %(active)s OR (md.revoked_at IS NULL"
        "        AND (md.ends_at IS NULL OR md.ends_at > now())))"
        " ORDER BY md.granted_at DESC, md.id LIMIT %(limit)s OFFSET %(offset)s",
        {"member": member_id, "chapter": chapter_id, "role": role, "active": active_only,
         "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def is_admin(cur, member_id) -> bool:
    cur.execute(
        "SELECT 1 FROM mandates md JOIN members m ON m.id = md.member_id AND m.status = 'active'"
        " WHERE md.member_id = %s AND md.role = 'admin' AND md.revoked_at IS NULL"
        "   AND md.starts_at <= now() AND (md.ends_at IS NULL OR md.ends_at > now()) LIMIT 1",
        (member_id,),
    )
    return cur.fetchone() is not None


def count_active_admins(cur) -> int:
    cur.execute(
        "SELECT count(DISTINCT md.member_id) AS n FROM mandates md"
        " JOIN members m ON m.id = md.member_id AND m.status = 'active'"
        " WHERE md.role = 'admin' AND md.revoked_at IS NULL AND md.starts_at <= now()"
        "   AND (md.ends_at IS NULL OR md.ends_at > now())"
    )
    return cur.fetchone()["n"]


def coordinates(cur, member_id, chapter_ids) -> bool:
    """Whether the member holds an active coordinator mandate for any of `chapter_ids`."""
    ids = [c for c in chapter_ids if c is not None]
    if not ids:
        return False
    cur.execute(
        "SELECT 1 FROM mandates md JOIN members m ON m.id = md.member_id AND m.status = 'active'"
        " WHERE md.member_id = %s AND md.role = 'coordinator' AND md.chapter_id = ANY(%s::uuid[])"
        "   AND md.revoked_at IS NULL AND md.starts_at <= now()"
        "   AND (md.ends_at IS NULL OR md.ends_at > now()) LIMIT 1",
        (member_id, [str(i) for i in ids]),
    )
    return cur.fetchone() is not None


def active_mandates_of(cur, member_id) -> list[dict]:
    return list_mandates(cur, member_id=member_id, active_only=True)


def insert_audit(cur, *, action, actor_id=None, member_id=None, mandate_id=None, role=None,
                 chapter_id=None, detail=None) -> None:
    cur.execute(
        "INSERT INTO audit_log (action, actor_id, member_id, mandate_id, role, chapter_id,"
        " detail) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (action, actor_id, member_id, mandate_id, role, chapter_id, Json(detail or {})),
    )


def list_audit(cur, *, chapter_id=None, member_id=None, limit=100, before=None) -> list[dict]:
    cur.execute(
        "SELECT a.seq, a.at, a.action, a.actor_id, actor.display_name AS actor_name,"
        "       a.member_id, subject.display_name AS member_name, a.mandate_id, a.role,"
        "       a.chapter_id, ch.name AS chapter_name, a.detail"
        "  FROM audit_log a"
        "  LEFT JOIN members actor ON actor.id = a.actor_id"
        "  LEFT JOIN members subject ON subject.id = a.member_id"
        "  LEFT JOIN chapters ch ON ch.id = a.chapter_id"
        " WHERE (%(chapter)s::uuid IS NULL OR a.chapter_id = %(chapter)s)"
        "   AND (%(member)s::uuid IS NULL OR a.member_id = %(member)s)"
        "   AND (%(before)s::bigint IS NULL OR a.seq < %(before)s)"
        " ORDER BY a.seq DESC LIMIT %(limit)s",
        {"chapter": chapter_id, "member": member_id, "before": before, "limit": limit},
    )
    return cur.fetchall()


# --- meetings -------------------------------------------------------------------------------

def insert_meeting(cur, chapter_id, held_on, note, recorded_by) -> dict:
    cur.execute(
        "INSERT INTO meetings (id, chapter_id, held_on, note, recorded_by)"
        " VALUES (%s, %s, %s, %s, %s)"
        " RETURNING id, chapter_id, held_on, note, recorded_by, created_at",
        (uuid.uuid4(), chapter_id, held_on, note, recorded_by),
    )
    return cur.fetchone()


def list_meetings(cur, chapter_id, limit=50, offset=0) -> list[dict]:
    cur.execute(
        "SELECT id, chapter_id, held_on, note, recorded_by, created_at FROM meetings"
        " WHERE chapter_id = %s ORDER BY held_on DESC, created_at DESC LIMIT %s OFFSET %s",
        (chapter_id, limit, offset),
    )
    return cur.fetchall()


# --- working chapters and organisation figures ----------------------------------------------

def chapter_figures(cur, chapter_ids=None) -> list[dict]:
    """Per chapter: active members (direct or through sub-chapters), women among them, those
    who stated a gender, and the date of its last meeting. All chapters when `chapter_ids` is
    None."""
    ids = None if chapter_ids is None else [str(i) for i in chapter_ids]
    cur.execute(
        CLOSURE_CTE + """
        , effective AS (
            SELECT DISTINCT cl.ancestor_id AS chapter_id, m.member_id
              FROM memberships m
              JOIN closure cl ON cl.chapter_id = m.chapter_id
             WHERE %(ids)s::uuid[] IS NULL OR cl.ancestor_id = ANY(%(ids)s::uuid[])
        ), counts AS (
            SELECT e.chapter_id, count(*) AS members,
                   count(*) FILTER (WHERE mb.gender = 'woman') AS women,
                   count(*) FILTER (WHERE mb.gender IS NOT NULL) AS stated
              FROM effective e JOIN members mb ON mb.id = e.member_id AND mb.status = 'active'
             GROUP BY e.chapter_id
        ), last_meetings AS (
            SELECT chapter_id, max(held_on) AS last_meeting_on FROM meetings GROUP BY chapter_id
        )
        SELECT c.id AS chapter_id, COALESCE(n.members, 0) AS members,
               COALESCE(n.women, 0) AS women, COALESCE(n.stated, 0) AS stated,
               lm.last_meeting_on
          FROM chapters c
          LEFT JOIN counts n ON n.chapter_id = c.id
          LEFT JOIN last_meetings lm ON lm.chapter_id = c.id
         WHERE %(ids)s::uuid[] IS NULL OR c.id = ANY(%(ids)s::uuid[])
        """,
        {"ids": ids},
    )
    return cur.fetchall()


def organisation_figures(cur) -> dict:
    cur.execute(
        "SELECT count(*) AS members, count(*) FILTER (WHERE gender = 'woman') AS women,"
        "       count(*) FILTER (WHERE gender IS NOT NULL) AS stated"
        "  FROM members WHERE status = 'active'"
    )
    figures = dict(cur.fetchone())
    cur.execute(
        "SELECT country, count(*) AS n FROM members WHERE status = 'active' GROUP BY country"
    )
    figures["countries"] = {row["country"]: row["n"] for row in cur.fetchall()}
    return figures


# --- targets --------------------------------------------------------------------------------

TARGET_COLUMNS = "id, name, kind, target, deadline, position, created_by, created_at"


def insert_target(cur, *, name, kind, target, deadline, position, created_by) -> dict:
    cur.execute(
        "INSERT INTO targets (id, name, kind, target, deadline, position, created_by)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {TARGET_COLUMNS}",
        (uuid.uuid4(), name, kind, target, deadline, position, created_by),
    )
    return cur.fetchone()


def list_targets(cur) -> list[dict]:
    cur.execute(f"SELECT {TARGET_COLUMNS} FROM targets ORDER BY position, created_at, id")
    return cur.fetchall()


def target_by_id(cur, target_id) -> dict | None:
    cur.execute(f"SELECT {TARGET_COLUMNS} FROM targets WHERE id = %s", (target_id,))
    return cur.fetchone()


def update_target(cur, target_id, changes: dict) -> dict | None:
    allowed = {"name", "kind", "target", "deadline", "position"}
    assignments, values = [], []
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(f"cannot update {key}")
        assignments.append(f"{key} = %s")
        values.append(value)
    if assignments:
        cur.execute(
            f"UPDATE targets SET {', '.join(assignments)} WHERE id = %s", (*values, target_id)
        )
    return target_by_id(cur, target_id)


def delete_target(cur, target_id) -> bool:
    cur.execute("DELETE FROM targets WHERE id = %s", (target_id,))
    return cur.rowcount == 1


# --- rate limits ----------------------------------------------------------------------------

def prune_sent_account_events(cur) -> int:
    """Published events that carried a sealed one-time token leave the outbox at once (the
    relay keeps other published rows for a week)."""
    # The same predicate as the partial index outbox_sent_account_mail (migration 004).
    cur.execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND routing_key IN"
                " ('members.member.registered', 'members.member.verification_requested',"
                " 'members.member.password_reset_requested')")
    return cur.rowcount


def hit_rate_counter(cur, key: str, window_seconds: int) -> tuple[int, float]:
    """Count one hit in the current fixed window; (hits so far, seconds until it ends)."""
    cur.execute(
        "WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / %(s)s) * %(s)s) AS ws)"
        " INSERT INTO rate_counters (key, window_start, hits) SELECT %(key)s, ws, 1 FROM w"
        " ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1"
        " RETURNING hits,"
        "   extract(epoch FROM window_start + make_interval(secs => %(s)s) - now()) AS left",
        {"key": key, "s": window_seconds},
    )
    row = cur.fetchone()
    return row["hits"], float(row["left"])


def prune_rate_counters(cur, older_than_seconds: int = 3600) -> None:
    cur.execute(
        "DELETE FROM rate_counters WHERE window_start < now() - make_interval(secs => %s)",
        (older_than_seconds,),
    )


# --- bulk loading (generated organisations for tests and benchmarks) -----------------------

def bulk_insert(cur, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows at once into one of the service's tables."""
    from psycopg2.extras import execute_values

    if table not in {"members", "chapters", "memberships", "meetings", "targets",
                     "mandates"}:
        raise ValueError(f"no bulk loading into {table}")
    for column in columns:
        if not column.isidentifier():
            raise ValueError(f"bad column {column!r}")
    execute_values(cur, f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s", rows,
                   page_size=2000)


def prune_expired_credentials(cur) -> None:
    """Forget one-time and refresh tokens that can no longer be used (after a grace period)."""
    cur.execute("DELETE FROM member_tokens WHERE expires_at < now() - interval '7 days'"
                " OR used_at < now() - interval '7 days'")
    cur.execute("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '7 days'")


# --- delegates and recall (issue 7) ---------------------------------------------------------

def count_active_members_below(cur, chapter_id) -> int:
    """Active members of the chapter or of any chapter below it (each counted once)."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT count(DISTINCT m.member_id) AS n FROM memberships m"
        "   JOIN down ON down.id = m.chapter_id"
        "   JOIN members mb ON mb.id = m.member_id AND mb.status = 'active'",
        (chapter_id,),
    )
    return cur.fetchone()["n"]


def claim_election_seat(cur, poll_id: str, member_id, mandate_id) -> bool:
    """Reserve (poll, member) for one mandate; False when that election was recorded before."""
    cur.execute(
        "INSERT INTO delegate_elections_recorded (poll_id, member_id, mandate_id)"
        " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, member_id, mandate_id),
    )
    return cur.rowcount == 1


def election_recorded(cur, poll_id: str, member_id) -> bool:
    cur.execute(
        "SELECT 1 FROM delegate_elections_recorded WHERE poll_id = %s AND member_id = %s",
        (poll_id, member_id),
    )
    return cur.fetchone() is not None


def insert_mandate_with_id(cur, *, mandate_id, member_id, role, chapter_id, starts_at, ends_at,
                           note) -> dict:
    cur.execute(
        "INSERT INTO mandates (id, member_id, role, chapter_id, starts_at, ends_at, note)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (mandate_id, member_id, role, chapter_id, starts_at, ends_at, note),
    )
    return mandate_by_id(cur, mandate_id)


def insert_delegate_term(cur, *, mandate_id, chapter_id, poll_id, members_represented,
                         elected_at) -> None:
    cur.execute(
        "INSERT INTO delegate_terms (mandate_id, chapter_id, poll_id, members_represented,"
        " elected_at) VALUES (%s, %s, %s, %s, %s)",
        (mandate_id, chapter_id, poll_id, members_represented, elected_at),
    )


def delegate_term(cur, mandate_id) -> dict | None:
    cur.execute("SELECT * FROM delegate_terms WHERE mandate_id = %s", (mandate_id,))
    return cur.fetchone()


def mandates_with_terms(cur, member_id) -> list[dict]:
    """Every mandate the member ever held (newest first), with the delegate term if any."""
    cur.execute(
        f"SELECT {MANDATE_COLUMNS}, mb.display_name AS member_name, c.name AS chapter_name,"
        "       dt.poll_id, dt.members_represented, dt.elected_at"
        "  FROM mandates md JOIN members mb ON mb.id = md.member_id"
        "  LEFT JOIN chapters c ON c.id = md.chapter_id"
        "  LEFT JOIN delegate_terms dt ON dt.mandate_id = md.id"
        " WHERE md.member_id = %s ORDER BY md.starts_at DESC, md.id",
        (member_id,),
    )
    return cur.fetchall()


def recall_settings(cur, chapter_id) -> dict | None:
    cur.execute("SELECT * FROM recall_settings WHERE chapter_id = %s", (chapter_id,))
    return cur.fetchone()


def upsert_recall_settings(cur, chapter_id, values: dict, updated_by) -> None:
    cur.execute(
        "INSERT INTO recall_settings (chapter_id, threshold_percent, threshold_minimum,"
        " petition_days, cooling_off_days, vote_hours, quorum_percent, updated_by)"
        " VALUES (%(c)s, %(threshold_percent)s, %(threshold_minimum)s, %(petition_days)s,"
        "         %(cooling_off_days)s, %(vote_hours)s, %(quorum_percent)s, %(by)s)"
        " ON CONFLICT (chapter_id) DO UPDATE SET threshold_percent = EXCLUDED.threshold_percent,"
        "   threshold_minimum = EXCLUDED.threshold_minimum,"
        "   petition_days = EXCLUDED.petition_days, cooling_off_days = EXCLUDED.cooling_off_days,"
        "   vote_hours = EXCLUDED.vote_hours, quorum_percent = EXCLUDED.quorum_percent,"
        "   updated_by = EXCLUDED.updated_by, updated_at = now()",
        {**values, "c": chapter_id, "by": updated_by},
    )


PETITION_COLUMNS = (
    "p.*, (SELECT count(*) FROM recall_signatures s WHERE s.petition_id = p.id)::int"
    " AS signatures, mb.display_name AS delegate_name, c.name AS chapter_name"
)


def insert_petition(cur, petition: dict) -> None:
    cur.execute(
        "INSERT INTO recall_petitions (id, mandate_id, chapter_id, delegate_id, opened_by,"
        " reason, threshold, members_at_opening, vote_hours, cooling_off_days, quorum_percent,"
        " opened_at, expires_at) VALUES (%(id)s, %(mandate_id)s, %(chapter_id)s,"
        " %(delegate_id)s, %(opened_by)s, %(reason)s, %(threshold)s, %(members_at_opening)s,"
        " %(vote_hours)s, %(cooling_off_days)s, %(quorum_percent)s, %(opened_at)s,"
        " %(expires_at)s)",
        petition,
    )


def petition_by_id(cur, petition_id, *, for_update: bool = False) -> dict | None:
    if for_update:
        cur.execute("SELECT 1 FROM recall_petitions WHERE id = %s FOR UPDATE", (petition_id,))
        if cur.fetchone() is None:
            return None
    cur.execute(
        f"SELECT {PETITION_COLUMNS} FROM recall_petitions p"
        " JOIN members mb ON mb.id = p.delegate_id JOIN chapters c ON c.id = p.chapter_id"
        " WHERE p.id = %s",
        (petition_id,),
    )
    return cur.fetchone()


def list_petitions(cur, *, chapter_id=None, mandate_id=None, status=None, limit=50,
                   offset=0) -> list[dict]:
    cur.execute(
        f"SELECT {PETITION_COLUMNS} FROM recall_petitions p"
        " JOIN members mb ON mb.id = p.delegate_id JOIN chapters c ON c.id = p.chapter_id"
        " WHERE (%(c)s::uuid IS NULL OR p.chapter_id = %(c)s)"
        "   AND (%(m)s::uuid IS NULL OR p.mandate_id = %(m)s)"
        "   AND (%(s)s::text IS NULL OR p.status = %(s)s)"
        " ORDER BY p.opened_at DESC, p.id LIMIT %(limit)s OFFSET %(offset)s",
        {"c": chapter_id, "m": mandate_id, "s": status, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def live_petition_of(cur, mandate_id) -> dict | None:
    cur.execute(
        "SELECT id FROM recall_petitions WHERE mandate_id = %s"
        " AND status IN ('open', 'threshold_reached', 'voting')",
        (mandate_id,),
    )
    return cur.fetchone()


def cooling_off_until(cur, mandate_id, now) -> dt.datetime | None:
    cur.execute(
        "SELECT max(cooling_off_until) AS until FROM recall_petitions"
        " WHERE mandate_id = %s AND status = 'kept' AND cooling_off_until > %s",
        (mandate_id, now),
    )
    return cur.fetchone()["until"]


def add_signature(cur, petition_id, member_id) -> bool:
    cur.execute(
        "INSERT INTO recall_signatures (petition_id, member_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (petition_id, member_id),
    )
    return cur.rowcount == 1


def remove_signature(cur, petition_id, member_id) -> bool:
    cur.execute(
        "DELETE FROM recall_signatures WHERE petition_id = %s AND member_id = %s",
        (petition_id, member_id),
    )
    return cur.rowcount == 1


def has_signed(cur, petition_id, member_id) -> bool:
    cur.execute(
        "SELECT 1 FROM recall_signatures WHERE petition_id = %s AND member_id = %s",
        (petition_id, member_id),
    )
    return cur.fetchone() is not None


def update_petition(cur, petition_id, changes: dict) -> None:
    allowed = ("status", "threshold_at", "poll_id", "decided_at", "votes_for", "votes_against",
               "cooling_off_until", "voters", "electorate", "outcome_reason")
    keys = [k for k in changes if k in allowed]
    if not keys:
        return
    assignments = ", ".join(f"{k} = %({k})s" for k in keys)
    cur.execute(
        f"UPDATE recall_petitions SET {assignments} WHERE id = %(id)s",  # noqa: S608 - fixed keys
        {**{k: changes[k] for k in keys}, "id": petition_id},
    )


def expire_petitions(cur, now) -> list[dict]:
    cur.execute(
        "UPDATE recall_petitions SET status = 'expired', decided_at = %s"
        " WHERE status = 'open' AND expires_at <= %s"
        " RETURNING id, mandate_id, chapter_id, delegate_id",
        (now, now),
    )
    return cur.fetchall()


# --- the end of mandates' terms --------------------------------------------------------------

def mandates_ending(cur, now, limit: int = 500) -> list[dict]:
    """Mandates whose term has passed and whose end is not announced yet (locked; skipped when
    another worker holds them)."""
    cur.execute(
        f"SELECT {MANDATE_COLUMNS} FROM mandates md"
        " WHERE md.ended_announced_at IS NULL AND md.revoked_at IS NULL"
        "   AND md.ends_at IS NOT NULL AND md.ends_at <= %s"
        " ORDER BY md.ends_at, md.id LIMIT %s FOR UPDATE SKIP LOCKED",
        (now, limit),
    )
    return cur.fetchall()


def live_delegate_mandates(cur, chapter_id, *, except_poll) -> list[dict]:
    """The chapter's delegate mandates still running (locked), other than those `except_poll`
    granted."""
    cur.execute(
        f"SELECT {MANDATE_COLUMNS} FROM mandates md"
        " LEFT JOIN delegate_terms dt ON dt.mandate_id = md.id"
        " WHERE md.role = 'delegate' AND md.chapter_id = %s AND md.revoked_at IS NULL"
        "   AND md.ended_announced_at IS NULL"
        "   AND (md.ends_at IS NULL OR md.ends_at > now())"
        "   AND dt.poll_id IS DISTINCT FROM %s"
        " ORDER BY md.starts_at, md.id FOR UPDATE OF md",
        (chapter_id, except_poll),
    )
    return cur.fetchall()


def mark_mandate_ended(cur, mandate_id, ends_at) -> dict | None:
    """Record that the mandate ended at `ends_at` (never later than its own term) and that this
    was announced; None when it was announced already."""
    cur.execute(
        "UPDATE mandates SET ends_at = LEAST(COALESCE(ends_at, %s), %s),"
        " ended_announced_at = now() WHERE id = %s AND ended_announced_at IS NULL RETURNING id",
        (ends_at, ends_at, mandate_id),
    )
    return mandate_by_id(cur, mandate_id) if cur.fetchone() else None


def count_election_seats(cur, poll_id) -> int:
    """How many mandates the delegate election `poll_id` has granted."""
    cur.execute("SELECT count(*) AS n FROM delegate_elections_recorded WHERE poll_id = %s",
                (str(poll_id),))
    return cur.fetchone()["n"]
