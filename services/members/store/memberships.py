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


def effective_chapter_ids(cur, member_id) -> list:
    """Every chapter the member belongs to: joined directly or through a sub-chapter."""
    cur.execute(
        chapters.CLOSURE_CTE + "SELECT DISTINCT cl.ancestor_id AS id FROM memberships m"
        " JOIN closure cl ON cl.chapter_id = m.chapter_id WHERE m.member_id = %s",
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


def chapter_members(cur, chapter_id, *, limit=100, offset=0) -> list[dict]:
    """Members of the chapter or of any chapter below it (not deleted), by name."""
    cur.execute(
        "WITH RECURSIVE down (id) AS ("
        "  SELECT %s::uuid UNION ALL SELECT c.id FROM down JOIN chapters c ON c.parent_id = down.id"
        ") SELECT mb.id, mb.display_name, mb.country, mb.status,"
        "         min(m.joined_at) AS joined_at,"
        "         bool_or(m.chapter_id = %s) AS direct"
        "    FROM memberships m JOIN down ON down.id = m.chapter_id"
        "    JOIN members mb ON mb.id = m.member_id AND mb.status <> 'deleted'"
        "   GROUP BY mb.id ORDER BY mb.display_name, mb.id LIMIT %s OFFSET %s",
        (chapter_id, chapter_id, limit, offset),
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
