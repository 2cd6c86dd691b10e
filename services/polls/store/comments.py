"""SQL of discussions: comments, mentions, reactions and reports."""

from __future__ import annotations

# --- comments ------------------------------------------------------------------------------


def insert_comment(cur, comment: dict) -> None:
    cur.execute(
        "INSERT INTO comments (id, poll_id, proposal_id, parent_id, author_id, body)"
        " VALUES (%(id)s, %(poll_id)s, %(proposal_id)s, %(parent_id)s, %(author_id)s, %(body)s)",
        comment,
    )


def get_comment(cur, comment_id) -> dict | None:
    cur.execute(
        "SELECT id, poll_id, proposal_id, parent_id, author_id, body, created_at, edited_at,"
        " hidden_reason, hidden_by FROM comments WHERE id = %s",
        (comment_id,),
    )
    return cur.fetchone()


# One comment as the discussion shows it: its author's name, counts, the viewer's reaction.
_COMMENT_VIEW = (
    "SELECT c.id, c.parent_id, c.author_id, m.display_name AS author_name, c.body,"
    " c.created_at, c.edited_at, c.hidden_reason, c.hidden_by, c.restored_reason,"
    " (SELECT count(*) FROM comment_reactions r WHERE r.comment_id = c.id"
    "  AND r.reaction = 'like') AS likes,"
    " (SELECT count(*) FROM comment_reactions r WHERE r.comment_id = c.id"
    "  AND r.reaction = 'dislike') AS dislikes,"
    " (SELECT r.reaction FROM comment_reactions r WHERE r.comment_id = c.id"
    "  AND r.member_id = %(viewer)s) AS my_reaction,"
    " (SELECT count(*) FROM comments x WHERE x.parent_id = c.id) AS reply_count"
    " FROM comments c LEFT JOIN replica_members m ON m.member_id = c.author_id"
)
_SORTS = {
    "oldest": "created_at, id",
    "newest": "created_at DESC, id DESC",
    "best": "likes - dislikes DESC, likes DESC, created_at DESC, id",
}


def comment_view(cur, comment_id, viewer: str | None) -> dict | None:
    cur.execute(_COMMENT_VIEW + " WHERE c.id = %(id)s", {"id": comment_id, "viewer": viewer})
    return cur.fetchone()


def _subject_column(kind: str) -> str:
    return {"poll": "poll_id", "proposal": "proposal_id"}[kind]


def count_comments(cur, kind: str, subject_id) -> tuple[int, int]:
    """(threads, comments) of one discussion."""
    column = _subject_column(kind)
    cur.execute(
        f"SELECT count(*) FILTER (WHERE parent_id IS NULL) AS threads, count(*) AS comments"
        f" FROM comments WHERE {column} = %s",
        (subject_id,),
    )
    row = cur.fetchone()
    return int(row["threads"]), int(row["comments"])


