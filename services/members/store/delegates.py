"""SQL of delegate elections and terms."""

from __future__ import annotations

from services.members.store import mandates


def claim_election_seat(cur, poll_id: str, member_id, mandate_id) -> bool:
    """Reserve (poll, member) for one mandate; False when that election was recorded before."""
    cur.execute(
        "INSERT INTO delegate_elections_recorded (poll_id, member_id, mandate_id)"
        " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, member_id, mandate_id),
    )
    return cur.rowcount == 1


def election_recorded(cur, poll_id: str, member_id) -> bool:
    cur.execute(
        "SELECT 1 FROM delegate_elections_recorded WHERE poll_id = %s AND member_id = %s",
        (poll_id, member_id),
    )
    return cur.fetchone() is not None


def insert_delegate_term(
    cur, *, mandate_id, chapter_id, poll_id, members_represented, elected_at, by_election_for=None
) -> None:
    cur.execute(
        "INSERT INTO delegate_terms (mandate_id, chapter_id, poll_id, members_represented,"
        " elected_at, by_election_for) VALUES (%s, %s, %s, %s, %s, %s)",
        (mandate_id, chapter_id, poll_id, members_represented, elected_at, by_election_for),
    )


def delegate_term(cur, mandate_id) -> dict | None:
    cur.execute("SELECT * FROM delegate_terms WHERE mandate_id = %s", (mandate_id,))
    return cur.fetchone()


def mandates_with_terms(cur, member_id) -> list[dict]:
    """Every mandate the member ever held (newest first), with the delegate term if any."""
    cur.execute(
        f"SELECT {mandates.MANDATE_COLUMNS}, mb.display_name AS member_name,"
        "       c.name AS chapter_name,"
        "       COALESCE(dt.poll_id, (SELECT r.poll_id FROM delegate_elections_recorded r"
        "                               WHERE r.mandate_id = md.id LIMIT 1)) AS poll_id,"
        "       dt.members_represented, dt.elected_at"
        "  FROM mandates md JOIN members mb ON mb.id = md.member_id"
        "  LEFT JOIN chapters c ON c.id = md.chapter_id"
        "  LEFT JOIN delegate_terms dt ON dt.mandate_id = md.id"
        " WHERE md.member_id = %s ORDER BY md.starts_at DESC, md.id",
        (member_id,),
    )
    return cur.fetchall()


def live_delegate_mandates(cur, chapter_id, *, except_poll) -> list[dict]:
    """The chapter's delegate mandates still running (locked), other than those `except_poll`
    granted."""
    cur.execute(
        f"SELECT {mandates.MANDATE_COLUMNS} FROM mandates md"
        " LEFT JOIN delegate_terms dt ON dt.mandate_id = md.id"
        " WHERE md.role = 'delegate' AND md.chapter_id = %s AND md.revoked_at IS NULL"
        "   AND md.ended_announced_at IS NULL"
        "   AND (md.ends_at IS NULL OR md.ends_at > now())"
        "   AND dt.poll_id IS DISTINCT FROM %s"
        " ORDER BY md.starts_at, md.id FOR UPDATE OF md",
        (chapter_id, except_poll),
    )
    return cur.fetchall()


def count_election_seats(cur, poll_id) -> int:
    """How many mandates the delegate election `poll_id` has granted."""
    cur.execute(
        "SELECT count(*) AS n FROM delegate_elections_recorded WHERE poll_id = %s", (str(poll_id),)
    )
    return cur.fetchone()["n"]
