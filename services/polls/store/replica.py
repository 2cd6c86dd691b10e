"""SQL of the replica of members (members, chapters, memberships, mandates, currents)."""

from __future__ import annotations

# --- replica of members ------------------------------------------------------------------


def add_member(cur, member_id: str, status: str) -> None:
    """A registration: the first fact about a member, so a later one already here wins."""
    cur.execute(
        "INSERT INTO replica_members (member_id, status) VALUES (%s, %s)"
        " ON CONFLICT (member_id) DO NOTHING",
        (member_id, status),
    )


def activate_member(cur, member_id: str) -> None:
    cur.execute(
        "INSERT INTO replica_members (member_id, status) VALUES (%s, 'active')"
        " ON CONFLICT (member_id) DO UPDATE SET status = 'active'"
        " WHERE NOT replica_members.deleted",
        (member_id,),
    )


def delete_member(cur, member_id: str) -> None:
    cur.execute(
        "INSERT INTO replica_members (member_id, status, deleted) VALUES (%s, 'deleted', true)"
        " ON CONFLICT (member_id) DO UPDATE SET status = 'deleted', deleted = true",
        (member_id,),
    )
    cur.execute("DELETE FROM replica_memberships WHERE member_id = %s", (member_id,))
    cur.execute("DELETE FROM replica_currents WHERE member_id = %s", (member_id,))
    cur.execute("UPDATE replica_mandates SET revoked = true WHERE member_id = %s", (member_id,))


def upsert_chapter(cur, chapter_id: str, parent_id: str | None, name: str, level) -> None:
    cur.execute(
        "INSERT INTO replica_chapters (chapter_id, parent_id, name, level)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (chapter_id) DO UPDATE SET"
        " parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, level = EXCLUDED.level",
        (chapter_id, parent_id, name, None if level is None else str(level)),
    )


def add_membership(cur, member_id: str, chapter_id: str, ancestors: list[str]) -> None:
    cur.execute(
        "INSERT INTO replica_memberships (member_id, chapter_id, ancestors) VALUES (%s, %s, %s)"
        " ON CONFLICT (member_id, chapter_id) DO UPDATE SET ancestors = EXCLUDED.ancestors",
        (member_id, chapter_id, ancestors),
    )


def remove_membership(cur, member_id: str, chapter_id: str) -> None:
    cur.execute(
        "DELETE FROM replica_memberships WHERE member_id = %s AND chapter_id = %s",
        (member_id, chapter_id),
    )


def add_current(cur, member_id: str, current_id: str) -> None:
    cur.execute(
        "INSERT INTO replica_currents (member_id, current_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (member_id, current_id),
    )


def remove_current(cur, member_id: str, current_id: str) -> None:
    cur.execute(
        "DELETE FROM replica_currents WHERE member_id = %s AND current_id = %s",
        (member_id, current_id),
    )


def grant_mandate(
    cur,
    mandate_id: str,
    member_id: str,
    role: str,
    chapter_id,
    starts_at=None,
    ends_at=None,
    interim: bool = False,
) -> None:
    cur.execute(
        "INSERT INTO replica_mandates"
        " (mandate_id, member_id, role, chapter_id, starts_at, ends_at, interim)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (mandate_id) DO NOTHING",
        (mandate_id, member_id, role, chapter_id, starts_at, ends_at, interim),
    )


def set_mandate_term(cur, mandate_id: str, ends_at) -> None:
    """A held mandate's new end (a revoked or ended one stays as it is)."""
    cur.execute(
        "UPDATE replica_mandates SET ends_at = %s WHERE mandate_id = %s", (ends_at, mandate_id)
    )


# A mandate holds from starts_at (null: since granted) until ends_at (null: until revoked).
_MANDATE_HOLDS = (
    " AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())"
)


def add_current_name(cur, current_id: str, name: str) -> None:
    cur.execute(
        "INSERT INTO replica_current_names (current_id, name) VALUES (%s, %s)"
        " ON CONFLICT (current_id) DO UPDATE SET name = EXCLUDED.name",
        (current_id, name),
    )


