"""All SQL of the polls service: named functions taking a cursor, with bound parameters."""

from __future__ import annotations

import csv
import io
import itertools
import json
import uuid

from psycopg2.extras import Json

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
    cur, mandate_id: str, member_id: str, role: str, chapter_id, starts_at=None, ends_at=None
) -> None:
    cur.execute(
        "INSERT INTO replica_mandates (mandate_id, member_id, role, chapter_id, starts_at, ends_at)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (mandate_id) DO NOTHING",
        (mandate_id, member_id, role, chapter_id, starts_at, ends_at),
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
            " (mandate_id, member_id, role, chapter_id, starts_at, ends_at, revoked)"
            " VALUES (%(mandate_id)s, %(member_id)s, %(role)s, %(chapter_id)s, %(starts_at)s,"
            " %(ends_at)s, false) ON CONFLICT (mandate_id) DO UPDATE SET"
            " member_id = EXCLUDED.member_id, role = EXCLUDED.role,"
            " chapter_id = EXCLUDED.chapter_id, starts_at = EXCLUDED.starts_at,"
            " ends_at = EXCLUDED.ends_at, revoked = false",
            {**m, "member_id": member_id},
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
    " results IS NOT NULL AS counted, sealing, live_batch"
)


def get_poll(cur, poll_id, *, lock: str | None = None) -> dict | None:
    suffix = {None: "", "share": " FOR SHARE", "update": " FOR UPDATE"}[lock]
    cur.execute(f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = %s{suffix}", (poll_id,))
    return cur.fetchone()


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


def list_polls(
    cur,
    *,
    status: str | None,
    scope_type: str | None,
    scope_id: str | None,
    limit: int,
    offset: int,
) -> list[dict]:
    where, params = [], []
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
    cur.execute("INSERT INTO poll_keys (poll_id, salt, key_check) VALUES (%s, %s, %s)",
                (poll_id, salt, check))


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


def _ballot_lock(poll_id) -> str:
    return f"councils.polls.ballots:{poll_id}"


def lock_ballots_shared(cur, poll_id) -> None:
    """Held by a cast or a change: a close (lock_ballots_exclusive) waits for it, and a cast
    after a close sees the poll closed. An advisory lock, not FOR SHARE on the poll's row: a
    row lock writes WAL and leaves the caster's xid in the row's xmax."""
    cur.execute("SELECT pg_advisory_xact_lock_shared(hashtextextended(%s, 0))",
                (_ballot_lock(poll_id),))


def lock_ballots_exclusive(cur, poll_id) -> None:
    cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (_ballot_lock(poll_id),))


def ballot_context(cur, poll_id, member_id: str) -> dict | None:
    """For a cast or a change (after lock_ballots_shared, in a statement of its own so that its
    snapshot follows the lock): the poll's status, the member's weight in the electorate
    (None: not in it), the poll's salt and key check value (None once destroyed), its sealing
    and its purpose."""
    lock_ballots_shared(cur, poll_id)
    cur.execute(
        "SELECT p.status,"
        " (SELECT e.weight FROM electorate e WHERE e.poll_id = p.id AND e.member_id = %s)"
        " AS weight,"
        " k.salt, k.key_check, p.sealing,"
        " (SELECT pp.purpose FROM poll_purposes pp WHERE pp.poll_id = p.id) AS purpose"
        " FROM polls p LEFT JOIN poll_keys k ON k.poll_id = p.id"
        " WHERE p.id = %s",
        (member_id, poll_id),
    )
    return cur.fetchone()


def cast_sealed(cur, poll_id, member_id: str, retry_tag: str | None, sealed: bytes) -> bool:
    """Put the member on the roll and store their sealed ballot in one statement; False (and
    nothing written) when they were on the roll already."""
    cur.execute(
        "WITH added AS (INSERT INTO roll (poll_id, member_id, retry_tag) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id, member_id) DO NOTHING RETURNING poll_id)"
        " INSERT INTO sealed_ballots (id, poll_id, sealed)"
        " SELECT %s::uuid, added.poll_id, %s::bytea FROM added",
        (poll_id, member_id, retry_tag, uuid.uuid4(), sealed),
    )
    return cur.rowcount == 1