def comment_threads(
    cur, kind: str, subject_id, sort: str, limit: int, offset: int, viewer: str | None
) -> list[dict]:
    """One page of top-level comments in the chosen order."""
    column = _subject_column(kind)
    cur.execute(
        f"SELECT * FROM ({_COMMENT_VIEW} WHERE c.{column} = %(subject)s"
        f" AND c.parent_id IS NULL) v ORDER BY {_SORTS[sort]} LIMIT %(limit)s OFFSET %(offset)s",
        {"subject": subject_id, "viewer": viewer, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def comment_replies(cur, root_ids: list, cap: int, viewer: str | None) -> list[dict]:
    """The replies (any depth, at most 50 levels) under these comments, oldest first, at most
    `cap` of them."""
    if not root_ids:
        return []
    cur.execute(
        "WITH RECURSIVE t AS ("
        " SELECT id, 1 AS depth FROM comments WHERE parent_id = ANY(%(roots)s::uuid[])"
        " UNION ALL SELECT x.id, t.depth + 1 FROM comments x JOIN t ON x.parent_id = t.id"
        " WHERE t.depth < 50)"
        + _COMMENT_VIEW
        + " WHERE c.id IN (SELECT id FROM t) ORDER BY c.created_at, c.id LIMIT %(cap)s",
        {"roots": [str(r) for r in root_ids], "viewer": viewer, "cap": cap},
    )
    return cur.fetchall()


def edit_comment(cur, comment_id, body: str) -> None:
    cur.execute(
        "UPDATE comments SET body = %s, edited_at = now() WHERE id = %s", (body, comment_id)
    )


def members_by_handle(cur, handles: list[str]) -> dict[str, str]:
    """handle (lower case) → member id, for handles that name exactly one member."""
    if not handles:
        return {}
    cur.execute(
        "SELECT lower(regexp_replace(display_name, '[[:space:]._]', '', 'g')) AS handle,"
        " min(member_id) AS member_id, count(*) AS n FROM replica_members"
        " WHERE NOT deleted AND lower(regexp_replace(display_name, '[[:space:]._]', '', 'g'))"
        " = ANY(%s) GROUP BY 1",
        (handles,),
    )
    return {row["handle"]: row["member_id"] for row in cur.fetchall() if row["n"] == 1}


def set_mentions(cur, comment_id, mentions: dict[str, str]) -> None:
    """Replace a comment's mentions (member id → handle as written)."""
    cur.execute("DELETE FROM comment_mentions WHERE comment_id = %s", (comment_id,))
    for member_id, handle in mentions.items():
        cur.execute(
            "INSERT INTO comment_mentions (comment_id, member_id, handle) VALUES (%s, %s, %s)",
            (comment_id, member_id, handle),
        )


def mentions_of(cur, comment_ids: list) -> dict[str, list[dict]]:
    if not comment_ids:
        return {}
    cur.execute(
        "SELECT comment_id, member_id, handle FROM comment_mentions"
        " WHERE comment_id = ANY(%s::uuid[]) ORDER BY handle",
        ([str(c) for c in comment_ids],),
    )
    found: dict[str, list[dict]] = {}
    for row in cur.fetchall():
        found.setdefault(str(row["comment_id"]), []).append(
            {"member_id": row["member_id"], "handle": row["handle"]}
        )
    return found


def report_comment(cur, comment_id, member_id: str, reason: str) -> None:
    """A member's report; reporting again replaces the reason and reopens it."""
    cur.execute(
        "INSERT INTO comment_reports (comment_id, member_id, reason) VALUES (%s, %s, %s)"
        " ON CONFLICT (comment_id, member_id) DO UPDATE SET reason = EXCLUDED.reason,"
        " created_at = now(), resolved_at = NULL, resolved_by = NULL",
        (comment_id, member_id, reason),
    )


def resolve_reports(cur, comment_id, resolved_by: str) -> int:
    cur.execute(
        "UPDATE comment_reports SET resolved_at = now(), resolved_by = %s"
        " WHERE comment_id = %s AND resolved_at IS NULL",
        (resolved_by, comment_id),
    )
    return cur.rowcount


def reported_comments(cur, limit: int, offset: int) -> list[dict]:
    """Comments with open reports, the most reported first, each with its latest reasons."""
    cur.execute(
        "SELECT c.id, c.poll_id, c.proposal_id, c.author_id, m.display_name AS author_name,"
        " c.body, c.created_at, c.hidden_reason, count(*) AS reports,"
        " max(r.created_at) AS last_reported_at,"
        " (array_agg(r.reason ORDER BY r.created_at DESC))[1:5] AS reasons"
        " FROM comment_reports r JOIN comments c ON c.id = r.comment_id"
        " LEFT JOIN replica_members m ON m.member_id = c.author_id"
        " WHERE r.resolved_at IS NULL GROUP BY c.id, m.display_name"
        " ORDER BY count(*) DESC, max(r.created_at) DESC, c.id LIMIT %s OFFSET %s",
        (limit, offset),
    )
    return cur.fetchall()


def count_reported(cur) -> int:
    cur.execute(
        "SELECT count(DISTINCT comment_id) AS n FROM comment_reports WHERE resolved_at IS NULL"
    )
    return int(cur.fetchone()["n"])


def react(cur, comment_id, member_id: str, reaction: str | None) -> None:
    if reaction is None:
        cur.execute(
            "DELETE FROM comment_reactions WHERE comment_id = %s AND member_id = %s",
            (comment_id, member_id),
        )
        return
    cur.execute(
        "INSERT INTO comment_reactions (comment_id, member_id, reaction) VALUES (%s, %s, %s)"
        " ON CONFLICT (comment_id, member_id) DO UPDATE SET reaction = EXCLUDED.reaction",
        (comment_id, member_id, reaction),
    )


def hide_comment(cur, comment_id, reason: str, hidden_by: str) -> None:
    cur.execute(
        "UPDATE comments SET hidden_reason = %s, hidden_by = %s, hidden_at = now(),"
        " restored_reason = NULL, restored_at = NULL, restored_by = NULL WHERE id = %s",
        (reason, hidden_by, comment_id),
    )


def restore_comment(cur, comment_id, reason: str, restored_by: str) -> None:
    cur.execute(
        "UPDATE comments SET hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL,"
        " restored_reason = %s, restored_at = now(), restored_by = %s WHERE id = %s",
        (reason, restored_by, comment_id),
    )


def hidden_comments(cur, limit: int, offset: int) -> list[dict]:
    """Hidden comments, latest hidden first (those hidden before hidden_at was kept last)."""
    cur.execute(
        "SELECT c.id, c.poll_id, c.proposal_id, c.author_id, m.display_name AS author_name,"
        " c.body, c.created_at, c.hidden_reason, c.hidden_at FROM comments c"
        " LEFT JOIN replica_members m ON m.member_id = c.author_id"
        " WHERE c.hidden_reason IS NOT NULL"
        " ORDER BY c.hidden_at DESC NULLS LAST, c.id LIMIT %s OFFSET %s",
        (limit, offset),
    )
    return cur.fetchall()


def count_hidden(cur) -> int:
    cur.execute("SELECT count(*) AS n FROM comments WHERE hidden_reason IS NOT NULL")
    return int(cur.fetchone()["n"])