def apply_member_snapshot(
    cur,
    member_id: str,
    status: str,
    chapters: list[tuple[str, list[str]]],
    current_ids: list[str],
    mandates: list[dict],
) -> None:
    """Replace what the replica holds of one member with a snapshot of it (members' whole
    current state): status, direct memberships with their ancestors, currents, live mandates.
    Applying it twice, or after the facts it summarises, changes nothing."""
    if status == "deleted":
        delete_member(cur, member_id)
        return
    cur.execute(
        "INSERT INTO replica_members (member_id, status) VALUES (%s, %s)"
        " ON CONFLICT (member_id) DO UPDATE SET status = EXCLUDED.status"
        " WHERE NOT replica_members.deleted",
        (member_id, status),
    )
    cur.execute("SELECT deleted FROM replica_members WHERE member_id = %s", (member_id,))
    if cur.fetchone()["deleted"]:
        return  # a deleted member never comes back
    chapter_ids = [c for c, _ in chapters]
    cur.execute(
        "DELETE FROM replica_memberships WHERE member_id = %s AND NOT (chapter_id = ANY(%s))",
        (member_id, chapter_ids),
    )
    for chapter_id, ancestors in chapters:
        add_membership(cur, member_id, chapter_id, ancestors)
    cur.execute(
        "DELETE FROM replica_currents WHERE member_id = %s AND NOT (current_id = ANY(%s))",
        (member_id, list(current_ids)),
    )
    for current_id in current_ids:
        add_current(cur, member_id, current_id)
    mandate_ids = [m["mandate_id"] for m in mandates]
    cur.execute(
        "UPDATE replica_mandates SET revoked = true"
        " WHERE member_id = %s AND NOT revoked AND NOT (mandate_id = ANY(%s))",
        (member_id, mandate_ids),
    )
    for m in mandates:
        cur.execute(
            "INSERT INTO replica_mandates"
            " (mandate_id, member_id, role, chapter_id, starts_at, ends_at, interim, revoked)"
            " VALUES (%(mandate_id)s, %(member_id)s, %(role)s, %(chapter_id)s, %(starts_at)s,"
            " %(ends_at)s, %(interim)s, false) ON CONFLICT (mandate_id) DO UPDATE SET"
            " member_id = EXCLUDED.member_id, role = EXCLUDED.role,"
            " chapter_id = EXCLUDED.chapter_id, starts_at = EXCLUDED.starts_at,"
            " ends_at = EXCLUDED.ends_at, interim = EXCLUDED.interim, revoked = false",
            {"interim": False, **m, "member_id": member_id},
        )


def revoke_mandate(cur, mandate_id: str, member_id: str, role: str, chapter_id) -> None:
    cur.execute(
        "INSERT INTO replica_mandates (mandate_id, member_id, role, chapter_id, revoked)"
        " VALUES (%s, %s, %s, %s, true)"
        " ON CONFLICT (mandate_id) DO UPDATE SET revoked = true",
        (mandate_id, member_id, role, chapter_id),
    )


def member_status(cur, member_id: str) -> str | None:
    cur.execute("SELECT status FROM replica_members WHERE member_id = %s", (member_id,))
    row = cur.fetchone()
    return row["status"] if row else None


def member_names(cur, member_ids: list[str]) -> dict[str, str]:
    """The display names the replica knows (member id: name); members without one are left out."""
    cur.execute(
        "SELECT member_id, display_name FROM replica_members"
        " WHERE member_id = ANY(%s) AND btrim(coalesce(display_name, '')) <> ''",
        (member_ids,),
    )
    return {row["member_id"]: row["display_name"] for row in cur.fetchall()}


def has_admin_mandate(cur, member_id: str) -> bool:
    cur.execute(
        "SELECT 1 FROM replica_mandates WHERE member_id = %s AND role = 'admin' AND NOT revoked"
        + _MANDATE_HOLDS,
        (member_id,),
    )
    return cur.fetchone() is not None


def chapter_exists(cur, chapter_id: str) -> bool:
    cur.execute("SELECT 1 FROM replica_chapters WHERE chapter_id = %s", (chapter_id,))
    return cur.fetchone() is not None


