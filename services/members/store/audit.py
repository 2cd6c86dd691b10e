"""SQL of the audit log."""

from __future__ import annotations

from psycopg2.extras import Json


def insert_audit(
    cur,
    *,
    action,
    actor_id=None,
    member_id=None,
    mandate_id=None,
    role=None,
    chapter_id=None,
    detail=None,
) -> None:
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