def change_sealed(cur, poll_id, member_id: str, sealed: bytes) -> bool:
    """Store a new sealed ballot for a member on the roll (polls sealed the old way); False
    (and nothing written) when they are not on the roll. The roll row is only read, never
    locked (a lock would leave the changer's xid in its xmax): the poll row, held FOR SHARE by
    ballot_context, already keeps a close from running meanwhile."""
    cur.execute(
        "WITH entry AS (SELECT poll_id FROM roll WHERE poll_id = %s AND member_id = %s)"
        " INSERT INTO sealed_ballots (id, poll_id, sealed)"
        " SELECT %s::uuid, entry.poll_id, %s::bytea FROM entry",
        (poll_id, member_id, uuid.uuid4(), sealed),
    )
    return cur.rowcount == 1


def insert_sealed(cur, poll_id, sealed: bytes) -> None:
    cur.execute(
        "INSERT INTO sealed_ballots (id, poll_id, sealed) VALUES (%s, %s, %s)",
        (uuid.uuid4(), poll_id, sealed),
    )


def take_sealed(cur, poll_id) -> list[bytes]:
    """Every sealed ballot of the poll (slots, and rows sealed before slots), deleted."""
    with cur.connection.cursor() as plain:  # tuples: no dict for each of 100,000 rows
        plain.execute("DELETE FROM ballot_slots WHERE poll_id = %s RETURNING sealed", (poll_id,))
        taken = [bytes(row[0]) for row in plain.fetchall()]
        plain.execute("DELETE FROM sealed_ballots WHERE poll_id = %s RETURNING sealed",
                      (poll_id,))
        return taken + [bytes(row[0]) for row in plain.fetchall()]


def read_sealed(cur, poll_id) -> list[bytes]:
    with cur.connection.cursor() as plain:
        plain.execute(
            "SELECT sealed FROM ballot_slots WHERE poll_id = %s"
            " UNION ALL SELECT sealed FROM sealed_ballots WHERE poll_id = %s",
            (poll_id, poll_id),
        )
        return [bytes(row[0]) for row in plain.fetchall()]


# --- slots: one sealed ballot per voter while open (migration 006) --------------------------


def insert_slot(cur, poll_id, slot: bytes, sealed: bytes) -> bool:
    """The one row a cast writes; False (nothing written) when the slot is taken already."""
    cur.execute(
        "INSERT INTO ballot_slots (poll_id, slot, sealed) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id, slot) DO NOTHING",
        (poll_id, slot, sealed),
    )
    return cur.rowcount == 1


def replace_slot(cur, poll_id, slot: bytes, sealed: bytes) -> bool:
    """A change: the slot's row is deleted and written anew (the same two fixed-length WAL
    records whatever the answers, unlike an UPDATE's prefix/suffix compression); False when
    there is no such slot. A concurrent change of the same slot may delete the row this DELETE
    waited for: then it tries again on the row that change wrote (seen by a new statement)."""
    while True:
        cur.execute("DELETE FROM ballot_slots WHERE poll_id = %s AND slot = %s", (poll_id, slot))
        if cur.rowcount == 1:
            break
        cur.execute("SELECT 1 FROM ballot_slots WHERE poll_id = %s AND slot = %s",
                    (poll_id, slot))
        if cur.fetchone() is None:
            return False
    cur.execute(
        "INSERT INTO ballot_slots (poll_id, slot, sealed) VALUES (%s, %s, %s)",
        (poll_id, slot, sealed),
    )
    return True


def slot_sealed(cur, poll_id, slot: bytes) -> bytes | None:
    cur.execute(
        "SELECT sealed FROM ballot_slots WHERE poll_id = %s AND slot = %s", (poll_id, slot)
    )
    row = cur.fetchone()
    return None if row is None else bytes(row["sealed"])


def slot_ids(cur, poll_id) -> set[bytes]:
    with cur.connection.cursor() as plain:
        plain.execute("SELECT slot FROM ballot_slots WHERE poll_id = %s", (poll_id,))
        return {bytes(row[0]) for row in plain.fetchall()}


def open_voters(cur, poll_id) -> int:
    """Voters of an open poll: its slots, or its roll for a poll sealed the old way (one of the
    two is empty while the poll is open)."""
    cur.execute(
        "SELECT (SELECT count(*) FROM ballot_slots WHERE poll_id = %(p)s)"
        " + (SELECT count(*) FROM roll WHERE poll_id = %(p)s) AS n",
        {"p": poll_id},
    )
    return int(cur.fetchone()["n"])


