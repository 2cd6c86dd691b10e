"""SQL of affected scopes: the chapters a poll weights more heavily, and the challenges to
those weights."""

from __future__ import annotations

from services.polls.store.initiative import ACTIVE_IN_SCOPE


def chapter_line(cur, chapter_id: str) -> list[str] | None:
    """The chapter and its ancestors, nearest first (None if polls does not know it)."""
    cur.execute(
        """
        WITH RECURSIVE line(chapter_id, parent_id, depth) AS (
            SELECT chapter_id, parent_id, 0 FROM replica_chapters WHERE chapter_id = %s
            UNION ALL
            SELECT c.chapter_id, c.parent_id, l.depth + 1
            FROM replica_chapters c JOIN line l ON c.chapter_id = l.parent_id
            WHERE l.depth < 64
        )
        SELECT chapter_id FROM line ORDER BY depth
        """,
        (chapter_id,),
    )
    found = [row["chapter_id"] for row in cur.fetchall()]
    return found or None


def add_affected(cur, poll_id, chapter_id: str, weight: int, reason: str) -> None:
    cur.execute(
        "INSERT INTO poll_affected (poll_id, chapter_id, weight, reason) VALUES (%s, %s, %s, %s)",
        (poll_id, chapter_id, weight, reason),
    )


def affected_of(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT a.chapter_id, a.weight, a.reason, a.set_aside, c.name AS chapter_name"
        " FROM poll_affected a LEFT JOIN replica_chapters c ON c.chapter_id = a.chapter_id"
        " WHERE a.poll_id = %s ORDER BY a.weight DESC, c.name, a.chapter_id",
        (poll_id,),
    )
    return cur.fetchall()


def set_aside(cur, poll_id) -> None:
    cur.execute("UPDATE poll_affected SET set_aside = true WHERE poll_id = %s", (poll_id,))


def weigh_electorate(cur, poll_id) -> int:
    """Give each elector who belongs to an affected chapter (or one below it) that chapter's
    weight — the largest one when in several; returns how many electors now weigh more."""
    cur.execute(
        """
        UPDATE electorate e SET weight = heavier.weight
        FROM (
            SELECT s.member_id, max(a.weight) AS weight
            FROM poll_affected a JOIN replica_memberships s
              ON s.chapter_id = a.chapter_id OR a.chapter_id = ANY(s.ancestors)
            WHERE a.poll_id = %(p)s AND NOT a.set_aside
            GROUP BY s.member_id
        ) heavier
        WHERE e.poll_id = %(p)s AND e.member_id = heavier.member_id
        """,
        {"p": poll_id},
    )
    return cur.rowcount


def add_challenge(cur, poll_id, member_id: str, reason: str, at) -> bool:
    cur.execute(
        "INSERT INTO poll_challenges (poll_id, member_id, reason, filed_at)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, member_id, reason, at),
    )
    return cur.rowcount == 1


def challenges(cur, poll_id, scope_type: str, scope_id: str | None) -> list[dict]:
    """The challenges filed by members still active in the poll's scope, oldest first."""
    cur.execute(
        "SELECT X.member_id, X.reason, X.filed_at,"
        " (SELECT n.display_name FROM replica_members n WHERE n.member_id = X.member_id)"
        " AS display_name FROM poll_challenges X WHERE X.poll_id = %(p)s AND "
        + ACTIVE_IN_SCOPE
        + " ORDER BY X.filed_at, X.member_id",
        {"p": poll_id, "t": scope_type, "c": scope_id},
    )
    return cur.fetchall()


def weights_apply(cur, poll_id) -> bool:
    """The poll weights affected chapters and the weights were not set aside."""
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM poll_affected WHERE poll_id = %s AND NOT set_aside) AS w",
        (poll_id,),
    )
    return bool(cur.fetchone()["w"])


def elector_count(cur, poll_id) -> int:
    """People in the electorate, whatever their weight."""
    cur.execute("SELECT count(*) AS n FROM electorate WHERE poll_id = %s", (poll_id,))
    return int(cur.fetchone()["n"])


def counted_weight(cur, poll_id) -> int:
    """The weight of the counted ballots of a closed poll."""
    cur.execute("SELECT coalesce(sum(weight), 0) AS w FROM ballots WHERE poll_id = %s", (poll_id,))
    return int(cur.fetchone()["w"])
