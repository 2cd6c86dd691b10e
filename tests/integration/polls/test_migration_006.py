"""Migration 006 on a database that has polls in it: a poll closed before keeps its receipts'
commitments (moved apart from the ballots); a poll open at the migration keeps its old sealing
(roll + unpadded sealed rows) until it closes, and counts exactly."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys
import time
import uuid

import psycopg2
import pytest

from services.common.auth import Identity
from services.common.migrate import migrate, plan_for
from services.common.runtime import build_runtime
from services.polls.app import create_app
from services.polls.context import build_context
from services.polls.secrecy import new_poll_key, poll_key, receipt_hash
from services.polls.service import closing, results
from tests.integration.polls.conftest import _admin_holds_a_mandate, auth
from tests.support import servers
from tests.support.runtime import make_settings

ADMIN = Identity(str(uuid.uuid4()), "active", admin=True)


@pytest.fixture()
def old_database(pg_admin_url):
    url = servers.create_database(pg_admin_url, prefix="councils_polls_m006")
    yield url
    servers.drop_database(pg_admin_url, url)


def migrate_before_006(url: str) -> None:
    migrate(url, "bus")
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE SCHEMA polls; SET LOCAL search_path = polls, public")
        cur.execute(
            "CREATE TABLE schema_migrations (name text PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for name, path in plan_for("polls"):
            if name.startswith("polls/006"):
                break
            cur.execute(path.read_text())
            cur.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))
    conn.close()


def old_seal(key, receipt: str, answers: list) -> bytes:
    """A ballot as casts sealed it before migration 006: JSON, unpadded."""
    payload = json.dumps(
        {"r": receipt_hash(receipt), "a": answers, "w": 1, "v": time.time_ns()},
        separators=(",", ":"),
    ).encode()
    nonce = secrets.token_bytes(12)
    return nonce + key._aead.encrypt(nonce, payload, key.poll_id.encode())


def seed_old_polls(url: str, secret: str) -> dict:
    """A closed poll with a published ballot, an open poll with two cast ballots."""
    conn = psycopg2.connect(url)
    now = dt.datetime.now(dt.UTC)
    closed, open_, qid = uuid.uuid4(), uuid.uuid4(), str(uuid.uuid4())
    voters = [str(uuid.uuid4()) for _ in range(3)]
    with conn, conn.cursor() as cur:
        cur.execute("SET LOCAL search_path = polls, public")
        for pid, status in ((closed, "closed"), (open_, "open")):
            cur.execute(
                "INSERT INTO polls (id, title, scope_type, status, opens_at, closes_at,"
                " created_by, opened_at) VALUES (%s, 'Old', 'organisation', %s, %s, %s, %s, %s)",
                (str(pid), status, now, now + dt.timedelta(hours=1), ADMIN.member_id, now),
            )
        cur.execute(
            "INSERT INTO questions (id, poll_id, position, text, method, options)"
            " VALUES (%s, %s, 0, 'Q', 'plurality', '[\"a\", \"b\"]')",
            (qid, str(open_)),
        )
        cur.execute(
            "INSERT INTO ballots (id, poll_id, receipt_hash, answers) VALUES (%s, %s, %s, '[]')",
            (str(uuid.uuid4()), str(closed), "f" * 64),
        )
        salt, check = new_poll_key(secret, open_)
        cur.execute(
            "INSERT INTO poll_keys (poll_id, salt, key_check) VALUES (%s, %s, %s)",
            (str(open_), salt, check),
        )
        key = poll_key((secret,), open_, salt, check)
        for member in voters:
            cur.execute(
                "INSERT INTO replica_members (member_id, status) VALUES (%s, 'active')", (member,)
            )
            cur.execute(
                "INSERT INTO electorate (poll_id, member_id) VALUES (%s, %s)", (str(open_), member)
            )
        for member, choice in zip(voters[:2], "ab", strict=True):
            cur.execute(
                "INSERT INTO roll (poll_id, member_id) VALUES (%s, %s)", (str(open_), member)
            )
            cur.execute(
                "INSERT INTO sealed_ballots (id, poll_id, sealed) VALUES (%s, %s, %s)",
                (
                    str(uuid.uuid4()),
                    str(open_),
                    old_seal(key, key.receipt(member), [{"question_id": qid, "choice": choice}]),
                ),
            )
    conn.close()
    return {
        "closed": str(closed),
        "open": str(open_),
        "qid": qid,
        "voters": voters,
        "receipts": [key.receipt(m) for m in voters],
    }


def test_polls_from_before_the_migration_keep_working(old_database):
    migrate_before_006(old_database)
    settings = make_settings("polls", old_database)
    old = seed_old_polls(old_database, settings.secret_key)
    assert "polls/006_ballot_slots.sql" in migrate(old_database, "polls")
    runtime = build_runtime("polls", settings)
    try:
        _admin_holds_a_mandate(runtime, sys.modules[__name__])
        ctx = build_context(runtime)
        client = create_app(runtime, ctx).test_client()
        check = client.post(
            f"/api/v1/polls/{old['closed']}/ballots/check", json={"receipt": "A" * 24}
        )
        assert check.status_code == 404  # the closed poll's commitment moved, unchanged:
        assert closing.commitments(ctx, old["closed"])["commitments"] == ["f" * 64]
        assert "receipt_hash" not in closing.published_ballots(ctx, old["closed"])["ballots"][0]

        pid, qid, voters, receipts = old["open"], old["qid"], old["voters"], old["receipts"]
        url = f"/api/v1/polls/{pid}/ballots"
        assert client.post(f"{url}/check", json={"receipt": receipts[0]}).json == {
            "status": "recorded",
            "entry": None,
        }
        again = client.post(
            url, headers=auth(voters[0]), json={"answers": [{"question_id": qid, "choice": "b"}]}
        )
        assert again.status_code == 409
        changed = client.put(
            url,
            headers=auth(voters[0]),
            json={"receipt": receipts[0], "answers": [{"question_id": qid, "choice": "b"}]},
        )
        assert changed.status_code == 200
        third = client.post(
            url, headers=auth(voters[2]), json={"answers": [{"question_id": qid, "choice": "a"}]}
        )
        assert third.status_code == 201
        closing.close(ctx, ADMIN, pid)
        found = results.results(ctx, pid)
        assert found["voters"] == 3 and found["questions"][0]["totals"] == {"a": 1, "b": 2}
        counted = client.post(f"{url}/check", json={"receipt": receipts[0]}).json
        assert counted == {"status": "counted", "entry": receipt_hash(receipts[0])}
    finally:
        runtime.db.close()
