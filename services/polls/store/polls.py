"""SQL of polls, questions, electorates, keys, the roll, deadlines and the scheduler."""

from __future__ import annotations

from psycopg2.extras import Json

# --- polls ---------------------------------------------------------------------------------


def insert_poll(cur, poll: dict) -> None:
    cur.execute(
        "INSERT INTO polls (id, title, text, scope_type, scope_id, status, opens_at, closes_at,"
        " created_by, live_results, proposal_id, live_batch)"
        " VALUES (%(id)s, %(title)s, %(text)s, %(scope_type)s, %(scope_id)s, %(status)s,"
        " %(opens_at)s, %(closes_at)s, %(created_by)s, %(live_results)s, %(proposal_id)s,"
        " coalesce(%(live_batch)s, 10))",  # 10: migration 006's default
        {"live_batch": None, **poll},
    )


def insert_question(cur, question: dict) -> None:
    cur.execute(
        "INSERT INTO questions (id, poll_id, position, text, method, options, settings)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            question["id"],
            question["poll_id"],
            question["position"],
            question["text"],
            question["method"],
            Json(question["options"]),
            Json(question["settings"]),
        ),
    )


_POLL_COLUMNS = (
    "id, title, text, scope_type, scope_id, status, opens_at, closes_at, created_by, created_at,"
    " opened_at, closed_at, live_results, proposal_id, electorate, voters,"
    " results IS NOT NULL AS counted, sealing, live_batch, edited_at, cancelled_at,"
    " cancel_reason, opens_by"
)