def electors(cur, poll_id) -> list[str]:
    with cur.connection.cursor() as plain:
        plain.execute(
            "SELECT member_id FROM electorate WHERE poll_id = %s ORDER BY member_id", (poll_id,)
        )
        return [row[0] for row in plain.fetchall()]


def add_roll(cur, poll_id, member_ids: list[str]) -> None:
    """The roll of a poll sealed in slots, written by its close (sorted by member id: no cast
    order, and one transaction id for every row), streamed into COPY."""
    poll = str(poll_id)
    cur.copy_expert(
        "COPY roll (poll_id, member_id) FROM STDIN WITH (FORMAT csv)",
        _CsvRows((poll, m) for m in sorted(member_ids)),
        size=1 << 20,
    )


def insert_commitments(cur, poll_id, commitments: list[str]) -> None:
    """The counted receipts' commitments, sorted (nothing of the ballots' order)."""
    poll = str(poll_id)
    cur.copy_expert(
        "COPY counted_receipts (poll_id, commitment) FROM STDIN WITH (FORMAT csv)",
        _CsvRows((poll, c) for c in sorted(commitments)),
        size=1 << 20,
    )


def is_counted(cur, poll_id, commitment: str) -> bool:
    cur.execute(
        "SELECT 1 FROM counted_receipts WHERE poll_id = %s AND commitment = %s",
        (poll_id, commitment),
    )
    return cur.fetchone() is not None


def commitments(cur, poll_id, limit: int, after: str | None) -> list[str]:
    cur.execute(
        "SELECT commitment FROM counted_receipts WHERE poll_id = %s AND commitment > %s"
        " ORDER BY commitment LIMIT %s",
        (poll_id, after or "", limit),
    )
    return [row["commitment"] for row in cur.fetchall()]


def live_snapshot(cur, poll_id) -> dict | None:
    cur.execute("SELECT voters, results FROM live_snapshots WHERE poll_id = %s", (poll_id,))
    return cur.fetchone()


def save_live_snapshot(cur, poll_id, voters: int, results: dict, batch: int) -> None:
    """Keep a fresher snapshot only if it is at least `batch` voters past the stored one."""
    cur.execute(
        "INSERT INTO live_snapshots (poll_id, voters, results) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id) DO UPDATE SET voters = EXCLUDED.voters,"
        " results = EXCLUDED.results WHERE live_snapshots.voters + %s <= EXCLUDED.voters",
        (poll_id, voters, Json(results), batch),
    )


class _CsvRows(io.TextIOBase):
    """What COPY reads: CSV made from `rows` as it is read, a chunk at a time, so that Python
    writes the next rows while PostgreSQL takes in the ones before (both cores at work) and
    the whole poll is never held as text at once."""

    BATCH = 1000

    def __init__(self, rows) -> None:
        self._rows = iter(rows)
        self._pending = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        buffer = io.StringIO()
        buffer.write(self._pending)
        writer = csv.writer(buffer)
        while size < 0 or buffer.tell() < size:
            batch = list(itertools.islice(self._rows, self.BATCH))
            if not batch:
                break
            writer.writerows(batch)
        text = buffer.getvalue()
        if 0 <= size < len(text):
            text, self._pending = text[:size], text[size:]
        else:
            self._pending = ""
        return text


def insert_ballots(cur, poll_id, ballots: list[tuple[int, list]]) -> None:
    """(weight, answers) rows — no receipt: that is published apart, see insert_commitments —
    written in the order given (already shuffled), streamed into COPY (ids from the column's
    default): a close of 100,000 ballots must stay within seconds."""
    poll = str(poll_id)
    rows = ((poll, weight, json.dumps(answers, separators=(",", ":")))
            for weight, answers in ballots)
    cur.copy_expert(
        "COPY ballots (poll_id, weight, answers) FROM STDIN WITH (FORMAT csv)",
        _CsvRows(rows),
        size=1 << 20,
    )


def published_ballots(cur, poll_id, limit: int, after: str | None) -> list[dict]:
    """Pages in the order of the ballots' random ids (an order that says nothing)."""
    cur.execute(
        "SELECT id::text AS id, weight, answers FROM ballots WHERE poll_id = %s"
        " AND id::text > %s ORDER BY id::text LIMIT %s",
        (poll_id, after or "", limit),
    )
    return cur.fetchall()


def all_ballots(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT id::text AS id, weight, answers FROM ballots WHERE poll_id = %s"
        " ORDER BY id::text",
        (poll_id,),
    )
    return cur.fetchall()


