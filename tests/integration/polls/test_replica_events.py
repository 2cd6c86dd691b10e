"""The electorate replica from members' events as members names them: currents
(`members.current_membership.*`), and the snapshots of `POST /api/v1/members/announce` applied
as idempotent upserts, so that a lost replica can be rebuilt."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

from services.common.bus import Consumer
from services.common.bus.catalogue import CATALOGUE
from services.common.bus.envelope import make_event
from services.polls.handlers.electorate import ELECTORATE
from tests.integration.polls.conftest import auth, feed, in_an_hour, new_member, sql
from tests.support.wait import wait_for

ADMIN = str(uuid.uuid4())


def _poll(client, scope: dict, headers=None):
    return client.post(
        "/api/v1/polls",
        headers=headers or auth(ADMIN, admin=True),
        json={
            "title": "Scoped",
            "scope": scope,
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "plurality", "options": ["a", "b"]}],
        },
    )


def test_every_consumed_type_is_in_the_catalogue():
    table = ELECTORATE.bind(None)
    assert set(table) <= set(CATALOGUE)
    for name in (
        "members.current_membership.joined",
        "members.current_membership.left",
        "members.current.founded",
        "members.member.snapshot",
        "members.chapter.snapshot",
    ):
        assert name in table


def test_current_scoped_poll_gets_its_electorate_through_the_consumer(runtime, client, run_id):
    current = str(uuid.uuid4())
    staying, leaving, pending = new_member(runtime), new_member(runtime), new_member(runtime, "x")
    outsider = new_member(runtime)
    published = [
        make_event("members.current.founded", {"current_id": current, "name": "Eco"}, "members")
    ] + [
        make_event(
            "members.current_membership.joined",
            {"member_id": m, "current_id": current},
            "members",
        )
        for m in (staying, leaving, pending)
    ]
    published.append(
        make_event(
            "members.current_membership.left",
            {"member_id": leaving, "current_id": current},
            "members",
        )
    )
    consumer = Consumer(
        runtime.db,
        runtime.transport,
        f"currents_{run_id}",
        ELECTORATE.bind(None),
        backoff=(0.05, 0.2),
    )
    consumer.declare()
    runtime.transport.publish(published)
    runtime.transport.publish(published[1:2])  # a redelivery changes nothing
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:

        def both_in_the_current() -> list[dict] | None:
            rows = sql(
                runtime, "SELECT member_id FROM replica_currents WHERE current_id = %s", (current,)
            )
            return rows if {r["member_id"] for r in rows} == {staying, pending} else None

        rows = wait_for(both_in_the_current, 15, "the current's members in the replica")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert {r["member_id"] for r in rows} == {staying, pending}
    assert sql(runtime, "SELECT name FROM replica_current_names WHERE current_id = %s", (current,))

    created = _poll(client, {"type": "current", "id": current})
    assert created.status_code == 201, created.json
    poll = created.json
    assert poll["electorate"] == 1  # the pending member is not in it
    qid = poll["questions"][0]["id"]
    ballot = {"answers": [{"question_id": qid, "choice": "a"}]}
    url = f"/api/v1/polls/{poll['id']}/ballots"
    assert client.post(url, headers=auth(staying), json=ballot).status_code == 201
    for other in (leaving, outsider):
        assert client.post(url, headers=auth(other), json=ballot).status_code == 403


def _member_snapshot(member_id, status="active", chapters=(), currents=(), mandates=()):
    return {
        "member_id": member_id,
        "status": status,
        "announce_id": "announce-test",
        "email": None if status == "deleted" else f"{member_id}@example.org",
        "display_name": None if status == "deleted" else "M",
        "language": "en",
        "phone": None,
        "email_verified": True,
        "chapters": [{"chapter_id": c, "ancestors": list(a)} for c, a in chapters],
        "current_ids": list(currents),
        "mandates": list(mandates),
    }


def _chapter_snapshot(chapter_id, parent_id, name, ancestors):
    return {
        "chapter_id": chapter_id,
        "parent_id": parent_id,
        "name": name,
        "level": "regional" if parent_id is None else "local",
        "ancestors": list(ancestors),
        "announce_id": "announce-test",
    }


def _replica(runtime, member_id) -> dict:
    return {
        "member": sql(
            runtime,
            "SELECT status, deleted FROM replica_members WHERE member_id = %s",
            (member_id,),
        ),
        "memberships": sql(
            runtime,
            "SELECT chapter_id, ancestors FROM replica_memberships WHERE member_id = %s"
            " ORDER BY chapter_id",
            (member_id,),
        ),
        "currents": sql(
            runtime,
            "SELECT current_id FROM replica_currents WHERE member_id = %s ORDER BY current_id",
            (member_id,),
        ),
        "mandates": sql(
            runtime,
            "SELECT mandate_id, role, chapter_id, revoked, starts_at, ends_at"
            " FROM replica_mandates WHERE member_id = %s ORDER BY mandate_id",
            (member_id,),
        ),
    }


def test_snapshots_rebuild_the_replica_idempotently(runtime, client):
    region, town = str(uuid.uuid4()), str(uuid.uuid4())
    current = str(uuid.uuid4())
    coordinator, voter, gone = (str(uuid.uuid4()) for _ in range(3))
    mandate, expired = str(uuid.uuid4()), str(uuid.uuid4())
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    chapter_snaps = [
        _chapter_snapshot(region, None, "Yorkshire", []),
        _chapter_snapshot(town, region, "Leeds", [region]),
    ]
    member_snaps = [
        _member_snapshot(
            coordinator,
            chapters=[(town, [region])],
            mandates=[
                {
                    "mandate_id": mandate,
                    "member_id": coordinator,
                    "role": "coordinator",
                    "chapter_id": region,
                    "starts_at": None,
                    "ends_at": None,
                },
                {
                    "mandate_id": expired,
                    "member_id": coordinator,
                    "role": "admin",
                    "chapter_id": None,
                    "starts_at": None,
                    "ends_at": past,
                },
            ],
        ),
        _member_snapshot(voter, chapters=[(town, [region])], currents=[current]),
        _member_snapshot(gone, status="pending", chapters=[(region, [])]),
    ]
    for turn in range(2):  # an announcement applied twice changes nothing the second time
        for data in chapter_snaps:
            feed(runtime, "members.chapter.snapshot", data)
        for data in member_snaps:
            feed(runtime, "members.member.snapshot", data)
        if turn == 0:
            first = {m: _replica(runtime, m) for m in (coordinator, voter, gone)}
    assert {m: _replica(runtime, m) for m in (coordinator, voter, gone)} == first
    assert first[voter]["memberships"] == [{"chapter_id": town, "ancestors": [region]}]
    assert first[voter]["currents"] == [{"current_id": current}]
    assert [m["revoked"] for m in first[coordinator]["mandates"]] == [False, False]

    # The coordinator of the region launches a poll of its sub-tree; the expired admin
    # mandate gives nothing more.
    created = _poll(client, {"type": "chapter", "id": region}, headers=auth(coordinator))
    assert created.status_code == 201, created.json
    assert created.json["electorate"] == 2  # coordinator and voter (town is under region)
    assert _poll(client, {"type": "organisation"}, headers=auth(coordinator)).status_code == 403

    # A later snapshot is the whole state: what it lacks is gone from the replica.
    feed(runtime, "members.member.snapshot", _member_snapshot(voter, chapters=[(region, [])]))
    feed(runtime, "members.member.snapshot", _member_snapshot(coordinator, chapters=[]))
    feed(runtime, "members.member.snapshot", _member_snapshot(gone, status="deleted"))
    after = {m: _replica(runtime, m) for m in (coordinator, voter, gone)}
    assert after[voter]["memberships"] == [{"chapter_id": region, "ancestors": []}]
    assert after[voter]["currents"] == []
    assert after[coordinator]["memberships"] == []
    assert all(m["revoked"] for m in after[coordinator]["mandates"])
    assert after[gone]["member"] == [{"status": "deleted", "deleted": True}]
    assert after[gone]["memberships"] == []
    # A deleted member stays deleted whatever snapshot comes late.
    feed(runtime, "members.member.snapshot", _member_snapshot(gone, chapters=[(region, [])]))
    assert _replica(runtime, gone) == after[gone]
    assert (
        _poll(client, {"type": "chapter", "id": region}, headers=auth(coordinator)).status_code
        == 403
    )


def test_mandate_time_window_from_events(runtime, client):
    region = str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": region, "parent_id": None, "name": "R", "level": "regional"},
    )
    later, member = new_member(runtime), new_member(runtime)
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    for holder, starts in ((later, future), (member, None)):
        feed(
            runtime,
            "members.mandate.granted",
            {
                "mandate_id": str(uuid.uuid4()),
                "member_id": holder,
                "role": "coordinator",
                "chapter_id": region,
                "starts_at": starts,
                "ends_at": None,
            },
        )
    assert _poll(client, {"type": "chapter", "id": region}, headers=auth(later)).status_code == 403
    assert _poll(client, {"type": "chapter", "id": region}, headers=auth(member)).status_code == 201


def test_the_methods_table_is_published_and_documented(client):
    from services.polls.answers import methods_document

    served = client.get("/api/v1/polls/methods")
    assert served.status_code == 200 and served.json == methods_document()
    spec = client.get("/openapi.json").json
    operation = spec["paths"]["/api/v1/polls/methods"]["get"]
    assert not operation.get("security")  # public
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MethodList"
    }
    assert {"method", "form", "settings"} <= set(
        spec["components"]["schemas"]["Method"]["properties"]
    )


def test_a_mandate_term_moved_by_an_admin_reaches_the_replica(runtime, client):
    region, mandate = str(uuid.uuid4()), str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": region, "parent_id": None, "name": "T", "level": "regional"},
    )
    holder = new_member(runtime)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat()
    grant = {
        "mandate_id": mandate,
        "member_id": holder,
        "role": "coordinator",
        "chapter_id": region,
        "starts_at": past,
        "ends_at": soon,
    }
    feed(runtime, "members.mandate.granted", grant)
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    feed(runtime, "members.mandate.term_changed", {**grant, "ends_at": later})
    time.sleep(1.1)  # past the first end: the moved one holds
    assert _poll(client, {"type": "chapter", "id": region}, headers=auth(holder)).status_code == 201
    feed(runtime, "members.mandate.term_changed", {**grant, "ends_at": past})
    assert _poll(client, {"type": "chapter", "id": region}, headers=auth(holder)).status_code == 403
