"""SQL of currents and their members."""

from __future__ import annotations

import uuid


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
