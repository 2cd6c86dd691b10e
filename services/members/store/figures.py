"""SQL of the figures of chapters and of the organisation."""

from __future__ import annotations

from services.members.store import chapters


def chapter_figures(cur, chapter_ids=None) -> list[dict]:
    """Per chapter: active members (direct or through sub-chapters), women among them, those
    who stated a gender, and the date of its last meeting. All chapters when `chapter_ids` is
    None."""
    ids = None if chapter_ids is None else [str(i) for i in chapter_ids]
    cur.execute(
        chapters.CLOSURE_CTE
        + """
        , effective AS (
            SELECT DISTINCT cl.ancestor_id AS chapter_id, m.member_id
              FROM memberships m
              JOIN closure cl ON cl.chapter_id = m.chapter_id
             WHERE %(ids)s::uuid[] IS NULL OR cl.ancestor_id = ANY(%(ids)s::uuid[])
        ), counts AS (
            SELECT e.chapter_id, count(*) AS members,
                   count(*) FILTER (WHERE mb.gender = 'woman') AS women,
                   count(*) FILTER (WHERE mb.gender IS NOT NULL) AS stated
              FROM effective e JOIN members mb ON mb.id = e.member_id AND mb.status = 'active'
             GROUP BY e.chapter_id
        ), last_meetings AS (
            SELECT chapter_id, max(held_on) AS last_meeting_on FROM meetings GROUP BY chapter_id
        )
        SELECT c.id AS chapter_id, COALESCE(n.members, 0) AS members,
               COALESCE(n.women, 0) AS women, COALESCE(n.stated, 0) AS stated,
               lm.last_meeting_on
          FROM chapters c
          LEFT JOIN counts n ON n.chapter_id = c.id
          LEFT JOIN last_meetings lm ON lm.chapter_id = c.id
         WHERE %(ids)s::uuid[] IS NULL OR c.id = ANY(%(ids)s::uuid[])
        """,
        {"ids": ids},
    )
    return cur.fetchall()


def organisation_figures(cur) -> dict:
    cur.execute(
        "SELECT count(*) AS members, count(*) FILTER (WHERE gender = 'woman') AS women,"
        "       count(*) FILTER (WHERE gender IS NOT NULL) AS stated"
        "  FROM members WHERE status = 'active'"
    )
    figures = dict(cur.fetchone())
    cur.execute(
        "SELECT country, count(*) AS n FROM members WHERE status = 'active' GROUP BY country"
    )
    figures["countries"] = {row["country"]: row["n"] for row in cur.fetchall()}
    return figures
