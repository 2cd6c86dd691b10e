"""SQL of delegate elections, delegate polls, roll-call votes and recall polls (issue 7)."""

from __future__ import annotations

from psycopg2.extras import Json

# --- delegates and recall (issue 7) ---------------------------------------------------------


def insert_purpose(
    cur,
    poll_id,
    purpose: str,
    chapter_id: str | None,
    details: dict,
    petition_id: str | None = None,
) -> bool:
    """False when a recall poll for this petition exists already. `chapter_id` is None for the
    organisation's (an admin election, an admin's recall vote)."""
    cur.execute(
        "INSERT INTO poll_purposes (poll_id, purpose, chapter_id, petition_id, details)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, purpose, chapter_id, petition_id, Json(details)),
    )
    return cur.rowcount == 1


def poll_purpose(cur, poll_id) -> dict | None:
    cur.execute("SELECT * FROM poll_purposes WHERE poll_id = %s", (poll_id,))
    return cur.fetchone()


def recall_poll_of(cur, petition_id: str) -> dict | None:
    cur.execute("SELECT * FROM poll_purposes WHERE petition_id = %s", (petition_id,))
    return cur.fetchone()


def lock_petition_key(cur, petition_id: str) -> None:
    """Serialise concurrent deliveries of one petition's threshold event."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("recall:" + petition_id,))


def upsert_delegate_mandate(
    cur, mandate_id: str, member_id: str, chapter_id: str, starts_at, ends_at, poll_id=None
) -> None:
    cur.execute(
        "INSERT INTO delegate_mandates (mandate_id, member_id, chapter_id, starts_at, ends_at,"
        " poll_id) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (mandate_id) DO NOTHING",
        (mandate_id, member_id, chapter_id, starts_at, ends_at, poll_id),
    )


def delegate_mandate(cur, mandate_id: str) -> dict | None:
    cur.execute("SELECT * FROM delegate_mandates WHERE mandate_id = %s", (mandate_id,))
    return cur.fetchone()


def live_delegates_of(cur, chapter_id: str, now) -> list[dict]:
    """The chapter's delegate mandates running now."""
    cur.execute(
        "SELECT * FROM delegate_mandates WHERE chapter_id = %s AND NOT revoked"
        " AND (starts_at IS NULL OR starts_at <= %s) AND (ends_at IS NULL OR ends_at > %s)",
        (chapter_id, now, now),
    )
    return cur.fetchall()


def by_election_for(cur, mandate_id: str) -> dict | None:
    """The by-election held (or under way) for the seat of `mandate_id`, with its status."""
    cur.execute(
        "SELECT pp.*, p.status FROM poll_purposes pp JOIN polls p ON p.id = pp.poll_id"
        " WHERE pp.details->>'by_election_for' = %s",
        (mandate_id,),
    )
    return cur.fetchone()


