"""A poll does not open while polls knows its electorate replica may be behind (the broker does
not answer), up to POLLS_OPEN_MAX_WAIT; when it opens, the invitations name exactly its
electorate (issue 17)."""

from __future__ import annotations

import datetime as dt

from services.common.embedded_pg import free_port
from services.polls.context import build_context
from services.polls.service import schedule
from tests.integration.polls.conftest import auth, new_member, sql
from tests.support.runtime import make_runtime

ADMIN = "00000000-0000-4000-8000-0000000000ad"


def _scheduled_poll(client, opens_at):
    created = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Waits for its replica",
            "scope": {"type": "organisation"},
            "opens_at": opens_at.isoformat(),
            "closes_at": (opens_at + dt.timedelta(hours=30)).isoformat(),
            "questions": [{"text": "Q", "method": "borda", "options": ["a", "b"]}],
        },
    ).json
    assert created["status"] == "scheduled"
    return created["id"]


def test_a_due_poll_waits_while_the_replica_may_be_behind_then_invites_its_electorate(
    runtime, client, polls_database_url
):
    opens_at = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    pid = _scheduled_poll(client, opens_at)
    new_member(runtime)
    nowhere = f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"
    cut_off = make_runtime("polls", polls_database_url, nowhere, POLLS_OPEN_MAX_WAIT="600")
    try:
        just_due = opens_at + dt.timedelta(seconds=1)
        assert schedule.open_due(build_context(cut_off, clock=lambda: just_due)) == 0
        assert client.get(f"/api/v1/polls/{pid}").json["status"] == "scheduled"

        waited_enough = opens_at + dt.timedelta(seconds=601)
        assert schedule.open_due(build_context(cut_off, clock=lambda: waited_enough)) >= 1
    finally:
        cut_off.close()
    poll = client.get(f"/api/v1/polls/{pid}").json
    assert poll["status"] == "open"
    electorate = {
        r["member_id"]
        for r in sql(runtime, "SELECT member_id::text FROM electorate WHERE poll_id = %s", (pid,))
    }
    invited = [
        r["envelope"]["data"]
        for r in sql(
            runtime,
            "SELECT envelope FROM outbox WHERE routing_key = 'polls.poll.invitations'"
            " AND envelope->'data'->>'poll_id' = %s",
            (pid,),
        )
    ]
    assert {m for part in invited for m in part["member_ids"]} == electorate
    assert len(electorate) == poll["electorate"] >= 1


def test_a_poll_created_with_a_past_opening_opens_at_once_even_if_the_replica_lags(
    runtime, polls_database_url
):
    """An admin who launches a poll "from an hour ago" means now: the creation opens it in
    its own transaction, whatever the replica (POLLS_OPEN_MAX_WAIT is the scheduler's)."""
    from services.polls.app import create_app

    new_member(runtime)
    nowhere = f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"
    cut_off = make_runtime("polls", polls_database_url, nowhere, POLLS_OPEN_MAX_WAIT="600")
    try:
        assert schedule.replica_behind(build_context(cut_off))
        client = create_app(cut_off).test_client()
        opened_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        created = client.post(
            "/api/v1/polls",
            headers=auth(ADMIN, admin=True),
            json={
                "title": "Opens at once",
                "scope": {"type": "organisation"},
                "opens_at": opened_ago.isoformat(),
                "closes_at": (opened_ago + dt.timedelta(hours=30)).isoformat(),
                "questions": [{"text": "Q", "method": "borda", "options": ["a", "b"]}],
            },
        )
        assert created.status_code == 201, created.json
        assert created.json["status"] == "open" and created.json["electorate"] >= 1
    finally:
        cut_off.close()