def get_poll(cur, poll_id, *, lock: str | None = None) -> dict | None:
    suffix = {None: "", "share": " FOR SHARE", "update": " FOR UPDATE"}[lock]
    cur.execute(f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = %s{suffix}", (poll_id,))
    return cur.fetchone()


def set_opens_by(cur, poll_id, opens_by) -> None:
    cur.execute("UPDATE polls SET opens_by = %s WHERE id = %s", (opens_by, poll_id))


def update_scheduled_poll(cur, poll_id, *, title, text, opens_at, closes_at) -> None:
    cur.execute(
        "UPDATE polls SET title = %s, text = %s, opens_at = %s, closes_at = %s,"
        " edited_at = now() WHERE id = %s AND status = 'scheduled'",
        (title, text, opens_at, closes_at, poll_id),
    )


def delete_questions(cur, poll_id) -> None:
    """A scheduled poll's questions, replaced by an edit (nothing refers to them yet)."""
    cur.execute("DELETE FROM questions WHERE poll_id = %s", (poll_id,))


def mark_cancelled(cur, poll_id, cancelled_by: str, reason: str) -> None:
    cur.execute(
        "UPDATE polls SET status = 'cancelled', cancelled_at = now(), cancelled_by = %s,"
        " cancel_reason = %s WHERE id = %s AND status = 'scheduled'",
        (cancelled_by, reason, poll_id),
    )


def get_questions(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT id, position, text, method, options, settings FROM questions"
        " WHERE poll_id = %s ORDER BY position",
        (poll_id,),
    )
    return cur.fetchall()


def polls_by_creator(cur, created_by: str) -> dict[str, dict]:
    """title → {id, status} of the polls one member launched (the demo loader's memory)."""
    cur.execute("SELECT id, title, status FROM polls WHERE created_by = %s", (created_by,))
    return {row["title"]: {"id": row["id"], "status": row["status"]} for row in cur.fetchall()}


def active_replica_members(cur) -> int:
    cur.execute("SELECT count(*) AS n FROM replica_members WHERE status = 'active' AND NOT deleted")
    return cur.fetchone()["n"]


def bring_forward(cur, created_by: str, now) -> list:
    """Scheduled polls of one creator open at `now` instead of later (the demo, once ready)."""
    cur.execute(
        "UPDATE polls SET opens_at = %s WHERE created_by = %s AND status = 'scheduled'"
        " AND opens_at > %s RETURNING id",
        (now, created_by, now),
    )
    return [row["id"] for row in cur.fetchall()]


def list_polls(
    cur,
    *,
    status: str | None,
    scope_type: str | None,
    scope_id: str | None,
    limit: int,
    offset: int,
    title: str | None = None,
    method: str | None = None,
    purpose: str | None = None,
) -> list[dict]:
    where, params = [], []
    if title:
        escaped = title.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("title ILIKE %s")
        params.append(f"%{escaped}%")
    if method:
        where.append(
            "EXISTS (SELECT 1 FROM questions q WHERE q.poll_id = polls.id AND q.method = %s)"
        )
        params.append(method)
    if purpose:
        where.append("id IN (SELECT poll_id FROM poll_purposes WHERE purpose = %s)")
        params.append(purpose)
    if status:
        where.append("status = %s")
        params.append(status)
    if scope_type:
        where.append("scope_type = %s")
        params.append(scope_type)
    if scope_id:
        where.append("scope_id = %s")
        params.append(scope_id)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    cur.execute(
        f"SELECT {_POLL_COLUMNS} FROM polls{clause} ORDER BY created_at DESC, id"
        " LIMIT %s OFFSET %s",
        (*params, limit, offset),
    )
    return cur.fetchall()


def questions_for(cur, poll_ids: list) -> dict:
    if not poll_ids:
        return {}
    cur.execute(
        "SELECT poll_id, id, position, text, method, options, settings FROM questions"
        " WHERE poll_id = ANY(%s) ORDER BY poll_id, position",
        (list(poll_ids),),
    )
    grouped: dict = {}
    for row in cur.fetchall():
        grouped.setdefault(row["poll_id"], []).append(row)
    return grouped


def mark_open(cur, poll_id, electorate: int) -> None:
    cur.execute(
        "UPDATE polls SET status = 'open', opened_at = now(), electorate = %s WHERE id = %s",
        (electorate, poll_id),
    )


def fix_electorate(cur, poll_id, scope_type: str, scope_id: str | None) -> int:
    """Copy the eligible members of the scope, as the replica has them now, into `electorate`."""
    if scope_type == "organisation":
        cur.execute(
            "INSERT INTO electorate (poll_id, member_id)"
            " SELECT %s, member_id FROM replica_members WHERE status = 'active' AND NOT deleted",
            (poll_id,),
        )
    elif scope_type == "chapter":
        cur.execute(
            "INSERT INTO electorate (poll_id, member_id)"
            " SELECT DISTINCT %s, s.member_id FROM replica_memberships s"
            " JOIN replica_members m ON m.member_id = s.member_id"
            " WHERE m.status = 'active' AND NOT m.deleted"
            "   AND (s.chapter_id = %s OR %s = ANY(s.ancestors))",
            (poll_id, scope_id, scope_id),
        )
    else:
        cur.execute(
            "INSERT INTO electorate (poll_id, member_id)"
            " SELECT DISTINCT %s, c.member_id FROM replica_currents c"
            " JOIN replica_members m ON m.member_id = c.member_id"
            " WHERE m.status = 'active' AND NOT m.deleted AND c.current_id = %s",
            (poll_id, scope_id),
        )
    return cur.rowcount


def electorate_member_ids(cur, poll_id) -> list[str]:
    cur.execute(
        "SELECT member_id FROM electorate WHERE poll_id = %s ORDER BY member_id", (poll_id,)
    )
    return [str(row["member_id"]) for row in cur.fetchall()]


def elector_weight(cur, poll_id, member_id: str) -> int | None:
    cur.execute(
        "SELECT weight FROM electorate WHERE poll_id = %s AND member_id = %s",
        (poll_id, member_id),
    )
    row = cur.fetchone()
    return row["weight"] if row else None


def electorate_weight(cur, poll_id) -> int:
    cur.execute(
        "SELECT coalesce(sum(weight), 0) AS w FROM electorate WHERE poll_id = %s", (poll_id,)
    )
    return int(cur.fetchone()["w"])


def insert_key(cur, poll_id, salt: bytes, check: bytes) -> None:
    cur.execute(
        "INSERT INTO poll_keys (poll_id, salt, key_check) VALUES (%s, %s, %s)",
        (poll_id, salt, check),
    )


def poll_salt(cur, poll_id) -> tuple[bytes, bytes | None] | None:
    """(salt, key check value) of a poll whose key is not destroyed yet, else None."""
    cur.execute("SELECT salt, key_check FROM poll_keys WHERE poll_id = %s", (poll_id,))
    row = cur.fetchone()
    if row is None:
        return None
    return bytes(row["salt"]), None if row["key_check"] is None else bytes(row["key_check"])


def destroy_key(cur, poll_id) -> None:
    cur.execute("DELETE FROM poll_keys WHERE poll_id = %s", (poll_id,))


def add_to_roll(cur, poll_id, member_id: str, retry_tag: str | None) -> bool:
    """True when the member was put on the roll now; False when they already were."""
    cur.execute(
        "INSERT INTO roll (poll_id, member_id, retry_tag) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id, member_id) DO NOTHING",
        (poll_id, member_id, retry_tag),
    )
    return cur.rowcount == 1


def roll_entry(cur, poll_id, member_id: str, *, lock: bool = False) -> dict | None:
    cur.execute(
        "SELECT retry_tag FROM roll WHERE poll_id = %s AND member_id = %s"
        + (" FOR UPDATE" if lock else ""),
        (poll_id, member_id),
    )
    return cur.fetchone()


def roll_count(cur, poll_id) -> int:
    cur.execute("SELECT count(*) AS n FROM roll WHERE poll_id = %s", (poll_id,))
    return int(cur.fetchone()["n"])


def clear_retry_tags(cur, poll_id) -> None:
    cur.execute(
        "UPDATE roll SET retry_tag = NULL WHERE poll_id = %s AND retry_tag IS NOT NULL",
        (poll_id,),
    )


def set_closes_at(cur, poll_id, closes_at) -> None:
    cur.execute(
        "UPDATE polls SET closes_at = %s, closing_soon_sent = false WHERE id = %s",
        (closes_at, poll_id),
    )


def set_closed_at(cur, poll_id, closed_at) -> None:
    """When a recreated poll really closed (the demo's seeds: their published date)."""
    cur.execute("UPDATE polls SET closed_at = %s WHERE id = %s", (closed_at, poll_id))


def log_deadline_change(cur, poll_id, old, new, reason: str, changed_by: str) -> None:
    cur.execute(
        "INSERT INTO deadline_changes (poll_id, old_closes_at, new_closes_at, reason, changed_by)"
        " VALUES (%s, %s, %s, %s, %s)",
        (poll_id, old, new, reason, changed_by),
    )


def deadline_changes(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT old_closes_at, new_closes_at, reason, changed_by, changed_at"
        " FROM deadline_changes WHERE poll_id = %s ORDER BY changed_at",
        (poll_id,),
    )
    return cur.fetchall()


# --- scheduler -----------------------------------------------------------------------------


def due_to_open(cur, now, limit: int = 50) -> list:
    cur.execute(
        "SELECT id FROM polls WHERE status = 'scheduled' AND opens_at <= %s"
        " ORDER BY opens_at LIMIT %s",
        (now, limit),
    )
    return [row["id"] for row in cur.fetchall()]


def due_to_close(cur, now, limit: int = 50) -> list:
    cur.execute(
        "SELECT id FROM polls WHERE status = 'open' AND closes_at <= %s"
        " ORDER BY closes_at LIMIT %s",
        (now, limit),
    )
    return [row["id"] for row in cur.fetchall()]


def closing_soon(cur, now, horizon) -> list[dict]:
    cur.execute(
        "SELECT id, title, scope_type, scope_id, closes_at FROM polls"
        " WHERE status = 'open' AND NOT closing_soon_sent AND closes_at > %s"
        " AND closes_at <= %s FOR UPDATE SKIP LOCKED",
        (now, horizon),
    )
    return cur.fetchall()


def mark_closing_soon_sent(cur, poll_id) -> None:
    cur.execute("UPDATE polls SET closing_soon_sent = true WHERE id = %s", (poll_id,))


def non_voters(cur, poll_id) -> list[str]:
    cur.execute(
        "SELECT e.member_id FROM electorate e WHERE e.poll_id = %s AND NOT EXISTS"
        " (SELECT 1 FROM roll r WHERE r.poll_id = e.poll_id AND r.member_id = e.member_id)"
        " ORDER BY e.member_id",
        (poll_id,),
    )
    return [row["member_id"] for row in cur.fetchall()]


SCRUBBED = ("poll_keys", "sealed_ballots", "ballot_slots", "roll")


def vacuum(db) -> None:
    """VACUUM the tables whose dead rows held keys, sealed ballots or retry tags (outside any
    transaction, so on a connection of its own in autocommit)."""
    conn = db.connect()
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            for table in SCRUBBED:
                cur.execute(f"VACUUM {table}")
    finally:
        conn.close()
