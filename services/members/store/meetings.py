"""SQL of chapter meetings."""

from __future__ import annotations

import uuid


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


def meetings_recorded_by(cur, member_id) -> list[dict]:
    cur.execute(
        "SELECT id, chapter_id, held_on, note, created_at FROM meetings"
        " WHERE recorded_by = %s ORDER BY held_on",
        (member_id,),
    )
    return cur.fetchall()
