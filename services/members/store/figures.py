"""SQL of the figures of chapters and of the organisation.

A chapter's figures (active members, direct or through sub-chapters, each counted once; women
among them; those who stated a gender) are kept in `chapter_figures`, changed by differences
(`add_to_figures`) in the transaction that changes a member, and recounted from the
memberships (`counted_figures`) by the members worker. No row reads as zeros."""

from __future__ import annotations

from services.members.store import chapters

FIGURES = ("members", "women", "stated")


def chapter_figures(cur, chapter_ids=None) -> list[dict]:
    """Per chapter: the kept figures and the date of its last meeting. All chapters when
    `chapter_ids` is None."""
    ids = None if chapter_ids is None else [str(i) for i in chapter_ids]
    cur.execute(
        "SELECT c.id AS chapter_id, COALESCE(f.members, 0) AS members,"
        "       COALESCE(f.women, 0) AS women, COALESCE(f.stated, 0) AS stated,"
        "       (SELECT max(held_on) FROM meetings mt WHERE mt.chapter_id = c.id)"
        "           AS last_meeting_on"
        "  FROM chapters c LEFT JOIN chapter_figures f ON f.chapter_id = c.id"
        " WHERE %(ids)s::uuid[] IS NULL OR c.id = ANY(%(ids)s::uuid[])",
        {"ids": ids},
    )
    return cur.fetchall()


def counted_figures(cur, chapter_ids=None) -> dict:
    """chapter id → (members, women, stated) counted from the memberships now (every chapter
    when `chapter_ids` is None; a chapter without active members is absent). About a second
    for every chapter of 100,000 members: for the recount, not for requests."""
    ids = None if chapter_ids is None else [str(i) for i in chapter_ids]
    if ids is None:  # the distinct (chapter, member) pairs fit in memory: a third faster
        cur.execute("SET LOCAL work_mem = '64MB'")
    cur.execute(
        chapters.CLOSURE_CTE
        + """
        , effective AS (
            SELECT DISTINCT cl.ancestor_id AS chapter_id, m.member_id
              FROM memberships m
              JOIN closure cl ON cl.chapter_id = m.chapter_id
             WHERE %(ids)s::uuid[] IS NULL OR cl.ancestor_id = ANY(%(ids)s::uuid[])
        )
        SELECT e.chapter_id, count(*) AS members,
               count(*) FILTER (WHERE mb.gender = 'woman') AS women,
               count(*) FILTER (WHERE mb.gender IS NOT NULL) AS stated
          FROM effective e JOIN members mb ON mb.id = e.member_id AND mb.status = 'active'
         GROUP BY e.chapter_id
        """,
        {"ids": ids},
    )
    return {row["chapter_id"]: tuple(row[k] for k in FIGURES) for row in cur.fetchall()}


def kept_figures(cur, chapter_ids=None) -> dict:
    """chapter id → (members, women, stated) as kept (rows present only)."""
    ids = None if chapter_ids is None else [str(i) for i in chapter_ids]
    cur.execute(
        "SELECT chapter_id, members, women, stated FROM chapter_figures"
        " WHERE %(ids)s::uuid[] IS NULL OR chapter_id = ANY(%(ids)s::uuid[])",
        {"ids": ids},
    )
    return {row["chapter_id"]: tuple(row[k] for k in FIGURES) for row in cur.fetchall()}


def _upsert(cur, rows: list[tuple], assignment: str) -> None:
    """Rows (chapter id, members, women, stated) written in chapter order: two transactions
    changing the same chapters lock their rows in the same order (no deadlock)."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    cur.execute(
        "INSERT INTO chapter_figures (chapter_id, members, women, stated)"
        " SELECT * FROM unnest(%s::uuid[], %s::int[], %s::int[], %s::int[])"
        "     AS d (chapter_id, members, women, stated)"
        " ORDER BY chapter_id"
        f" ON CONFLICT (chapter_id) DO UPDATE SET {assignment}",
        ([str(c) for c in columns[0]], list(columns[1]), list(columns[2]), list(columns[3])),
    )


def add_to_figures(cur, differences: list[tuple]) -> None:
    """Add (chapter id, members, women, stated) differences to the kept figures."""
    _upsert(
        cur,
        differences,
        "members = chapter_figures.members + EXCLUDED.members,"
        " women = chapter_figures.women + EXCLUDED.women,"
        " stated = chapter_figures.stated + EXCLUDED.stated",
    )


def set_figures(cur, rows: list[tuple]) -> None:
    """Replace the kept figures of the chapters given (chapter id, members, women, stated)."""
    _upsert(
        cur,
        rows,
        "members = EXCLUDED.members, women = EXCLUDED.women, stated = EXCLUDED.stated",
    )


def lock_figures(cur) -> None:
    """Hold every change of the kept figures until the transaction ends (readers go on): a
    recount then sees every change that was made and none is made while it writes."""
    cur.execute("LOCK TABLE chapter_figures IN EXCLUSIVE MODE")


def member_standing(cur, member_id) -> dict | None:
    """The member's status and gender, the row locked: one change of a member's figures at
    a time."""
    cur.execute("SELECT status, gender FROM members WHERE id = %s FOR UPDATE", (member_id,))
    return cur.fetchone()


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
