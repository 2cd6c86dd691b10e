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


# A comment as the discussion shows it: its author's name, likes and dislikes and the viewer's
# reaction (one index range of comment_reactions), its replies' count and its mentions.
_VIEW_COLUMNS = (
    "SELECT c.id, c.poll_id, c.proposal_id, c.parent_id, c.author_id,"
    " m.display_name AS author_name, c.body, c.created_at, c.edited_at, c.hidden_reason,"
    " c.hidden_by, c.restored_reason, rx.likes, rx.dislikes, rx.my_reaction,"
    " (SELECT count(*) FROM comments x WHERE x.parent_id = c.id) AS reply_count,"
    " (SELECT json_agg(json_build_object('member_id', cm.member_id, 'handle', cm.handle))"
    "  FROM (SELECT member_id, handle FROM comment_mentions WHERE comment_id = c.id"
    "  ORDER BY handle) cm) AS mentions"
)
_VIEW_JOINS = (
    " LEFT JOIN replica_members m ON m.member_id = c.author_id"
    " CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE r.reaction = 'like') AS likes,"
    "  count(*) FILTER (WHERE r.reaction = 'dislike') AS dislikes,"
    "  min(r.reaction) FILTER (WHERE r.member_id = %(viewer)s) AS my_reaction"
    "  FROM comment_reactions r WHERE r.comment_id = c.id) rx"
)
_COMMENT_VIEW = _VIEW_COLUMNS + " FROM comments c" + _VIEW_JOINS
_SORTS = {
    "oldest": "c.created_at, c.id",
    "newest": "c.created_at DESC, c.id DESC",
    "best": "s.likes - s.dislikes DESC, s.likes DESC, c.created_at DESC, c.id",
}
_SCORES = (
    " CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE r.reaction = 'like') AS likes,"
    " count(*) FILTER (WHERE r.reaction = 'dislike') AS dislikes"
    " FROM comment_reactions r WHERE r.comment_id = c.id) s"
)


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


def discussion_page(cur, kind: str, subject_id, under, page: dict, viewer: str | None) -> list:
    """One page of a discussion in one query: the threads (top-level comments, or the replies
    to `under` when it is a comment's id) in `page["sort"]` order, `page["limit"]` from
    `page["offset"]`, then their replies oldest first, at most `page["per_parent"]` under each
    comment and `page["depth"]` levels down, `page["replies"]` in all (the shallower first).
    Rows in showing order, each with `depth` (0 for a thread) and `rank` (its thread's place);
    a comment's `reply_count` says how many replies it has, shown or not."""
    column = _subject_column(kind)
    scores = _SCORES if page["sort"] == "best" else ""
    where = "c.parent_id = %(under)s" if under is not None else "c.parent_id IS NULL"
    cur.execute(
        f"WITH RECURSIVE tops AS (SELECT id, row_number() OVER () AS rank FROM ("
        f" SELECT c.id FROM comments c{scores} WHERE c.{column} = %(subject)s AND {where}"
        f" ORDER BY {_SORTS[page['sort']]} LIMIT %(limit)s OFFSET %(offset)s) p),"
        " tree AS (SELECT id, 0 AS depth, rank FROM tops"
        " UNION ALL SELECT x.id, t.depth + 1, t.rank FROM tree t"
        " CROSS JOIN LATERAL (SELECT id FROM comments WHERE parent_id = t.id"
        "  ORDER BY created_at, id LIMIT %(per_parent)s) x WHERE t.depth < %(depth)s),"
        " shown AS (SELECT id, depth, rank FROM tree"
        "  ORDER BY depth, rank LIMIT %(limit)s + %(replies)s)"
        f" {_VIEW_COLUMNS}, shown.depth, shown.rank FROM shown"
        f" JOIN comments c ON c.id = shown.id{_VIEW_JOINS}"
        " ORDER BY shown.depth, shown.rank, c.created_at, c.id",
        {
            "subject": subject_id,
            "under": under,
            "viewer": viewer,
            "limit": page["limit"],
            "offset": page["offset"],
            "per_parent": page["per_parent"],
            "depth": page["depth"],
            "replies": page["replies"],
        },
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
