"""SQL of mandates."""

from __future__ import annotations

import uuid

from services.members.store.rows import existing

MANDATE_COLUMNS = (
    "md.id, md.member_id, md.role, md.chapter_id, md.starts_at, md.ends_at, md.granted_by,"
    " md.granted_at, md.note, md.revoked_at, md.revoked_by, md.revoke_reason, md.interim,"
    " (md.revoked_at IS NULL AND md.starts_at <= now()"
    "  AND (md.ends_at IS NULL OR md.ends_at > now())) AS active,"
    " EXISTS (SELECT 1 FROM delegate_elections_recorded er WHERE er.mandate_id = md.id)"
    " AS elected"
)


def insert_mandate(
    cur, *, member_id, role, chapter_id, starts_at, ends_at, granted_by, note, interim=False
) -> dict:
    cur.execute(
        "INSERT INTO mandates (id, member_id, role, chapter_id, starts_at, ends_at, granted_by,"
        " note, interim) VALUES (%s, %s, %s, %s, COALESCE(%s, now()), %s, %s, %s, %s)"
        " RETURNING id",
        (uuid.uuid4(), member_id, role, chapter_id, starts_at, ends_at, granted_by, note, interim),
    )
    return existing(mandate_by_id(cur, cur.fetchone()["id"]))


def transaction_now(cur):
    """The database's `now()`: when a mandate granted in this transaction starts."""
    cur.execute("SELECT now() AS now")
    return cur.fetchone()["now"]


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


def set_mandate_end(cur, mandate_id, ends_at) -> None:
    cur.execute("UPDATE mandates SET ends_at = %s WHERE id = %s", (ends_at, mandate_id))


def list_mandates(
    cur,
    *,
    member_id=None,
    chapter_id=None,
    role=None,
    active_only=True,
    elected=None,
    limit=100,
    offset=0,
) -> list[dict]:
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
        "   AND (%(elected)s::boolean IS NULL OR %(elected)s = EXISTS (SELECT 1"
        "        FROM delegate_elections_recorded er WHERE er.mandate_id = md.id))"
        " ORDER BY md.granted_at DESC, md.id LIMIT %(limit)s OFFSET %(offset)s",
        {
            "member": member_id,
            "chapter": chapter_id,
            "role": role,
            "active": active_only,
            "elected": elected,
            "limit": limit,
            "offset": offset,
        },
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


def insert_mandate_with_id(
    cur, *, mandate_id, member_id, role, chapter_id, starts_at, ends_at, note
) -> dict:
    cur.execute(
        "INSERT INTO mandates (id, member_id, role, chapter_id, starts_at, ends_at, note)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (mandate_id, member_id, role, chapter_id, starts_at, ends_at, note),
    )
    return existing(mandate_by_id(cur, mandate_id))


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


def mark_mandate_ended(cur, mandate_id, ends_at) -> dict | None:
    """Record that the mandate ended at `ends_at` (never later than its own term) and that this
    was announced; None when it was announced already."""
    cur.execute(
        "UPDATE mandates SET ends_at = LEAST(COALESCE(ends_at, %s), %s),"
        " ended_announced_at = now() WHERE id = %s AND ended_announced_at IS NULL RETURNING id",
        (ends_at, ends_at, mandate_id),
    )
    return mandate_by_id(cur, mandate_id) if cur.fetchone() else None


def live_mandates_of_role(cur, role: str, chapter_id, *, except_poll: str) -> list[dict]:
    """The live mandates of `role` for `chapter_id` (None: the organisation's admins), locked,
    other than those the election `except_poll` granted: what a new election supersedes."""
    cur.execute(
        f"SELECT {MANDATE_COLUMNS} FROM mandates md"
        " WHERE md.role = %(role)s AND md.chapter_id IS NOT DISTINCT FROM %(chapter)s"
        "   AND md.revoked_at IS NULL AND md.ended_announced_at IS NULL"
        "   AND (md.ends_at IS NULL OR md.ends_at > now())"
        "   AND NOT EXISTS (SELECT 1 FROM delegate_elections_recorded r"
        "                    WHERE r.mandate_id = md.id AND r.poll_id = %(poll)s)"
        " ORDER BY md.starts_at, md.id FOR UPDATE OF md",
        {"role": role, "chapter": chapter_id, "poll": except_poll},
    )
    return cur.fetchall()


def any_admin_mandate_ever(cur) -> bool:
    """Whether an admin mandate was ever granted (the interim one is granted only before)."""
    cur.execute("SELECT 1 FROM mandates WHERE role = 'admin' LIMIT 1")
    return cur.fetchone() is not None


def has_elected_holders(cur, role: str, chapter_id) -> bool:
    """Whether a live mandate of `role` for `chapter_id` (None: the organisation's admins) was
    granted by the members' election: while one is, nobody appoints to that role."""
    cur.execute(
        "SELECT 1 FROM mandates md"
        " JOIN delegate_elections_recorded er ON er.mandate_id = md.id"
        " WHERE md.role = %s AND md.chapter_id IS NOT DISTINCT FROM %s"
        "   AND md.revoked_at IS NULL AND md.ended_announced_at IS NULL"
        "   AND (md.ends_at IS NULL OR md.ends_at > now()) LIMIT 1",
        (role, chapter_id),
    )
    return cur.fetchone() is not None


def elected_scopes(cur) -> list[dict]:
    """Where the members elected the holders of a role and they are live: {role, chapter_id}
    (chapter_id None: the organisation's admins)."""
    cur.execute(
        "SELECT DISTINCT md.role, md.chapter_id FROM mandates md"
        " JOIN delegate_elections_recorded er ON er.mandate_id = md.id"
        " WHERE md.role IN ('admin', 'coordinator')"
        "   AND md.revoked_at IS NULL AND md.ended_announced_at IS NULL"
        "   AND (md.ends_at IS NULL OR md.ends_at > now())"
        " ORDER BY md.role, md.chapter_id"
    )
    return cur.fetchall()