def mark_closed(cur, poll_id, closed_by: str | None, voters: int, results: dict) -> None:
    cur.execute(
        "UPDATE polls SET status = 'closed', closed_at = now(), closed_by = %s, voters = %s,"
        " results = %s WHERE id = %s",
        (closed_by, voters, Json(results), poll_id),
    )


def poll_results(cur, poll_id) -> dict | None:
    cur.execute("SELECT results FROM polls WHERE id = %s", (poll_id,))
    row = cur.fetchone()
    return row["results"] if row else None


def set_closes_at(cur, poll_id, closes_at) -> None:
    cur.execute(
        "UPDATE polls SET closes_at = %s, closing_soon_sent = false WHERE id = %s",
        (closes_at, poll_id),
    )


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


# --- proposals -----------------------------------------------------------------------------


def insert_proposal(cur, proposal: dict) -> None:
    cur.execute(
        "INSERT INTO proposals (id, title, text, scope_type, scope_id, questions, author_id,"
        " status) VALUES (%(id)s, %(title)s, %(text)s, %(scope_type)s, %(scope_id)s,"
        " %(questions)s, %(author_id)s, 'draft')",
        {**proposal, "questions": Json(proposal["questions"])},
    )


_PROPOSAL_COLUMNS = (
    "id, title, text, scope_type, scope_id, questions, author_id, status, poll_id, created_at,"
    " updated_at, (SELECT m.display_name FROM replica_members m"
    " WHERE m.member_id = proposals.author_id) AS author_name"
)


def get_proposal(cur, proposal_id, *, lock: bool = False) -> dict | None:
    cur.execute(
        f"SELECT {_PROPOSAL_COLUMNS} FROM proposals WHERE id = %s"
        + (" FOR UPDATE" if lock else ""),
        (proposal_id,),
    )
    return cur.fetchone()


def list_proposals(cur, status: str | None, limit: int, offset: int) -> list[dict]:
    clause, params = ("", []) if not status else (" WHERE status = %s", [status])
    cur.execute(
        f"SELECT {_PROPOSAL_COLUMNS} FROM proposals{clause} ORDER BY created_at DESC, id"
        " LIMIT %s OFFSET %s",
        (*params, limit, offset),
    )
    return cur.fetchall()


def update_proposal(cur, proposal_id, changes: dict) -> None:
    allowed = {"title", "text", "questions", "status", "poll_id"}
    sets, params = [], []
    for key, value in changes.items():
        if key not in allowed:
            raise ValueError(key)
        sets.append(f"{key} = %s")
        params.append(Json(value) if key == "questions" else value)
    cur.execute(
        f"UPDATE proposals SET {', '.join(sets)}, updated_at = now() WHERE id = %s",
        (*params, proposal_id),
    )


# --- comments ------------------------------------------------------------------------------


def insert_comment(cur, comment: dict) -> None:
    cur.execute(
        "INSERT INTO comments (id, poll_id, proposal_id, parent_id, author_id, body)"
        " VALUES (%(id)s, %(poll_id)s, %(proposal_id)s, %(parent_id)s, %(author_id)s, %(body)s)",
        comment,
    )


def get_comment(cur, comment_id) -> dict | None:
    cur.execute(
        "SELECT id, poll_id, proposal_id, parent_id, author_id, body, created_at, edited_at,"
        " hidden_reason, hidden_by FROM comments WHERE id = %s",
        (comment_id,),
    )
    return cur.fetchone()


# One comment as the discussion shows it: its author's name, counts, the viewer's reaction.
_COMMENT_VIEW = (
    "SELECT c.id, c.parent_id, c.author_id, m.display_name AS author_name, c.body,"
    " c.created_at, c.edited_at, c.hidden_reason, c.hidden_by,"
    " (SELECT count(*) FROM comment_reactions r WHERE r.comment_id = c.id"
    "  AND r.reaction = 'like') AS likes,"
    " (SELECT count(*) FROM comment_reactions r WHERE r.comment_id = c.id"
    "  AND r.reaction = 'dislike') AS dislikes,"
    " (SELECT r.reaction FROM comment_reactions r WHERE r.comment_id = c.id"
    "  AND r.member_id = %(viewer)s) AS my_reaction,"
    " (SELECT count(*) FROM comments x WHERE x.parent_id = c.id) AS reply_count"
    " FROM comments c LEFT JOIN replica_members m ON m.member_id = c.author_id"
)
_SORTS = {
    "oldest": "created_at, id",
    "newest": "created_at DESC, id DESC",
    "best": "likes - dislikes DESC, likes DESC, created_at DESC, id",
}


