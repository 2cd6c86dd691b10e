"""SQL of proposals (members' drafts of polls)."""

from __future__ import annotations

from psycopg2.extras import Json

# --- proposals -----------------------------------------------------------------------------


def insert_proposal(cur, proposal: dict) -> None:
    cur.execute(
        "INSERT INTO proposals (id, title, text, scope_type, scope_id, questions, author_id,"
        " status, discussion_ends_at) VALUES (%(id)s, %(title)s, %(text)s, %(scope_type)s,"
        " %(scope_id)s, %(questions)s, %(author_id)s, 'draft', %(discussion_ends_at)s)",
        {**proposal, "questions": Json(proposal["questions"])},
    )


_PROPOSAL_COLUMNS = (
    "id, title, text, scope_type, scope_id, questions, author_id, status, poll_id, created_at,"
    " updated_at, discussion_ends_at, initiative_opened_at,"
    " (SELECT m.display_name FROM replica_members m"
    " WHERE m.member_id = proposals.author_id) AS author_name"
)


def get_proposal(cur, proposal_id, *, lock: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {_PROPOSAL_COLUMNS} FROM proposals WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (proposal_id,),
    )
    return cur.fetchone()


def list_proposals(cur, status: str | None, limit: int, offset: int) -> list[dict]:
    clause, params = ("", []) if not status else (" WHERE status = %s", [status])
    cur.execute(
        f"SELECT {_PROPOSAL_COLUMNS} FROM proposals{clause} ORDER BY created_at DESC, id"
        " LIMIT %s OFFSET %s",
        (*params, limit, offset),
    )
    return cur.fetchall()


def update_proposal(cur, proposal_id, changes: dict) -> None:
    allowed = {"title", "text", "questions", "status", "poll_id", "initiative_opened_at"}
    sets, params = [], []
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(key)
        sets.append(f"{key} = %s")
        params.append(Json(value) if key == "questions" else value)
    cur.execute(
        f"UPDATE proposals SET {', '.join(sets)}, updated_at = now() WHERE id = %s",
        (*params, proposal_id),
    )


def reopen_after_cancelled_poll(cur, proposal_id, poll_id) -> None:
    """The proposal whose poll `poll_id` was cancelled is a draft again (poll_id kept)."""
    cur.execute(
        "UPDATE proposals SET status = 'draft', updated_at = now()"
        " WHERE id = %s AND status = 'opened' AND poll_id = %s",
        (proposal_id, poll_id),
    )
