"""SQL of the requests chapters send upward: a delegate poll asked of the level above."""

from __future__ import annotations

from psycopg2.extras import Json

_COLUMNS = (
    "r.id, r.chapter_id, r.parent_id, r.title, r.text, r.questions, r.basis,"
    " r.decided_by_poll_id, r.filed_by, r.filed_at, r.answer_due_at, r.status, r.answered_at,"
    " r.answered_by, r.refusal_reason, r.poll_id,"
    " (SELECT c.name FROM replica_chapters c WHERE c.chapter_id = r.chapter_id) AS chapter_name,"
    " (SELECT c.name FROM replica_chapters c WHERE c.chapter_id = r.parent_id) AS parent_name,"
    " (SELECT m.display_name FROM replica_members m WHERE m.member_id = r.filed_by)"
    " AS filed_by_name"
)


def parent_of(cur, chapter_id: str) -> tuple[bool, str | None]:
    """(known, parent_id) of a chapter in polls' replica."""
    cur.execute("SELECT parent_id FROM replica_chapters WHERE chapter_id = %s", (chapter_id,))
    row = cur.fetchone()
    return (row is not None, row["parent_id"] if row else None)


def pending_same(cur, chapter_id: str, title: str, questions: list) -> str | None:
    """The id of the chapter's pending request with this title and these questions, if any;
    serialised per chapter for the caller's transaction (two sent at once find each other)."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"upward:{chapter_id}",))
    cur.execute(
        "SELECT id::text AS id FROM upward_requests WHERE chapter_id = %s AND status = 'pending'"
        " AND title = %s AND questions = %s LIMIT 1",
        (chapter_id, title, Json(questions)),
    )
    row = cur.fetchone()
    return row["id"] if row else None


def grounded_by(cur, poll_id) -> str | None:
    """The id of the request a chapter poll already grounds, if any."""
    cur.execute(
        "SELECT id::text AS id FROM upward_requests WHERE decided_by_poll_id = %s LIMIT 1",
        (poll_id,),
    )
    row = cur.fetchone()
    return row["id"] if row else None


def insert_request(cur, request: dict) -> None:
    cur.execute(
        "INSERT INTO upward_requests (id, chapter_id, parent_id, title, text, questions, basis,"
        " decided_by_poll_id, filed_by, filed_at, answer_due_at) VALUES (%(id)s,"
        " %(chapter_id)s, %(parent_id)s, %(title)s, %(text)s, %(questions)s, %(basis)s,"
        " %(decided_by_poll_id)s, %(filed_by)s, %(filed_at)s, %(answer_due_at)s)",
        {**request, "questions": Json(request["questions"])},
    )


def get_request(cur, request_id, *, lock: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {_COLUMNS} FROM upward_requests r WHERE r.id = %s"
        + (" FOR UPDATE OF r" if lock else ""),
        (request_id,),
    )
    return cur.fetchone()


def list_requests(cur, filters: dict, limit: int, offset: int) -> list[dict]:
    """Newest first; `filters` may hold chapter_id (asking), parent_id (asked), status."""
    clauses, params = [], []
    for column in ("chapter_id", "parent_id", "status"):
        if filters.get(column):
            clauses.append(f"r.{column} = %s")
            params.append(filters[column])
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    cur.execute(
        f"SELECT {_COLUMNS} FROM upward_requests r{where}"
        " ORDER BY r.filed_at DESC, r.id LIMIT %s OFFSET %s",
        (*params, limit, offset),
    )
    return cur.fetchall()


def answer(cur, request_id, changes: dict) -> None:
    cur.execute(
        "UPDATE upward_requests SET status = %(status)s, answered_at = %(answered_at)s,"
        " answered_by = %(answered_by)s, refusal_reason = %(refusal_reason)s,"
        " poll_id = %(poll_id)s WHERE id = %(id)s",
        {"refusal_reason": None, "poll_id": None, **changes, "id": request_id},
    )


def overdue_unannounced(cur, now) -> list[dict]:
    """Pending requests past their deadline whose overdue notice is not out yet, locked (the
    scheduler's turns never announce one twice)."""
    cur.execute(
        f"SELECT {_COLUMNS} FROM upward_requests r WHERE r.status = 'pending'"
        " AND r.overdue_announced_at IS NULL AND r.answer_due_at < %s"
        " ORDER BY r.answer_due_at, r.id FOR UPDATE OF r SKIP LOCKED",
        (now,),
    )
    return cur.fetchall()


def mark_overdue_announced(cur, request_id, at) -> None:
    cur.execute(
        "UPDATE upward_requests SET overdue_announced_at = %s WHERE id = %s", (at, request_id)
    )
