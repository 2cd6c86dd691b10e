"""SQL of a delegate poll's representation (issue 18): who in the scope counts where, the seats
each child chapter elected, which are filled, and why the empty ones are empty."""

from __future__ import annotations

from psycopg2.extras import Json

# A delegate mandate holds at `now` unless revoked, not started yet, or past its end.
_HOLDS = (
    "NOT d.revoked AND (d.starts_at IS NULL OR d.starts_at <= %(now)s)"
    " AND (d.ends_at IS NULL OR d.ends_at > %(now)s)"
)


def placed_members(cur, chapter_id: str) -> list[dict]:
    """Every active member of the chapter's subtree once, with the child chapter they count in
    (None: a direct member). A member under several children counts in the one they joined first."""
    cur.execute(
        """
        WITH rows AS (
            SELECT s.member_id, s.joined_at, c.chapter_id AS child
            FROM replica_memberships s
            JOIN replica_members m ON m.member_id = s.member_id
                 AND m.status = 'active' AND NOT m.deleted
            LEFT JOIN replica_chapters c ON c.parent_id = %(c)s
                 AND (s.chapter_id = c.chapter_id OR c.chapter_id = ANY(s.ancestors))
            WHERE s.chapter_id = %(c)s OR %(c)s = ANY(s.ancestors)
        )
        SELECT DISTINCT ON (member_id) member_id, child FROM rows
        ORDER BY member_id, (child IS NULL), joined_at, child
        """,
        {"c": chapter_id},
    )
    return cur.fetchall()


def child_chapters(cur, chapter_id: str) -> list[str]:
    cur.execute(
        "SELECT chapter_id FROM replica_chapters WHERE parent_id = %s ORDER BY chapter_id",
        (chapter_id,),
    )
    return [r["chapter_id"] for r in cur.fetchall()]


def latest_elections(cur, chapter_ids: list[str]) -> dict[str, dict]:
    """Per chapter, its latest closed delegate election that set its seats (by-elections, which
    fill one seat, do not): {chapter_id: {seats, closed_at}}."""
    cur.execute(
        """
        SELECT DISTINCT ON (u.chapter_id) u.chapter_id, p.closed_at,
               coalesce((u.details->>'seats')::int, 1) AS seats
        FROM poll_purposes u JOIN polls p ON p.id = u.poll_id
        WHERE u.purpose = 'delegate_election' AND p.status = 'closed'
          AND u.chapter_id = ANY(%s) AND NOT (u.details ? 'by_election_for')
        ORDER BY u.chapter_id, p.closed_at DESC
        """,
        (chapter_ids,),
    )
    return {r["chapter_id"]: r for r in cur.fetchall()}


def live_delegates(cur, chapter_ids: list[str], now) -> list[dict]:
    """Delegates holding a mandate of one of the chapters at `now`, who are active members."""
    cur.execute(
        "SELECT d.mandate_id, d.member_id, d.chapter_id FROM delegate_mandates d"
        " JOIN replica_members m ON m.member_id = d.member_id"
        "  AND m.status = 'active' AND NOT m.deleted"
        " WHERE d.chapter_id = ANY(%(ids)s) AND " + _HOLDS + " ORDER BY d.chapter_id, d.mandate_id",
        {"ids": chapter_ids, "now": now},
    )
    return cur.fetchall()


def emptied_seats(cur, chapter_id: str, since, now) -> list[dict]:
    """Mandates of the chapter that started at or after `since` (the term of its latest
    election) and no longer hold at `now`, latest first: {reason, since}."""
    cur.execute(
        """
        SELECT CASE WHEN d.revoked THEN coalesce(d.end_reason, 'revoked')
                    WHEN d.ends_at <= %(now)s THEN coalesce(d.end_reason, 'term')
                    ELSE 'left' END AS reason,
               coalesce(d.ended_at, d.ends_at) AS since
        FROM delegate_mandates d
        WHERE d.chapter_id = %(c)s AND d.starts_at >= %(since)s
          AND NOT ("""
        + _HOLDS
        + """ AND EXISTS (SELECT 1 FROM replica_members m
                    WHERE m.member_id = d.member_id AND m.status = 'active' AND NOT m.deleted))
        ORDER BY coalesce(d.ended_at, d.ends_at) DESC NULLS LAST
        """,
        {"c": chapter_id, "since": since, "now": now},
    )
    return cur.fetchall()


def end_delegate_mandate(cur, mandate_id: str, reason: str, when) -> None:
    cur.execute(
        "UPDATE delegate_mandates SET revoked = true,"
        " ended_at = coalesce(ended_at, %s), end_reason = coalesce(end_reason, %s)"
        " WHERE mandate_id = %s",
        (when, reason, mandate_id),
    )


def add_representation(
    cur, poll_id, chapter_id: str, kind: str, members: int, seats: int, filled: int, empty: list
) -> None:
    cur.execute(
        "INSERT INTO poll_representation"
        " (poll_id, chapter_id, kind, members, seats, filled, unrepresented)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, chapter_id, kind, members, seats, filled, Json(empty)),
    )


def representation(cur, poll_id) -> list[dict]:
    """The poll's representation rows, with the chapter's name."""
    cur.execute(
        "SELECT r.chapter_id, r.kind, r.members, r.seats, r.filled, r.unrepresented,"
        " c.name AS chapter_name FROM poll_representation r"
        " LEFT JOIN replica_chapters c ON c.chapter_id = r.chapter_id"
        " WHERE r.poll_id = %s ORDER BY r.kind DESC, c.name, r.chapter_id",
        (poll_id,),
    )
    return cur.fetchall()


def direct_electors(cur, poll_id) -> int:
    """The poll's electors who are not delegates: the direct members of its chapter."""
    cur.execute(
        "SELECT count(*)::int AS n FROM electorate e WHERE e.poll_id = %(p)s"
        " AND NOT EXISTS (SELECT 1 FROM delegate_electors d"
        "   WHERE d.poll_id = %(p)s AND d.member_id = e.member_id)",
        {"p": poll_id},
    )
    return cur.fetchone()["n"]


def voters(cur, poll_id) -> int:
    """How many voted: the filled slots while the poll is open, the roll once it is closed."""
    cur.execute(
        "SELECT CASE WHEN p.status = 'closed'"
        "  THEN (SELECT count(*) FROM roll r WHERE r.poll_id = p.id)"
        "  ELSE (SELECT count(*) FROM ballot_slots s WHERE s.poll_id = p.id)"
        "     + (SELECT count(*) FROM roll r WHERE r.poll_id = p.id) END::int AS n"
        " FROM polls p WHERE p.id = %s",
        (poll_id,),
    )
    return cur.fetchone()["n"]


def is_delegate_elector(cur, poll_id, member_id: str) -> bool:
    cur.execute(
        "SELECT 1 FROM delegate_electors WHERE poll_id = %s AND member_id = %s LIMIT 1",
        (poll_id, member_id),
    )
    return cur.fetchone() is not None


def add_elector(cur, poll_id, member_id: str, weight: int) -> None:
    """A direct member of a delegate poll's chapter, voting for themselves."""
    cur.execute(
        "INSERT INTO electorate (poll_id, member_id, weight) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id, member_id) DO NOTHING",
        (poll_id, member_id, weight),
    )