def lock_seat_key(cur, mandate_id: str) -> None:
    """Serialise the by-elections of one seat."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("seat:" + mandate_id,))


def lock_election_key(cur, purpose: str, chapter_id: str | None) -> None:
    """Serialise the launches of one election (a chapter's coordinators, the admins)."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"election:{purpose}:{chapter_id}",))


def pending_election(cur, purpose: str, chapter_id: str | None) -> dict | None:
    """The election of `purpose` for `chapter_id` (None: the organisation) still scheduled or
    open, by-elections aside, if any: {poll_id, title, status}."""
    cur.execute(
        "SELECT pp.poll_id, p.title, p.status FROM poll_purposes pp"
        " JOIN polls p ON p.id = pp.poll_id"
        " WHERE pp.purpose = %s AND pp.chapter_id IS NOT DISTINCT FROM %s"
        "   AND p.status IN ('scheduled', 'open') AND pp.details->>'by_election_for' IS NULL"
        " ORDER BY p.created_at LIMIT 1",
        (purpose, chapter_id),
    )
    return cur.fetchone()


def poll_results(cur, poll_id) -> dict | None:
    cur.execute("SELECT results FROM polls WHERE id = %s", (poll_id,))
    row = cur.fetchone()
    return row["results"] if row else None


def revoke_delegate_mandate(cur, mandate_id: str) -> None:
    cur.execute("UPDATE delegate_mandates SET revoked = true WHERE mandate_id = %s", (mandate_id,))


def child_chapter_delegates(cur, chapter_id: str, now) -> list[dict]:
    """Live delegates of the chapter's direct children, with the active members each child has
    (sub-chapters included) and how many live delegates share them."""
    cur.execute(
        """
        WITH live AS (
            SELECT d.mandate_id, d.member_id, d.chapter_id FROM delegate_mandates d
            JOIN replica_chapters c ON c.chapter_id = d.chapter_id AND c.parent_id = %(c)s
            JOIN replica_members m ON m.member_id = d.member_id
                 AND m.status = 'active' AND NOT m.deleted
            WHERE NOT d.revoked AND (d.starts_at IS NULL OR d.starts_at <= %(now)s)
              AND (d.ends_at IS NULL OR d.ends_at > %(now)s)
        )
        SELECT l.mandate_id, l.member_id, l.chapter_id,
               (SELECT count(*) FROM live x WHERE x.chapter_id = l.chapter_id)::int AS delegates,
               (SELECT count(DISTINCT s.member_id) FROM replica_memberships s
                  JOIN replica_members rm ON rm.member_id = s.member_id
                       AND rm.status = 'active' AND NOT rm.deleted
                 WHERE s.chapter_id = l.chapter_id OR l.chapter_id = ANY(s.ancestors))::int
                 AS members
        FROM live l ORDER BY l.chapter_id, l.mandate_id
        """,
        {"c": chapter_id, "now": now},
    )
    return cur.fetchall()


def add_weighted_elector(
    cur, poll_id, member_id: str, chapter_id: str, weight: int, members: int, delegates: int
) -> None:
    cur.execute(
        "INSERT INTO electorate (poll_id, member_id, weight) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id, member_id) DO UPDATE"
        " SET weight = electorate.weight + EXCLUDED.weight",
        (poll_id, member_id, weight),
    )
    cur.execute(
        "INSERT INTO delegate_electors"
        " (poll_id, member_id, chapter_id, members, delegates, weight)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, member_id, chapter_id, members, delegates, weight),
    )


def delegate_electors(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT d.member_id, d.chapter_id, d.members, d.delegates,"
        " coalesce(d.weight, e.weight) AS weight"
        " FROM delegate_electors d JOIN electorate e"
        "   ON e.poll_id = d.poll_id AND e.member_id = d.member_id"
        " WHERE d.poll_id = %s ORDER BY d.chapter_id, d.member_id",
        (poll_id,),
    )
    return cur.fetchall()


def record_public_vote(cur, poll_id, member_id: str, weight: int, answers: list) -> None:
    cur.execute(
        "INSERT INTO public_votes (poll_id, member_id, chapter_id, weight, answers)"
        " VALUES (%(p)s, %(m)s, (SELECT min(chapter_id) FROM delegate_electors"
        "   WHERE poll_id = %(p)s AND member_id = %(m)s), %(w)s, %(a)s)"
        " ON CONFLICT (poll_id, member_id) DO UPDATE"
        " SET answers = EXCLUDED.answers, weight = EXCLUDED.weight, cast_at = now()",
        {"p": poll_id, "m": member_id, "w": weight, "a": Json(answers)},
    )


def public_votes_of_poll(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT member_id, chapter_id, weight, answers, cast_at FROM public_votes"
        " WHERE poll_id = %s ORDER BY chapter_id, member_id",
        (poll_id,),
    )
    return cur.fetchall()


def public_votes_of_member(cur, member_id: str, limit: int = 200) -> list[dict]:
    cur.execute(
        "SELECT v.poll_id, p.title, p.scope_id AS chapter_id, p.status, p.closes_at,"
        "       v.chapter_id AS represents, v.weight, v.answers, v.cast_at"
        " FROM public_votes v JOIN polls p ON p.id = v.poll_id"
        " WHERE v.member_id = %s ORDER BY v.cast_at DESC LIMIT %s",
        (member_id, limit),
    )
    return cur.fetchall()


def weighted_choices(cur, poll_id, question_id: str) -> dict[str, int]:
    """Sum of published ballot weights per `choice` for one question (after close)."""
    cur.execute(
        "SELECT a->>'choice' AS choice, sum(b.weight)::int AS total"
        " FROM ballots b, jsonb_array_elements(b.answers) a"
        " WHERE b.poll_id = %s AND a->>'question_id' = %s AND a->>'choice' IS NOT NULL"
        " GROUP BY a->>'choice'",
        (poll_id, question_id),
    )
    return {row["choice"]: row["total"] for row in cur.fetchall()}
