"""SQL of member initiative: supporters of proposals, the active members of a scope, chapters'
own thresholds, and the proposals whose discussion period has ended."""

from __future__ import annotations

# Whether the member `X.member_id` is an active member of the scope (%(t)s, %(c)s): the
# organisation, a chapter with its sub-chapters, or a current.
ACTIVE_IN_SCOPE = """
    EXISTS (SELECT 1 FROM replica_members m WHERE m.member_id = X.member_id
            AND m.status = 'active' AND NOT m.deleted)
    AND (%(t)s = 'organisation'
         OR (%(t)s = 'chapter' AND EXISTS (
             SELECT 1 FROM replica_memberships s WHERE s.member_id = X.member_id
             AND (s.chapter_id = %(c)s OR %(c)s = ANY(s.ancestors))))
         OR (%(t)s = 'current' AND EXISTS (
             SELECT 1 FROM replica_currents r WHERE r.member_id = X.member_id
             AND r.current_id = %(c)s)))
"""


def active_in_scope(cur, scope_type: str, scope_id: str | None) -> int:
    """How many active members the scope has now, as polls' replica knows them."""
    cur.execute(
        "SELECT count(*) AS n FROM replica_members X WHERE " + ACTIVE_IN_SCOPE,
        {"t": scope_type, "c": scope_id},
    )
    return int(cur.fetchone()["n"])


def member_in_scope(cur, member_id: str, scope_type: str, scope_id: str | None) -> bool:
    cur.execute(
        "SELECT 1 FROM (SELECT %(m)s::text AS member_id) X WHERE " + ACTIVE_IN_SCOPE,
        {"m": member_id, "t": scope_type, "c": scope_id},
    )
    return cur.fetchone() is not None


def add_supporter(cur, proposal_id, member_id: str, at) -> bool:
    cur.execute(
        "INSERT INTO proposal_supporters (proposal_id, member_id, supported_at)"
        " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
        (proposal_id, member_id, at),
    )
    return cur.rowcount == 1


def remove_supporter(cur, proposal_id, member_id: str) -> bool:
    cur.execute(
        "DELETE FROM proposal_supporters WHERE proposal_id = %s AND member_id = %s",
        (proposal_id, member_id),
    )
    return cur.rowcount == 1


def clear_supporters(cur, proposal_id, *, but: str) -> None:
    cur.execute(
        "DELETE FROM proposal_supporters WHERE proposal_id = %s AND member_id <> %s",
        (proposal_id, but),
    )


def supporters(cur, proposal_id, scope_type: str, scope_id: str | None) -> list[dict]:
    """The supporters who count: those still active members of the proposal's scope, in the
    order they gave their support, with their display names."""
    cur.execute(
        "SELECT X.member_id, X.supported_at,"
        " (SELECT n.display_name FROM replica_members n WHERE n.member_id = X.member_id)"
        " AS display_name FROM proposal_supporters X WHERE X.proposal_id = %(p)s AND "
        + ACTIVE_IN_SCOPE
        + " ORDER BY X.supported_at, X.member_id",
        {"p": proposal_id, "t": scope_type, "c": scope_id},
    )
    return cur.fetchall()


def chapter_threshold(cur, chapter_id: str) -> dict | None:
    cur.execute(
        "SELECT chapter_id, share, minimum, decided_by_poll_id, set_by, updated_at"
        " FROM initiative_thresholds WHERE chapter_id = %s",
        (chapter_id,),
    )
    return cur.fetchone()


def set_chapter_threshold(cur, rule: dict) -> None:
    cur.execute(
        "INSERT INTO initiative_thresholds (chapter_id, share, minimum, decided_by_poll_id,"
        " set_by) VALUES (%(chapter_id)s, %(share)s, %(minimum)s, %(decided_by_poll_id)s,"
        " %(set_by)s) ON CONFLICT (chapter_id) DO UPDATE SET share = EXCLUDED.share,"
        " minimum = EXCLUDED.minimum, decided_by_poll_id = EXCLUDED.decided_by_poll_id,"
        " set_by = EXCLUDED.set_by, updated_at = now()",
        rule,
    )


def due_initiatives(cur, now, limit: int = 200) -> list:
    """Drafts past their discussion period with at least one supporter, most recently
    supported first (so a proposal that just gained support is looked at first)."""
    cur.execute(
        "SELECT p.id FROM proposals p JOIN proposal_supporters s ON s.proposal_id = p.id"
        " WHERE p.status = 'draft' AND p.discussion_ends_at <= %s"
        " GROUP BY p.id ORDER BY max(s.supported_at) DESC LIMIT %s",
        (now, limit),
    )
    return [row["id"] for row in cur.fetchall()]
