"""Issue 13's attack, kept as a test: a copy of the data says nothing of how anyone voted.

A poll whose options differ greatly in length, whose rankings may hold one option or all of
them, with a consensus question answered with and without a long reason: every cast and every
change writes rows of one length per poll (read from `pg_dump --data-only` of the schema) and
WAL records of one shape whatever the answers (read with `pg_walinspect`); the transaction of a
cast or a change touches no table that names a member.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections import Counter

import psycopg2
import pytest

from tests.integration.polls.conftest import auth, in_an_hour, new_member, sql

ADMIN = str(uuid.uuid4())
LONG = "L" * 500
WIDE = "\u00e9" * 500  # 1,000 bytes in UTF-8
OPTIONS = ["a", LONG, WIDE, "b" * 90, "c" * 7, "d" * 250]
REASON = "\U0001f600" * 4000  # the widest reason there is: 16,000 bytes
QUESTIONS = [
    {"text": "Pick one", "method": "plurality", "options": OPTIONS},
    {"text": "Rank", "method": "irv", "options": OPTIONS},
    {"text": "Two seats", "method": "stv", "seats": 2, "options": OPTIONS},
    {"text": "Approve", "method": "approval", "options": OPTIONS},
    {"text": "Agree?", "method": "consensus"},
]
SLOT_TABLES = {"ballot_slots"}


def ballots(q: list[str]) -> list[list[dict]]:
    """Answers as far apart in length as the poll allows."""
    return [
        [],  # blank
        [{"question_id": q[0], "choice": "a"}],
        [
            {"question_id": q[0], "choice": LONG},
            {"question_id": q[1], "ranking": OPTIONS},
            {"question_id": q[2], "ranking": OPTIONS[::-1]},
            {"question_id": q[3], "approve": OPTIONS},
            {"question_id": q[4], "response": "block", "reason": REASON},
        ],
        [
            {"question_id": q[1], "ranking": ["a"]},
            {"question_id": q[4], "response": "agree"},
        ],
        [{"question_id": qid, "abstain": True} for qid in q],
        [
            {"question_id": q[0], "choice": WIDE},
            {"question_id": q[3], "approve": []},
            {"question_id": q[4], "response": "concern", "reason": "x\n" * 10},
        ],
    ]


# --- pg_dump ---------------------------------------------------------------------------------


def dump_rows(database_url: str) -> dict[str, Counter]:
    """Rows of every table of the polls schema, as `pg_dump --data-only` writes them."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not on PATH")
    out = subprocess.run(
        [pg_dump, "--data-only", "--schema=polls", "--no-owner", database_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tables: dict[str, Counter] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("COPY "):
            current = line.split()[1].split(".")[-1]
            tables[current] = Counter()
        elif line == "\\.":
            current = None
        elif current is not None:
            tables[current][line] += 1
    return tables


def new_rows(before: dict[str, Counter], after: dict[str, Counter]) -> dict[str, list[str]]:
    changed = {}
    for table, rows in after.items():
        added = rows - before.get(table, Counter())
        if added:
            changed[table] = list(added.elements())
    return changed


# --- WAL ---------------------------------------------------------------------------------------

_REL = re.compile(r"rel (\d+)/(\d+)/(\d+)")


@pytest.fixture(scope="module")
def walinspect(runtime):
    """pg_walinspect in the test database (PostgreSQL 15+, needs a superuser)."""
    conn = psycopg2.connect(runtime.settings.database_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT current_setting('server_version_num')::int, rolsuper"
                " FROM pg_roles WHERE rolname = current_user"
            )
            version, superuser = cur.fetchone()
            if version < 150000 or not superuser:
                pytest.skip(
                    f"pg_walinspect needs PostgreSQL 15+ and a superuser (server "
                    f"{version}, superuser {superuser})"
                )
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect SCHEMA public")
        yield conn
    finally:
        conn.close()


def relation_owners(conn) -> tuple[int, dict[int, str]]:
    """The database's oid, and filenode → polls table owning it (its indexes, TOAST too)."""
    with conn.cursor() as cur:
        cur.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        database = cur.fetchone()[0]
        cur.execute(
            "SELECT c.relname, pg_relation_filenode(r.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " CROSS JOIN LATERAL (SELECT c.oid UNION ALL"
            "   SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = c.oid UNION ALL"
            "   SELECT c.reltoastrelid WHERE c.reltoastrelid <> 0 UNION ALL"
            "   SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = c.reltoastrelid) r(oid)"
            " WHERE n.nspname = 'polls' AND c.relkind = 'r'"
        )
        return database, {node: name for name, node in cur.fetchall() if node}


def wal_position(conn, flushed: bool = False) -> str:
    """Where WAL is inserted now (a start), or flushed (an end: the action's commit is flushed,
    and pg_walinspect reads no further)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_current_wal_flush_lsn()::text"
            if flushed
            else "SELECT pg_current_wal_insert_lsn()::text"
        )
        return cur.fetchone()[0]


def wal_records(conn, start: str, end: str) -> list[dict]:
    """Records of transactions between two positions that touch this database's polls
    tables."""
    database, owners = relation_owners(conn)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT xid::text, resource_manager, record_type, record_length, fpi_length,"
            " block_ref FROM public.pg_get_wal_records_info(%s, %s)",
            (start, end),
        )
        rows = cur.fetchall()
    records = []
    for xid, manager, kind, length, fpi, block_ref in rows:
        if xid == "0":  # pruning, vacuum, visibility: the server's housekeeping, no transaction
            continue
        for _, db, node in _REL.findall(block_ref or ""):
            if int(db) == database and int(node) in owners:
                records.append(
                    {
                        "xid": xid,
                        "table": owners[int(node)],
                        "rm": manager,
                        "type": kind.replace("+INIT", ""),
                        "length": length,
                        "fpi": fpi,
                    }
                )
                break
    return records


def heap_shape(records: list[dict]) -> Counter:
    """(table, record type, length) of a transaction's heap records."""
    return Counter((r["table"], r["type"], r["length"]) for r in records if r["rm"] == "Heap")


def heap_lengths(records: list[dict]) -> dict[tuple, set]:
    """(table, record type) → lengths of the heap records without a full-page image."""
    lengths: dict[tuple, set] = {}
    for r in records:
        if r["rm"] == "Heap" and not r["fpi"]:
            lengths.setdefault((r["table"], r["type"]), set()).add(r["length"])
    return lengths


def heap_images(records: list[dict]) -> bool:
    """Whether a heap record carries a full-page image (the first change of a page after a
    checkpoint: it follows the clock, not the answers, and changes the record's length)."""
    return any(r["fpi"] for r in records if r["rm"] == "Heap")


# --- the test ------------------------------------------------------------------------------


def create_poll(client) -> tuple[str, list[str]]:
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Lengths",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": QUESTIONS,
        },
    )
    assert poll.status_code == 201, poll.json
    return poll.json["id"], [q["id"] for q in poll.json["questions"]]


def observe(runtime, walinspect, action):
    """(new dump rows per table, WAL records) of one action."""
    before, start = dump_rows(runtime.settings.database_url), wal_position(walinspect)
    action()
    end = wal_position(walinspect, flushed=True)
    return new_rows(before, dump_rows(runtime.settings.database_url)), wal_records(
        walinspect, start, end
    )


def test_casts_and_changes_write_one_length_per_poll_in_dump_and_wal(runtime, client, walinspect):
    members = [new_member(runtime) for _ in range(6)]
    pid, q = create_poll(client)
    answers = ballots(q)
    assert len(answers) == len(members)
    receipts, dumps, wals = {}, [], []

    def cast(member, ballot):
        response = client.post(
            f"/api/v1/polls/{pid}/ballots", headers=auth(member), json={"answers": ballot}
        )
        assert response.status_code == 201, response.json
        receipts[member] = response.json["receipt"]

    for member, ballot in zip(members, answers, strict=True):
        rows, records = observe(runtime, walinspect, lambda m=member, b=ballot: cast(m, b))
        dumps.append(rows)
        wals.append(records)

    def change(member, ballot, legacy):
        url = f"/api/v1/polls/{pid}/ballots"
        body = {"answers": ballot}
        if legacy:
            url += "/" + receipts[member]
        else:
            body["receipt"] = receipts[member]
        assert client.put(url, headers=auth(member), json=body).status_code == 200

    for index, member in enumerate(members):
        ballot = answers[(index + 2) % len(answers)]  # another ballot, another length
        rows, records = observe(
            runtime, walinspect, lambda m=member, b=ballot, i=index: change(m, b, i % 2 == 1)
        )
        dumps.append(rows)
        wals.append(records)

    # pg_dump: each cast or change added one row, in ballot_slots only, all of one length.
    for rows in dumps:
        assert set(rows) == SLOT_TABLES, rows.keys()
        assert len(rows["ballot_slots"]) == 1
    lengths = {len(r.encode()) for rows in dumps for r in rows["ballot_slots"]}
    assert len(lengths) == 1, lengths
    assert sql(runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (pid,))[0][
        "n"
    ] == len(members)  # a change replaced, never added

    # WAL: the transactions of casts and changes wrote to the slots alone (no roll, nothing
    # naming the member shares their transaction id) ...
    for records in wals:
        assert records, "no WAL record found for a cast"
        assert {r["table"] for r in records} == SLOT_TABLES
        assert len({r["xid"] for r in records}) == 1
    # ... and the heap records (the rows themselves, TOAST chunks included) have the same
    # lengths whatever the answers: among the casts, and among the changes. A record carrying a
    # full-page image (the first change of a page after a checkpoint: it follows the clock, not
    # the answers) holds the page instead of the row, so its length is left out.
    for group in (wals[: len(members)], wals[len(members) :]):
        per_action = [heap_lengths(records) for records in group]
        for kind in set().union(*per_action):
            seen = set().union(*(lengths.get(kind, set()) for lengths in per_action))
            widest = max(len(lengths.get(kind, ())) for lengths in per_action)
            assert len(seen) <= widest, (kind, seen)  # no answer brought a length of its own
        whole = [heap_shape(records) for records in group if not heap_images(records)]
        assert all(shape == whole[0] for shape in whole), whole  # in number, too

    # Nothing of it survives the close but what is meant to be public.
    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 200
    )
    roll = sql(runtime, "SELECT member_id, xmin::text AS x FROM roll WHERE poll_id = %s", (pid,))
    assert sorted(r["member_id"] for r in roll) == sorted(members)
    ballot_xmins = {
        r["x"]
        for r in sql(runtime, "SELECT xmin::text AS x FROM ballots WHERE poll_id = %s", (pid,))
    }
    assert {r["x"] for r in roll} == ballot_xmins and len(ballot_xmins) == 1


def test_a_change_leaves_the_roll_row_of_an_old_style_poll_untouched(runtime, client):
    """Polls opened before migration 006 keep the roll written at each cast; a change of vote
    must still not lock it (a lock leaves the changer's xid in xmax)."""
    member = new_member(runtime)
    pid, q = create_poll(client)
    sql(runtime, "UPDATE polls SET sealing = 1 WHERE id = %s", (pid,))
    receipt = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(member),
        json={"answers": [{"question_id": q[0], "choice": "a"}]},
    ).json["receipt"]
    query = "SELECT xmin::text AS xmin, xmax::text AS xmax FROM roll WHERE poll_id = %s"
    before = sql(runtime, query, (pid,))
    assert len(before) == 1
    for ballot in ([{"question_id": q[0], "choice": LONG}], []):
        changed = client.put(
            f"/api/v1/polls/{pid}/ballots",
            headers=auth(member),
            json={"receipt": receipt, "answers": ballot},
        )
        assert changed.status_code == 200
    assert sql(runtime, query, (pid,)) == before
    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 200
    )
    published = client.get(f"/api/v1/polls/{pid}/ballots").json["ballots"]
    assert [b["answers"] for b in published] == [[]]
