"""SQL of the chapter tree."""

from __future__ import annotations

import uuid

from services.members.store.rows import existing, update_columns

# The closure of the chapter tree: (ancestor_id, chapter_id, depth) for every chapter and each
# of its ancestors, itself included at depth 0.
CLOSURE_CTE = """
WITH RECURSIVE closure (ancestor_id, chapter_id, depth) AS (
    SELECT id, id, 0 FROM chapters
    UNION ALL
    SELECT c.parent_id, cl.chapter_id, cl.depth + 1
      FROM closure cl JOIN chapters c ON c.id = cl.ancestor_id
     WHERE c.parent_id IS NOT NULL
)
"""


CHAPTER_COLUMNS = (
    "c.id, c.parent_id, c.name, c.level, c.country, c.place, c.continent, c.description,"
    " c.founded_on, c.founded_by, c.created_at"
)


def insert_chapter(
    cur, *, name, level, parent_id, country, place, continent, description, founded_on, founded_by
) -> dict:
    cur.execute(
        "INSERT INTO chapters (id, parent_id, name, level, country, place, continent,"
        " description, founded_on, founded_by)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, COALESCE(%s, current_date), %s)"
        " RETURNING id",
        (
            uuid.uuid4(),
            parent_id,
            name,
            level,
            country,
            place,
            continent,
            description,
            founded_on,
            founded_by,
        ),
    )
    return existing(chapter_by_id(cur, cur.fetchone()["id"]))


def chapter_by_id(cur, chapter_id, *, for_update: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {CHAPTER_COLUMNS} FROM chapters c WHERE c.id = %s"
        + (" FOR UPDATE" if for_update else ""),
        (chapter_id,),
    )
    return cur.fetchone()


def update_chapter(cur, chapter_id, changes: dict) -> dict:
    allowed = {"name", "parent_id", "country", "place", "continent", "description", "founded_on"}
    update_columns(cur, "chapters", chapter_id, changes, allowed)
    return existing(chapter_by_id(cur, chapter_id))


def ancestors_of(cur, chapter_id) -> list[dict]:
    """The chapter's ancestors, nearest first (the chapter itself excluded)."""
    cur.execute(
        "WITH RECURSIVE up (id, parent_id, name, level, depth) AS ("
        "  SELECT p.id, p.parent_id, p.name, p.level, 1 FROM chapters c"
        "    JOIN chapters p ON p.id = c.parent_id WHERE c.id = %s"
        "  UNION ALL"
        "  SELECT p.id, p.parent_id, p.name, p.level, up.depth + 1 FROM up"
        "    JOIN chapters p ON p.id = up.parent_id WHERE up.depth < 64"
        ") SELECT id, parent_id, name, level FROM up ORDER BY depth",
        (chapter_id,),
    )
    return cur.fetchall()


def subtree_of(cur, chapter_id, max_depth: int = 64) -> list[dict]:
    """The chapter and its descendants down to `max_depth` levels (with depth from the
    chapter)."""
    cur.execute(
        "WITH RECURSIVE down (id, depth) AS ("
        "  SELECT id, 0 FROM chapters WHERE id = %s"
        "  UNION ALL"
        "  SELECT c.id, down.depth + 1 FROM down JOIN chapters c ON c.parent_id = down.id"
        "   WHERE down.depth < %s"
        f") SELECT {CHAPTER_COLUMNS}, down.depth FROM down JOIN chapters c ON c.id = down.id"
        " ORDER BY down.depth, c.name",
        (chapter_id, min(max_depth, 64)),
    )
    return cur.fetchall()


def list_chapters(
    cur,
    *,
    query=None,
    level=None,
    country=None,
    parent_id=None,
    root_only=False,
    limit=50,
    offset=0,
    sort="newest",
) -> list[dict]:
    order = (
        "lower(c.name), c.id" if sort == "name" else "c.founded_on DESC, c.created_at DESC, c.id"
    )
    cur.execute(
        f"SELECT {CHAPTER_COLUMNS} FROM chapters c"
        " WHERE (%(q)s::text IS NULL OR c.name ILIKE %(like)s OR c.place ILIKE %(like)s)"
        "   AND (%(level)s::text IS NULL OR c.level = %(level)s)"
        "   AND (%(country)s::text IS NULL OR c.country = %(country)s)"
        "   AND (%(parent)s::uuid IS NULL OR c.parent_id = %(parent)s)"
        "   AND (NOT %(root)s OR c.parent_id IS NULL)"
        f" ORDER BY {order}"
        " LIMIT %(limit)s OFFSET %(offset)s",
        {
            "q": query,
            "like": f"%{query}%" if query else None,
            "level": level,
            "country": country,
            "parent": parent_id,
            "root": root_only,
            "limit": limit,
            "offset": offset,
        },
    )
    return cur.fetchall()


def newest_among(cur, chapter_ids, *, limit: int, offset: int) -> list[dict]:
    """A page of these chapters, founded last first."""
    cur.execute(
        f"SELECT {CHAPTER_COLUMNS} FROM chapters c WHERE c.id = ANY(%s::uuid[])"
        " ORDER BY c.founded_on DESC, c.created_at DESC, c.id LIMIT %s OFFSET %s",
        ([str(i) for i in chapter_ids], limit, offset),
    )
    return cur.fetchall()


def all_chapters(cur) -> list[dict]:
    cur.execute(f"SELECT {CHAPTER_COLUMNS} FROM chapters c ORDER BY c.created_at, c.id")
    return cur.fetchall()


def chapter_ancestor_map(cur) -> dict:
    """chapter id → list of its ancestors' ids, nearest first."""
    cur.execute(
        CLOSURE_CTE + "SELECT chapter_id, ancestor_id FROM closure WHERE depth > 0"
        " ORDER BY chapter_id, depth"
    )
    result: dict = {}
    for row in cur.fetchall():
        result.setdefault(row["chapter_id"], []).append(row["ancestor_id"])
    return result


def chapter_named(cur, name: str, level: str) -> dict | None:
    cur.execute("SELECT id FROM chapters WHERE name = %s AND level = %s", (name, level))
    return cur.fetchone()
