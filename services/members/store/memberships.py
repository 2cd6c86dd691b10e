"""SQL of chapter memberships."""

from __future__ import annotations

from services.members.store import chapters


def insert_membership(cur, member_id, chapter_id) -> bool:
    cur.execute(
        "INSERT INTO memberships (member_id, chapter_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (member_id, chapter_id),
    )
    return cur.rowcount == 1


def delete_membership(cur, member_id, chapter_id) -> bool:
    cur.execute(
        "DELETE FROM memberships WHERE member_id = %s AND chapter_id = %s",
        (member_id, chapter_id),
    )
    return cur.rowcount == 1


def direct_chapters_of(cur, member_id) -> list[dict]:
    cur.execute(
        f"SELECT {chapters.CHAPTER_COLUMNS}, m.joined_at FROM memberships m"
        " JOIN chapters c ON c.id = m.chapter_id WHERE m.member_id = %s ORDER BY m.joined_at",
        (member_id,),
    )
    return cur.fetchall()


def direct_chapters_of_many(cur, member_ids: list) -> dict:
    """{member id: [its chapters, joined first first]} for the members given."""
    cur.execute(
        "SELECT m.member_id, c.id, c.name, c.level, m.joined_at FROM memberships m"
        " JOIN chapters c ON c.id = m.chapter_id WHERE m.member_id = ANY(%s)"
        " ORDER BY m.joined_at, c.id",
        (list(member_ids),),
    )
    chapters: dict = {member_id: [] for member_id in member_ids}
    for row in cur.fetchall():
        member_id = row.pop("member_id")
        chapters.setdefault(member_id, []).append(row)
    return chapters


def effective_chapter_ids(cur, member_id) -> list:
    """Every chapter the member belongs to: joined directly or through a sub-chapter (walked
    up from the member's own memberships, a few rows whatever the size of the tree)."""
    cur.execute(
        "WITH RECURSIVE up (id) AS ("
        "  SELECT chapter_id FROM memberships WHERE member_id = %s"
        "  UNION"
        "  SELECT c.parent_id FROM up JOIN chapters c ON c.id = up.id"
        "   WHERE c.parent_id IS NOT NULL"
        ") SELECT id FROM up",
        (member_id,),
    )
    return [row["id"] for row in cur.fetchall()]


def is_effective_member(cur, member_id, chapter_id) -> bool:
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT 1 FROM memberships m JOIN down ON down.id = m.chapter_id"
        " WHERE m.member_id = %s LIMIT 1",
        (chapter_id, member_id),
    )
    return cur.fetchone() is not None


def chapter_members(cur, chapter_id, *, limit=100, offset=0, query=None) -> list[dict]:
    """Members of the chapter or of any chapter below it (not deleted), by name (those whose
    name holds `query`, when given): gathered from the sub-tree's memberships, or, when they
    are a large share of everyone (the international chapter: all of them), read in name
    order until the page is full."""
    if _many_below(cur, chapter_id, limit + offset):
        return members_in_name_order(cur, chapter_id, limit, offset, query)
    return members_gathered(cur, chapter_id, limit, offset, query)


def _named(query) -> tuple:
    """The parameters of `_NAMED`: every member, or those whose name holds `query`."""
    return (query, f"%{query}%" if query else None)


_NAMED = " AND (%s::text IS NULL OR mb.display_name ILIKE %s)"


def members_gathered(cur, chapter_id, limit, offset, query=None) -> list[dict]:
    subtree = _subtree_ids(cur, chapter_id)
    cur.execute(  # the sub-tree as a constant: the planner counts its memberships from the
        # statistics (a recursive CTE's guess made it scan every member to join ~60)
        "SELECT mb.id, mb.display_name, mb.country, mb.status,"
        "       min(m.joined_at) AS joined_at, bool_or(m.chapter_id = %s) AS direct"
        "  FROM memberships m"
        "  JOIN members mb ON mb.id = m.member_id AND mb.status <> 'deleted'"
        " WHERE m.chapter_id = ANY(%s::uuid[])"
        + _NAMED
        + " GROUP BY mb.id ORDER BY mb.display_name, mb.id LIMIT %s OFFSET %s",
        (chapter_id, subtree, *_named(query), limit, offset),
    )
    return cur.fetchall()


def _subtree_ids(cur, chapter_id) -> list[str]:
    """The chapter and every chapter below it."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT array_agg(id::text) AS ids FROM down",
        (chapter_id,),
    )
    return [str(i) for i in cur.fetchone()["ids"]]


def _many_below(cur, chapter_id, rows_wanted: int) -> bool:
    """Whether reading everyone in name order reaches `rows_wanted` members below the chapter
    sooner than gathering all of them would: below² > rows_wanted × everyone (the members
    below from the kept figures, everyone from the planner's estimate)."""
    cur.execute(
        "SELECT COALESCE((SELECT members FROM chapter_figures WHERE chapter_id = %s), 0)"
        "           AS below,"
        "       (SELECT reltuples FROM pg_class WHERE oid = 'members'::regclass) AS everyone",
        (chapter_id,),
    )
    row = cur.fetchone()
    below, everyone = row["below"], max(row["everyone"] or 0, row["below"], 1)
    return below * below > rows_wanted * everyone


def members_in_name_order(cur, chapter_id, limit, offset, query=None) -> list[dict]:
    subtree = _subtree_ids(cur, chapter_id)
    cur.execute(  # the sub-tree as a constant: its test is a hash look-up per membership
        "SELECT mb.id, mb.display_name, mb.country, mb.status, j.joined_at, j.direct"
        "  FROM members mb CROSS JOIN LATERAL ("
        "       SELECT min(m.joined_at) AS joined_at, bool_or(m.chapter_id = %s) AS direct"
        "         FROM memberships m"
        "        WHERE m.member_id = mb.id AND m.chapter_id = ANY(%s::uuid[])) j"
        " WHERE mb.status <> 'deleted' AND j.joined_at IS NOT NULL"
        + _NAMED
        + " ORDER BY mb.display_name, mb.id LIMIT %s OFFSET %s",
        (chapter_id, subtree, *_named(query), limit, offset),
    )
    return cur.fetchall()


def memberships_of_subtree(cur, chapter_id) -> list:
    """Ids of members with a direct membership somewhere in the chapter's sub-tree."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT DISTINCT m.member_id FROM memberships m JOIN down ON down.id = m.chapter_id",
        (chapter_id,),
    )
    return [row["member_id"] for row in cur.fetchall()]


def count_active_members_below(cur, chapter_id) -> int:
    """Active members of the chapter or of any chapter below it (each counted once)."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT count(DISTINCT m.member_id) AS n FROM memberships m"
        "   JOIN down ON down.id = m.chapter_id"
        "   JOIN members mb ON mb.id = m.member_id AND mb.status = 'active'",
        (chapter_id,),
    )
    return cur.fetchone()["n"]


def count_active_members(cur) -> int:
    """Every active member of the organisation (the electorate of an admin's recall)."""
    cur.execute("SELECT count(*) AS n FROM members WHERE status = 'active'")
    return cur.fetchone()["n"]