def coordinates(cur, member_id: str, chapter_id: str) -> bool:
    """A live coordinator mandate for `chapter_id` or one of its ancestors."""
    cur.execute(
        """
        WITH RECURSIVE line(chapter_id, parent_id, depth) AS (
            SELECT chapter_id, parent_id, 0 FROM replica_chapters WHERE chapter_id = %(c)s
            UNION ALL
            SELECT c.chapter_id, c.parent_id, l.depth + 1
            FROM replica_chapters c JOIN line l ON c.chapter_id = l.parent_id
            WHERE l.depth < 64
        )
        SELECT 1 FROM replica_mandates m
        WHERE m.member_id = %(m)s AND m.role = 'coordinator' AND NOT m.revoked
          AND (m.starts_at IS NULL OR m.starts_at <= now())
          AND (m.ends_at IS NULL OR m.ends_at > now())
          AND (m.chapter_id = %(c)s OR m.chapter_id IN (SELECT chapter_id FROM line))
        LIMIT 1
        """,
        {"c": chapter_id, "m": member_id},
    )
    return cur.fetchone() is not None


def set_member_name(cur, member_id: str, display_name: str | None) -> None:
    if display_name is None:
        return
    cur.execute(
        "INSERT INTO replica_members (member_id, status, display_name) VALUES (%s, 'pending', %s)"
        " ON CONFLICT (member_id) DO UPDATE SET display_name = EXCLUDED.display_name",
        (member_id, display_name),
    )


def active_member_of(cur, member_id: str, chapter_id: str) -> bool:
    """Whether the member is active and belongs to the chapter (or one below it)."""
    cur.execute(
        "SELECT 1 FROM replica_memberships s JOIN replica_members m ON m.member_id = s.member_id"
        " WHERE s.member_id = %s AND m.status = 'active' AND NOT m.deleted"
        "   AND (s.chapter_id = %s OR %s = ANY(s.ancestors)) LIMIT 1",
        (member_id, chapter_id, chapter_id),
    )
    return cur.fetchone() is not None


def has_elected_admin(cur) -> bool:
    """Whether anyone holds a live admin mandate that is not interim, i.e. the members elected
    (issue 18: while nobody does, any active member may launch the admin election; an
    appointed admin does not stand between the members and their election)."""
    cur.execute(
        "SELECT 1 FROM replica_mandates WHERE role = 'admin' AND NOT revoked AND NOT interim"
        + _MANDATE_HOLDS
        + " LIMIT 1"
    )
    return cur.fetchone() is not None


def chapter_has_coordinator(cur, chapter_id: str) -> bool:
    """Whether the chapter itself has a live coordinator mandate that is not interim (an
    appointed coordinator does not stand between the members and their election)."""
    cur.execute(
        "SELECT 1 FROM replica_mandates WHERE role = 'coordinator' AND chapter_id = %s"
        " AND NOT revoked AND NOT interim" + _MANDATE_HOLDS + " LIMIT 1",
        (chapter_id,),
    )
    return cur.fetchone() is not None


def top_chapters(cur) -> list[str]:
    """The chapters with no parent (the organisation's top level)."""
    cur.execute(
        "SELECT chapter_id FROM replica_chapters WHERE parent_id IS NULL ORDER BY chapter_id"
    )
    return [row["chapter_id"] for row in cur.fetchall()]


def coordinator_ids(cur, chapter_id: str) -> list[str]:
    """The members holding a live coordinator mandate for the chapter itself."""
    cur.execute(
        "SELECT DISTINCT member_id FROM replica_mandates WHERE role = 'coordinator'"
        " AND chapter_id = %s AND NOT revoked" + _MANDATE_HOLDS + " ORDER BY member_id",
        (chapter_id,),
    )
    return [row["member_id"] for row in cur.fetchall()]


def admin_ids(cur) -> list[str]:
    """The members holding a live admin mandate."""
    cur.execute(
        "SELECT DISTINCT member_id FROM replica_mandates WHERE role = 'admin' AND NOT revoked"
        + _MANDATE_HOLDS
        + " ORDER BY member_id"
    )
    return [row["member_id"] for row in cur.fetchall()]
