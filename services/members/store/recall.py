"""SQL of recall rules and petitions."""

from __future__ import annotations

import datetime as dt


def recall_settings(cur, chapter_id) -> dict | None:
    cur.execute("SELECT * FROM recall_settings WHERE chapter_id = %s", (chapter_id,))
    return cur.fetchone()


def upsert_recall_settings(cur, chapter_id, values: dict, updated_by) -> None:
    cur.execute(
        "INSERT INTO recall_settings (chapter_id, threshold_percent, threshold_minimum,"
        " petition_days, cooling_off_days, vote_hours, quorum_percent,"
        " quorum_decided_by_poll_id, vacancy_rule, updated_by)"
        " VALUES (%(c)s, %(threshold_percent)s, %(threshold_minimum)s, %(petition_days)s,"
        "         %(cooling_off_days)s, %(vote_hours)s, %(quorum_percent)s,"
        "         %(quorum_decided_by_poll_id)s, %(vacancy_rule)s, %(by)s)"
        " ON CONFLICT (chapter_id) DO UPDATE SET threshold_percent = EXCLUDED.threshold_percent,"
        "   threshold_minimum = EXCLUDED.threshold_minimum,"
        "   petition_days = EXCLUDED.petition_days, cooling_off_days = EXCLUDED.cooling_off_days,"
        "   vote_hours = EXCLUDED.vote_hours, quorum_percent = EXCLUDED.quorum_percent,"
        "   quorum_decided_by_poll_id = EXCLUDED.quorum_decided_by_poll_id,"
        "   vacancy_rule = EXCLUDED.vacancy_rule,"
        "   updated_by = EXCLUDED.updated_by, updated_at = now()",
        {**values, "c": chapter_id, "by": updated_by},
    )


def record_closed_chapter_poll(cur, poll_id: str, chapter_id, title, closed_at) -> None:
    cur.execute(
        "INSERT INTO closed_chapter_polls (poll_id, chapter_id, title, closed_at)"
        " VALUES (%s, %s, %s, COALESCE(%s, now())) ON CONFLICT DO NOTHING",
        (poll_id, chapter_id, title, closed_at),
    )


def closed_chapter_poll(cur, poll_id: str, chapter_id) -> dict | None:
    """The poll, if it is a closed poll of this chapter (a recorded chapter decision)."""
    cur.execute(
        "SELECT * FROM closed_chapter_polls WHERE poll_id = %s AND chapter_id = %s",
        (poll_id, chapter_id),
    )
    return cur.fetchone()


PETITION_COLUMNS = (
    "p.*, (SELECT count(*) FROM recall_signatures s WHERE s.petition_id = p.id)::int"
    " AS signatures, mb.display_name AS delegate_name, c.name AS chapter_name,"
    " (SELECT md.role FROM mandates md WHERE md.id = p.mandate_id) AS role"
)


def insert_petition(cur, petition: dict) -> None:
    cur.execute(
        "INSERT INTO recall_petitions (id, mandate_id, chapter_id, delegate_id, opened_by,"
        " reason, threshold, members_at_opening, vote_hours, cooling_off_days, quorum_percent,"
        " opened_at, expires_at) VALUES (%(id)s, %(mandate_id)s, %(chapter_id)s,"
        " %(delegate_id)s, %(opened_by)s, %(reason)s, %(threshold)s, %(members_at_opening)s,"
        " %(vote_hours)s, %(cooling_off_days)s, %(quorum_percent)s, %(opened_at)s,"
        " %(expires_at)s)",
        petition,
    )


def petition_by_id(cur, petition_id, *, for_update: bool = False) -> dict | None:
    if for_update:
        cur.execute("SELECT 1 FROM recall_petitions WHERE id = %s FOR UPDATE", (petition_id,))
        if cur.fetchone() is None:
            return None
    cur.execute(
        f"SELECT {PETITION_COLUMNS} FROM recall_petitions p"
        " JOIN members mb ON mb.id = p.delegate_id LEFT JOIN chapters c ON c.id = p.chapter_id"
        " WHERE p.id = %s",
        (petition_id,),
    )
    return cur.fetchone()


def list_petitions(
    cur, *, chapter_id=None, mandate_id=None, status=None, limit=50, offset=0
) -> list[dict]:
    cur.execute(
        f"SELECT {PETITION_COLUMNS} FROM recall_petitions p"
        " JOIN members mb ON mb.id = p.delegate_id LEFT JOIN chapters c ON c.id = p.chapter_id"
        " WHERE (%(c)s::uuid IS NULL OR p.chapter_id = %(c)s)"
        "   AND (%(m)s::uuid IS NULL OR p.mandate_id = %(m)s)"
        "   AND (%(s)s::text IS NULL OR p.status = %(s)s)"
        " ORDER BY p.opened_at DESC, p.id LIMIT %(limit)s OFFSET %(offset)s",
        {"c": chapter_id, "m": mandate_id, "s": status, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def live_petition_of(cur, mandate_id) -> dict | None:
    cur.execute(
        "SELECT id FROM recall_petitions WHERE mandate_id = %s"
        " AND status IN ('open', 'threshold_reached', 'voting')",
        (mandate_id,),
    )
    return cur.fetchone()


def cooling_off_until(cur, mandate_id, now) -> dt.datetime | None:
    cur.execute(
        "SELECT max(cooling_off_until) AS until FROM recall_petitions"
        " WHERE mandate_id = %s AND status = 'kept' AND cooling_off_until > %s",
        (mandate_id, now),
    )
    return cur.fetchone()["until"]


def add_signature(cur, petition_id, member_id) -> bool:
    cur.execute(
        "INSERT INTO recall_signatures (petition_id, member_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (petition_id, member_id),
    )
    return cur.rowcount == 1


def remove_signature(cur, petition_id, member_id) -> bool:
    cur.execute(
        "DELETE FROM recall_signatures WHERE petition_id = %s AND member_id = %s",
        (petition_id, member_id),
    )
    return cur.rowcount == 1


def has_signed(cur, petition_id, member_id) -> bool:
    cur.execute(
        "SELECT 1 FROM recall_signatures WHERE petition_id = %s AND member_id = %s",
        (petition_id, member_id),
    )
    return cur.fetchone() is not None


def update_petition(cur, petition_id, changes: dict) -> None:
    allowed = (
        "status",
        "threshold_at",
        "poll_id",
        "decided_at",
        "votes_for",
        "votes_against",
        "cooling_off_until",
        "voters",
        "electorate",
        "outcome_reason",
    )
    keys = [k for k in changes if k in allowed]
    if not keys:
        return
    assignments = ", ".join(f"{k} = %({k})s" for k in keys)
    cur.execute(
        f"UPDATE recall_petitions SET {assignments} WHERE id = %(id)s",  # noqa: S608 - fixed keys
        {**{k: changes[k] for k in keys}, "id": petition_id},
    )


def expire_petitions(cur, now) -> list[dict]:
    cur.execute(
        "UPDATE recall_petitions SET status = 'expired', decided_at = %s"
        " WHERE status = 'open' AND expires_at <= %s"
        " RETURNING id, mandate_id, chapter_id, delegate_id",
        (now, now),
    )
    return cur.fetchall()
