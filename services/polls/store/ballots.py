"""SQL of sealed ballots, slots, commitments, counted ballots, results and live snapshots."""

from __future__ import annotations

import csv
import io
import itertools
import json
import uuid

from psycopg2.extras import Json


def _ballot_lock(poll_id) -> str:
    return f"councils.polls.ballots:{poll_id}"


def lock_ballots_shared(cur, poll_id) -> None:
    """Held by a cast or a change: a close (lock_ballots_exclusive) waits for it, and a cast
    after a close sees the poll closed. An advisory lock, not FOR SHARE on the poll's row: a
    row lock writes WAL and leaves the caster's xid in the row's xmax."""
    cur.execute(
        "SELECT pg_advisory_xact_lock_shared(hashtextextended(%s, 0))", (_ballot_lock(poll_id),)
    )


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
        plain.execute("DELETE FROM sealed_ballots WHERE poll_id = %s RETURNING sealed", (poll_id,))
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
        cur.execute("SELECT 1 FROM ballot_slots WHERE poll_id = %s AND slot = %s", (poll_id, slot))
        if cur.fetchone() is None:
            return False
    cur.execute(
        "INSERT INTO ballot_slots (poll_id, slot, sealed) VALUES (%s, %s, %s)",
        (poll_id, slot, sealed),
    )
    return True


def slot_sealed(cur, poll_id, slot: bytes) -> bytes | None:
    cur.execute("SELECT sealed FROM ballot_slots WHERE poll_id = %s AND slot = %s", (poll_id, slot))
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

    def read(self, size: int | None = -1) -> str:
        size = -1 if size is None else size
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
    rows = (
        (poll, weight, json.dumps(answers, separators=(",", ":"))) for weight, answers in ballots
    )
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
        "SELECT id::text AS id, weight, answers FROM ballots WHERE poll_id = %s ORDER BY id::text",
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
