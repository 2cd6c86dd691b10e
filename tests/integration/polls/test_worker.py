"""The worker: the electorate replica fed through the PostgreSQL transport, and the scheduler
opening and closing polls when due (also by a fresh process after a restart)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from services.common.bus import Consumer
from services.common.bus.envelope import make_event
from services.polls.context import build_context
from services.polls.handlers.electorate import ELECTORATE
from services.polls.service import rights, schedule
from services.polls.worker import scheduler_turn
from tests.integration.polls.conftest import auth, new_member, sql
from tests.support.wait import wait_for

ADMIN = str(uuid.uuid4())


def test_consumer_feeds_the_replica_from_members_events(runtime, run_id):
    member, chapter = str(uuid.uuid4()), str(uuid.uuid4())
    consumer = Consumer(
        runtime.db,
        runtime.transport,
        f"electorate_{run_id}",
        ELECTORATE.bind(build_context(runtime)),
        backoff=(0.05, 0.2),
    )
    consumer.declare()
    published = [
        make_event(
            "members.member.registered",
            {
                "member_id": member,
                "email": "a@example.org",
                "display_name": "A",
                "country": "GB",
                "status": "pending",
            },
            "members",
        ),
        make_event("members.member.activated", {"member_id": member}, "members"),
        make_event(
            "members.chapter.founded",
            {"chapter_id": chapter, "parent_id": None, "name": "C", "level": "local"},
            "members",
        ),
        make_event(
            "members.membership.joined",
            {"member_id": member, "chapter_id": chapter, "ancestors": []},
            "members",
        ),
        make_event(
            "members.mandate.granted",
            {
                "mandate_id": str(uuid.uuid4()),
                "member_id": member,
                "role": "coordinator",
                "chapter_id": chapter,
            },
            "members",
        ),
    ]
    runtime.transport.publish(published)
    runtime.transport.publish(published[:2])  # a redelivery changes nothing
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(
            lambda: sql(runtime, "SELECT 1 FROM replica_mandates WHERE member_id = %s", (member,)),
            15,
            "the mandate in the replica",
            interval=0.1,
        )
    finally:
        stop.set()
        thread.join(timeout=10)
    assert sql(runtime, "SELECT status FROM replica_members WHERE member_id = %s", (member,)) == [
        {"status": "active"}
    ]
    assert sql(
        runtime, "SELECT chapter_id FROM replica_memberships WHERE member_id = %s", (member,)
    ) == [{"chapter_id": chapter}]
    with runtime.db.transaction() as cur:
        assert rights.can_launch(
            cur,
            type("I", (), {"member_id": member, "admin": False, "active": True})(),
            "chapter",
            chapter,
        )


def test_scheduler_opens_closes_and_reminds_across_restarts(runtime, client):
    now = dt.datetime.now(dt.UTC)
    early = [new_member(runtime) for _ in range(2)]
    created = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Scheduled",
            "scope": {"type": "organisation"},
            "opens_at": (now + dt.timedelta(hours=1)).isoformat(),
            "closes_at": (now + dt.timedelta(hours=30)).isoformat(),
            "questions": [{"text": "Q", "method": "borda", "options": ["a", "b", "c"]}],
        },
    ).json
    pid, qid = created["id"], created["questions"][0]["id"]
    assert created["status"] == "scheduled" and created["electorate"] is None
    answer = {"answers": [{"question_id": qid, "ranking": ["b", "a"]}]}
    not_yet = client.post(f"/api/v1/polls/{pid}/ballots", json=answer, headers=auth(early[0]))
    assert not_yet.status_code == 409

    late = new_member(runtime)  # joins before opening: in the electorate
    horizon = dt.timedelta(hours=24)
    at = now + dt.timedelta(hours=1, seconds=1)
    turn = scheduler_turn(build_context(runtime, clock=lambda: at), horizon)
    assert turn["opened"] >= 1
    poll = client.get(f"/api/v1/polls/{pid}").json
    assert poll["status"] == "open" and poll["electorate"] >= 3
    for member in (early[0], late):
        assert (
            client.post(
                f"/api/v1/polls/{pid}/ballots", json=answer, headers=auth(member)
            ).status_code
            == 201
        )

    # Some hours before the close: a reminder naming those who have not voted (in pages).
    at = now + dt.timedelta(hours=10)
    assert scheduler_turn(build_context(runtime, clock=lambda: at), horizon)["closing_soon"] >= 1
    reminders = [
        r["envelope"]["data"]
        for r in sql(
            runtime, "SELECT envelope FROM outbox WHERE routing_key = 'polls.poll.closing_soon'"
        )
        if r["envelope"]["data"]["poll_id"] == pid
    ]
    assert len(reminders) == 1
    assert early[1] in reminders[0]["member_ids"] and early[0] not in reminders[0]["member_ids"]
    at = now + dt.timedelta(hours=11)
    assert scheduler_turn(build_context(runtime, clock=lambda: at), horizon)["closing_soon"] == 0

    # A fresh process (a restart) past closes_at closes and counts it.
    at = now + dt.timedelta(hours=31)
    assert scheduler_turn(build_context(runtime, clock=lambda: at), horizon)["closed"] >= 1
    results = client.get(f"/api/v1/polls/{pid}/results").json
    assert results["voters"] == 2
    assert results["questions"][0]["winners"][0] == "b"
    kinds = [
        r["routing_key"]
        for r in sql(
            runtime,
            "SELECT routing_key FROM outbox WHERE envelope->'data'->>'poll_id' = %s ORDER BY seq",
            (pid,),
        )
    ]
    assert kinds == [
        "polls.poll.opened",
        "polls.poll.invitations",
        "polls.poll.closing_soon",
        "polls.poll.closed",
    ]
    closed = sql(
        runtime,
        "SELECT envelope FROM outbox WHERE routing_key = 'polls.poll.closed'"
        " AND envelope->'data'->>'poll_id' = %s",
        (pid,),
    )[0]["envelope"]
    assert closed["data"]["results"][0]["winners"][0] == "b"
    schedule.scrub(build_context(runtime))


def test_extending_the_deadline_is_logged_publicly(runtime, client):
    now = dt.datetime.now(dt.UTC)
    created = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Extend",
            "scope": {"type": "organisation"},
            "closes_at": (now + dt.timedelta(hours=2)).isoformat(),
            "questions": [{"text": "Q", "method": "approval", "options": ["a", "b"]}],
        },
    ).json
    url = f"/api/v1/polls/{created['id']}/deadline"
    later = (now + dt.timedelta(hours=5)).isoformat()
    member = new_member(runtime)
    assert (
        client.post(url, headers=auth(member), json={"closes_at": later, "reason": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            url,
            headers=auth(ADMIN, admin=True),
            json={"closes_at": now.isoformat(), "reason": "shorter"},
        ).status_code
        == 422
    )
    extended = client.post(
        url,
        headers=auth(ADMIN, admin=True),
        json={"closes_at": later, "reason": "More time for the Leeds chapter"},
    )
    assert extended.status_code == 200
    changes = client.get(f"/api/v1/polls/{created['id']}").json["deadline_changes"]
    assert changes[0]["reason"] == "More time for the Leeds chapter"
    assert changes[0]["by"] == ADMIN