def comment_view(cur, comment_id, viewer: str | None) -> dict | None:
    cur.execute(_COMMENT_VIEW + " WHERE c.id = %(id)s", {"id": comment_id, "viewer": viewer})
    return cur.fetchone()


def _subject_column(kind: str) -> str:
    return {"poll": "poll_id", "proposal": "proposal_id"}[kind]


def count_comments(cur, kind: str, subject_id) -> tuple[int, int]:
    """(threads, comments) of one discussion."""
    column = _subject_column(kind)
    cur.execute(
        f"SELECT count(*) FILTER (WHERE parent_id IS NULL) AS threads, count(*) AS comments"
        f" FROM comments WHERE {column} = %s",
        (subject_id,),
    )
    row = cur.fetchone()
    return int(row["threads"]), int(row["comments"])


def comment_threads(cur, kind: str, subject_id, sort: str, limit: int, offset: int,
                    viewer: str | None) -> list[dict]:
    """One page of top-level comments in the chosen order."""
    column = _subject_column(kind)
    cur.execute(
        f"SELECT * FROM ({_COMMENT_VIEW} WHERE c.{column} = %(subject)s"
        f" AND c.parent_id IS NULL) v ORDER BY {_SORTS[sort]} LIMIT %(limit)s OFFSET %(offset)s",
        {"subject": subject_id, "viewer": viewer, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def comment_replies(cur, root_ids: list, cap: int, viewer: str | None) -> list[dict]:
    """The replies (any depth, at most 50 levels) under these comments, oldest first, at most
    `cap` of them."""
    if not root_ids:
        return []
    cur.execute(
        "WITH RECURSIVE t AS ("
        " SELECT id, 1 AS depth FROM comments WHERE parent_id = ANY(%(roots)s::uuid[])"
        " UNION ALL SELECT x.id, t.depth + 1 FROM comments x JOIN t ON x.parent_id = t.id"
        " WHERE t.depth < 50)"
        + _COMMENT_VIEW
        + " WHERE c.id IN (SELECT id FROM t) ORDER BY c.created_at, c.id LIMIT %(cap)s",
        {"roots": [str(r) for r in root_ids], "viewer": viewer, "cap": cap},
    )
    return cur.fetchall()


def edit_comment(cur, comment_id, body: str) -> None:
    cur.execute(
        "UPDATE comments SET body = %s, edited_at = now() WHERE id = %s", (body, comment_id)
    )


def set_member_name(cur, member_id: str, display_name: str | None) -> None:
    if display_name is None:
        return
    cur.execute(
        "INSERT INTO replica_members (member_id, status, display_name) VALUES (%s, 'pending', %s)"
        " ON CONFLICT (member_id) DO UPDATE SET display_name = EXCLUDED.display_name",
        (member_id, display_name),
    )


def members_by_handle(cur, handles: list[str]) -> dict[str, str]:
    """handle (lower case) → member id, for handles that name exactly one member."""
    if not handles:
        return {}
    cur.execute(
        "SELECT lower(regexp_replace(display_name, '[[:space:]._]', '', 'g')) AS handle,"
        " min(member_id) AS member_id, count(*) AS n FROM replica_members"
        " WHERE NOT deleted AND lower(regexp_replace(display_name, '[[:space:]._]', '', 'g'))"
        " = ANY(%s) GROUP BY 1",
        (handles,),
    )
    return {row["handle"]: row["member_id"] for row in cur.fetchall() if row["n"] == 1}


def set_mentions(cur, comment_id, mentions: dict[str, str]) -> None:
    """Replace a comment's mentions (member id → handle as written)."""
    cur.execute("DELETE FROM comment_mentions WHERE comment_id = %s", (comment_id,))
    for member_id, handle in mentions.items():
        cur.execute(
            "INSERT INTO comment_mentions (comment_id, member_id, handle) VALUES (%s, %s, %s)",
            (comment_id, member_id, handle),
        )


def mentions_of(cur, comment_ids: list) -> dict[str, list[dict]]:
    if not comment_ids:
        return {}
    cur.execute(
        "SELECT comment_id, member_id, handle FROM comment_mentions"
        " WHERE comment_id = ANY(%s::uuid[]) ORDER BY handle",
        ([str(c) for c in comment_ids],),
    )
    found: dict[str, list[dict]] = {}
    for row in cur.fetchall():
        found.setdefault(str(row["comment_id"]), []).append(
            {"member_id": row["member_id"], "handle": row["handle"]}
        )
    return found


def report_comment(cur, comment_id, member_id: str, reason: str) -> None:
    """A member's report; reporting again replaces the reason and reopens it."""
    cur.execute(
        "INSERT INTO comment_reports (comment_id, member_id, reason) VALUES (%s, %s, %s)"
        " ON CONFLICT (comment_id, member_id) DO UPDATE SET reason = EXCLUDED.reason,"
        " created_at = now(), resolved_at = NULL, resolved_by = NULL",
        (comment_id, member_id, reason),
    )


def resolve_reports(cur, comment_id, resolved_by: str) -> int:
    cur.execute(
        "UPDATE comment_reports SET resolved_at = now(), resolved_by = %s"
        " WHERE comment_id = %s AND resolved_at IS NULL",
        (resolved_by, comment_id),
    )
    return cur.rowcount


def reported_comments(cur, limit: int, offset: int) -> list[dict]:
    """Comments with open reports, the most reported first, each with its latest reasons."""
    cur.execute(
        "SELECT c.id, c.poll_id, c.proposal_id, c.author_id, m.display_name AS author_name,"
        " c.body, c.created_at, c.hidden_reason, count(*) AS reports,"
        " max(r.created_at) AS last_reported_at,"
        " (array_agg(r.reason ORDER BY r.created_at DESC))[1:5] AS reasons"
        " FROM comment_reports r JOIN comments c ON c.id = r.comment_id"
        " LEFT JOIN replica_members m ON m.member_id = c.author_id"
        " WHERE r.resolved_at IS NULL GROUP BY c.id, m.display_name"
        " ORDER BY count(*) DESC, max(r.created_at) DESC, c.id LIMIT %s OFFSET %s",
        (limit, offset),
    )
    return cur.fetchall()


def count_reported(cur) -> int:
    cur.execute(
        "SELECT count(DISTINCT comment_id) AS n FROM comment_reports WHERE resolved_at IS NULL"
    )
    return int(cur.fetchone()["n"])


def react(cur, comment_id, member_id: str, reaction: str | None) -> None:
    if reaction is None:
        cur.execute(
            "DELETE FROM comment_reactions WHERE comment_id = %s AND member_id = %s",
            (comment_id, member_id),
        )
        return
    cur.execute(
        "INSERT INTO comment_reactions (comment_id, member_id, reaction) VALUES (%s, %s, %s)"
        " ON CONFLICT (comment_id, member_id) DO UPDATE SET reaction = EXCLUDED.reaction",
        (comment_id, member_id, reaction),
    )


def hide_comment(cur, comment_id, reason: str, hidden_by: str) -> None:
    cur.execute(
        "UPDATE comments SET hidden_reason = %s, hidden_by = %s WHERE id = %s",
        (reason, hidden_by, comment_id),
    )


# --- delegates and recall (issue 7) ---------------------------------------------------------


def insert_purpose(cur, poll_id, purpose: str, chapter_id: str, details: dict,
                   petition_id: str | None = None) -> bool:
    """False when a recall poll for this petition exists already."""
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


def upsert_delegate_mandate(cur, mandate_id: str, member_id: str, chapter_id: str, starts_at,
                            ends_at) -> None:
    cur.execute(
        "INSERT INTO delegate_mandates (mandate_id, member_id, chapter_id, starts_at, ends_at)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (mandate_id) DO NOTHING",
        (mandate_id, member_id, chapter_id, starts_at, ends_at),
    )


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


def add_weighted_elector(cur, poll_id, member_id: str, chapter_id: str, weight: int,
                         members: int, delegates: int) -> None:
    cur.execute(
        "INSERT INTO electorate (poll_id, member_id, weight) VALUES (%s, %s, %s)"
        " ON CONFLICT (poll_id, member_id) DO UPDATE"
        " SET weight = electorate.weight + EXCLUDED.weight",
        (poll_id, member_id, weight),
    )
    cur.execute(
        "INSERT INTO delegate_electors (poll_id, member_id, chapter_id, members, delegates)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (poll_id, member_id, chapter_id, members, delegates),
    )


def delegate_electors(cur, poll_id) -> list[dict]:
    cur.execute(
        "SELECT d.member_id, d.chapter_id, d.members, d.delegates, e.weight"
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
