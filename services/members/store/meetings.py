"""SQL of chapter meetings and who attended them."""

from __future__ import annotations

import uuid

MEETING_COLUMNS = (
    "id, chapter_id, held_on, place, agenda, minutes, attendance, note, recorded_by,"
    " created_at, updated_at"
)
# The fields a coordinator writes (the rest are kept by the service).
WRITABLE = ("held_on", "place", "agenda", "minutes", "attendance", "note")


def insert_meeting(cur, chapter_id, fields: dict, recorded_by) -> dict:
    values = [fields.get(name) for name in WRITABLE]
    cur.execute(
        f"INSERT INTO meetings (id, chapter_id, recorded_by, {', '.join(WRITABLE)})"
        f" VALUES (%s, %s, %s, {', '.join(['%s'] * len(WRITABLE))})"
        f" RETURNING {MEETING_COLUMNS}",
        (uuid.uuid4(), chapter_id, recorded_by, *values),
    )
    return cur.fetchone()


def meeting_by_id(cur, chapter_id, meeting_id, *, for_update: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {MEETING_COLUMNS} FROM meetings WHERE id = %s AND chapter_id = %s"
        + (" FOR UPDATE" if for_update else ""),
        (meeting_id, chapter_id),
    )
    return cur.fetchone()


def update_meeting(cur, meeting_id, changes: dict) -> dict:
    names = [name for name in WRITABLE if name in changes]
    assignments = "".join(f"{name} = %s, " for name in names)
    cur.execute(
        f"UPDATE meetings SET {assignments}updated_at = now() WHERE id = %s"
        f" RETURNING {MEETING_COLUMNS}",
        (*[changes[name] for name in names], meeting_id),
    )
    return cur.fetchone()


def delete_meeting(cur, meeting_id) -> None:
    cur.execute("DELETE FROM meetings WHERE id = %s", (meeting_id,))


def set_attendees(cur, meeting_id, member_ids: list) -> None:
    cur.execute("DELETE FROM meeting_attendees WHERE meeting_id = %s", (meeting_id,))
    cur.execute(
        "INSERT INTO meeting_attendees (meeting_id, member_id)"
        " SELECT %s, unnest(%s::uuid[]) ON CONFLICT DO NOTHING",
        (meeting_id, [str(m) for m in member_ids]),
    )


def attendees_of(cur, meeting_ids: list) -> dict:
    """{meeting id: [{id, display_name}]} of the members recorded present, by name."""
    cur.execute(
        "SELECT a.meeting_id, m.id, m.display_name FROM meeting_attendees a"
        " JOIN members m ON m.id = a.member_id WHERE a.meeting_id = ANY(%s)"
        " ORDER BY m.display_name, m.id",
        (list(meeting_ids),),
    )
    found: dict = {meeting_id: [] for meeting_id in meeting_ids}
    for row in cur.fetchall():
        found.setdefault(row.pop("meeting_id"), []).append(row)
    return found


def members_outside(cur, chapter_id, member_ids: list) -> list:
    """Those of `member_ids` who are not members of the chapter (directly or below it)."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT given.id FROM unnest(%s::uuid[]) AS given (id)"
        " WHERE NOT EXISTS (SELECT 1 FROM memberships ms JOIN down ON down.id = ms.chapter_id"
        "                    WHERE ms.member_id = given.id)",
        (chapter_id, [str(m) for m in member_ids]),
    )
    return [row["id"] for row in cur.fetchall()]


def list_meetings(cur, chapter_id, limit=50, offset=0) -> list[dict]:
    cur.execute(
        f"SELECT {MEETING_COLUMNS} FROM meetings"
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
