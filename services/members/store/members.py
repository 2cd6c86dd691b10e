"""SQL of members' accounts and their status."""

from __future__ import annotations

import uuid

from services.members.store.rows import existing, update_columns

MEMBER_COLUMNS = (
    "id, email, display_name, country, language, phone, gender, introduction, status, "
    "email_verified_at, created_at, activated_at, activated_by, deleted_at, suspended_at, "
    "suspend_reason, rejected_at, reject_reason"
)


def insert_member(
    cur,
    *,
    email,
    password_hash,
    display_name,
    country,
    language=None,
    phone=None,
    gender=None,
    introduction=None,
    status="pending",
) -> dict | None:
    """The new member, or None when the address is taken (case-insensitively)."""
    cur.execute(
        "INSERT INTO members (id, email, password_hash, display_name, country, language, phone,"
        " gender, introduction, status, activated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        "         CASE WHEN %s = 'active' THEN now() END)"
        " ON CONFLICT (lower(email)) DO NOTHING"
        f" RETURNING {MEMBER_COLUMNS}",
        (
            uuid.uuid4(),
            email,
            password_hash,
            display_name,
            country,
            language,
            phone,
            gender,
            introduction,
            status,
            status,
        ),
    )
    return cur.fetchone()


def member_by_id(cur, member_id, *, for_update: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = %s"
        + (" FOR UPDATE" if for_update else ""),
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
    allowed = {
        "email",
        "display_name",
        "country",
        "language",
        "phone",
        "gender",
        "introduction",
        "email_verified_at",
    }
    update_columns(cur, "members", member_id, changes, allowed)
    return existing(member_by_id(cur, member_id))


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


def list_members(
    cur,
    *,
    status=None,
    query=None,
    limit=50,
    offset=0,
    country=None,
    chapter_id=None,
    suspended=None,
) -> list[dict]:
    """Members by status, name or address, country, chapter (its sub-chapters included: the
    chapter's own sub-tree is walked down, never the whole federation's)."""
    cur.execute(
        "WITH RECURSIVE below (id, depth) AS ("
        "  SELECT id, 0 FROM chapters WHERE id = %(chapter)s"
        "  UNION ALL"
        "  SELECT c.id, below.depth + 1 FROM below JOIN chapters c ON c.parent_id = below.id"
        "   WHERE below.depth < 64"
        f") SELECT {MEMBER_COLUMNS} FROM members"
        " WHERE (%(status)s::text IS NULL OR status = %(status)s)"
        "   AND (%(q)s::text IS NULL OR display_name ILIKE %(like)s OR email ILIKE %(like)s)"
        "   AND (%(country)s::text IS NULL OR country = %(country)s)"
        "   AND (%(suspended)s::boolean IS NULL"
        "        OR (suspended_at IS NOT NULL) = %(suspended)s)"
        "   AND (%(chapter)s::uuid IS NULL OR id IN ("
        "        SELECT ms.member_id FROM memberships ms JOIN below ON below.id = ms.chapter_id))"
        " ORDER BY created_at DESC, id LIMIT %(limit)s OFFSET %(offset)s",
        {
            "status": status,
            "q": query,
            "like": f"%{query}%" if query else None,
            "country": country,
            "chapter": chapter_id,
            "suspended": suspended,
            "limit": limit,
            "offset": offset,
        },
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


# The chapters a pending member may be listed under: one chapter and its sub-chapters, and the
# chapters a member joined and theirs ("mine"); each tree walked from its root only.
PENDING_SCOPES_CTE = """
WITH RECURSIVE below_chapter (id) AS (
    SELECT id FROM chapters WHERE id = %(chapter)s::uuid
    UNION SELECT c.id FROM below_chapter b JOIN chapters c ON c.parent_id = b.id
), below_mine (id) AS (
    SELECT chapter_id FROM memberships WHERE member_id = %(mine)s::uuid
    UNION SELECT c.id FROM below_mine b JOIN chapters c ON c.parent_id = b.id
)
"""


def list_pending_with_vouches(
    cur, limit=50, offset=0, *, chapter_id=None, mine_of=None
) -> list[dict]:
    """Pending members, newest first; in `chapter_id` or below, and/or in a chapter `mine_of`
    joined or below, when given."""
    cur.execute(
        PENDING_SCOPES_CTE + "SELECT m.id, m.display_name, m.country, m.introduction,"
        "       m.created_at,"
        "       count(v.voucher_id) FILTER (WHERE v.counted) AS vouches"
        "  FROM members m LEFT JOIN vouches v ON v.member_id = m.id"
        " WHERE m.status = 'pending'"
        "   AND (%(chapter)s::uuid IS NULL OR m.id IN (SELECT ms.member_id FROM memberships ms"
        "        JOIN below_chapter b ON b.id = ms.chapter_id))"
        "   AND (%(mine)s::uuid IS NULL OR m.id IN (SELECT ms.member_id FROM memberships ms"
        "        JOIN below_mine b ON b.id = ms.chapter_id))"
        " GROUP BY m.id ORDER BY m.created_at DESC, m.id LIMIT %(limit)s OFFSET %(offset)s",
        {"chapter": chapter_id, "mine": mine_of, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def all_member_ids(cur) -> list:
    cur.execute("SELECT id FROM members ORDER BY created_at, id")
    return [row["id"] for row in cur.fetchall()]


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
