"""The contact replica from members' snapshots and current memberships, and current scopes."""

from __future__ import annotations

from services.notify.service import newsletters
from services.notify.store import contacts, preferences

CHAPTER, PARENT, OTHER = "ch-leeds", "ch-england", "ch-paris"
CURRENT, CURRENT2 = "cu-eco", "cu-left"


def _snapshot(member_id: str, **overrides) -> dict:
    data = {
        "member_id": member_id,
        "status": "active",
        "announce_id": "a-1",
        "email": f"{member_id}@example.org",
        "display_name": member_id.title(),
        "country": "GB",
        "language": "fr",
        "phone": "+44 7700 900123",
        "email_verified": True,
        "chapters": [{"chapter_id": CHAPTER, "ancestors": [PARENT]}],
        "current_ids": [CURRENT],
        "mandates": [],
    }
    return {**data, **overrides}


def _replica(notify, member_id: str) -> tuple[dict | None, set, set]:
    with notify.runtime.db.transaction() as cur:
        contact = contacts.get_contact(cur, member_id)
        cur.execute(
            "SELECT chapter_id, ancestors FROM memberships WHERE member_id = %s", (member_id,)
        )
        chapters = {(r["chapter_id"], tuple(r["ancestors"])) for r in cur.fetchall()}
        cur.execute("SELECT current_id FROM current_memberships WHERE member_id = %s", (member_id,))
        currents = {r["current_id"] for r in cur.fetchall()}
    return contact, chapters, currents


def test_member_snapshot_is_an_idempotent_upsert_of_the_whole_state(notify):
    notify.member("m-snap", "old@example.org", language="en")
    notify.handle(
        "members.membership.joined", {"member_id": "m-snap", "chapter_id": OTHER, "ancestors": []}
    )
    notify.handle(
        "members.current_membership.joined", {"member_id": "m-snap", "current_id": CURRENT2}
    )

    for _ in range(2):  # applying it again (a fresh event id each time) changes nothing
        notify.handle("members.member.snapshot", _snapshot("m-snap"))
        contact, chapters, currents = _replica(notify, "m-snap")
        assert (
            contact["email"],
            contact["email_verified"],
            contact["phone"],
            contact["language"],
            contact["display_name"],
            contact["status"],
        ) == ("m-snap@example.org", True, "+447700900123", "fr", "M-Snap", "active")
        assert chapters == {(CHAPTER, (PARENT,))}  # the old chapter and current are gone
        assert currents == {CURRENT}

    # Not saying whether the address is verified keeps what was known for the same address.
    notify.handle(
        "members.member.snapshot",
        _snapshot("m-snap", email_verified=None, phone=None, current_ids=[]),
    )
    contact, _, currents = _replica(notify, "m-snap")
    assert contact["email_verified"] is True and contact["phone"] is None and currents == set()
    notify.handle(
        "members.member.snapshot", _snapshot("m-snap", email="new@example.org", email_verified=None)
    )
    assert _replica(notify, "m-snap")[0]["email_verified"] is False

    # A snapshot of someone notify never heard of creates the contact.
    notify.handle("members.member.snapshot", _snapshot("m-fresh", status="pending"))
    assert _replica(notify, "m-fresh")[0]["status"] == "pending"


def test_deleted_snapshot_tombstones_and_nothing_revives_it(notify):
    notify.handle("members.member.snapshot", _snapshot("m-gone"))
    notify.handle(
        "members.member.snapshot",
        {
            "member_id": "m-gone",
            "status": "deleted",
            "announce_id": "a-2",
            "email": None,
            "display_name": None,
            "language": None,
            "phone": None,
            "email_verified": None,
            "chapters": [],
            "current_ids": [],
            "mandates": [],
        },
    )
    notify.handle("members.member.snapshot", _snapshot("m-gone"))  # a late, older snapshot
    contact, chapters, currents = _replica(notify, "m-gone")
    assert contact["deleted"] and contact["email"] is None
    assert chapters == set() and currents == set()


def _newsletter(notify, scope: dict) -> set[str]:
    admin = notify.token("admin", admin=True)
    created = notify.client.post(
        "/api/v1/newsletters",
        headers=admin,
        json={"subject": "Current news", "body": "Hello.", "scope": scope},
    )
    assert created.status_code == 202, created.json
    newsletters.fan_out_newsletters(notify.ctx)
    notify.email.drain()
    return {r.rcpt_tos[0] for r in notify.sink.received}


def test_current_scoped_newsletter_and_poll_reach_the_currents_members(notify):
    for name in ("ann", "bob", "cat"):
        notify.member(f"m-{name}", f"{name}@example.org")
    notify.handle(
        "members.current_membership.joined", {"member_id": "m-ann", "current_id": CURRENT}
    )
    notify.handle(
        "members.current_membership.joined", {"member_id": "m-bob", "current_id": CURRENT}
    )
    notify.handle(
        "members.current_membership.joined",  # redelivered: still one membership
        {"member_id": "m-bob", "current_id": CURRENT},
    )
    notify.handle(
        "members.current_membership.joined", {"member_id": "m-cat", "current_id": CURRENT2}
    )
    notify.handle("members.current_membership.left", {"member_id": "m-bob", "current_id": CURRENT})
    # A chapter with the current's id would not count: currents are not chapters.
    notify.handle(
        "members.membership.joined", {"member_id": "m-cat", "chapter_id": CURRENT, "ancestors": []}
    )

    assert _newsletter(notify, {"type": "current", "id": CURRENT}) == {"ann@example.org"}

    notify.sink.received.clear()
    notify.poll_opened("Current poll", scope={"type": "current", "id": CURRENT2})
    notify.email.drain()
    assert [r.rcpt_tos for r in notify.sink.received] == [["cat@example.org"]]


def test_snapshot_memberships_feed_chapter_scopes(notify):
    notify.handle("members.member.snapshot", _snapshot("m-leeds"))
    notify.handle(
        "members.member.snapshot",
        _snapshot("m-paris", chapters=[{"chapter_id": OTHER, "ancestors": []}]),
    )
    assert _newsletter(notify, {"type": "chapter", "id": PARENT}) == {"m-leeds@example.org"}


def test_phone_dropped_by_a_snapshot_means_no_sms_attempt(notify):
    notify.handle("members.member.snapshot", _snapshot("m-sms"))
    notify.handle("members.member.snapshot", _snapshot("m-nosms", phone=None))
    with notify.runtime.db.transaction() as cur:
        for member in ("m-sms", "m-nosms"):
            preferences.set_preference(cur, member, "polls", True, True)
    notify.poll_opened("Phones")
    assert [r["member_id"] for r in notify.deliveries("sms")] == ["m-sms"]  # none without one
    # The phone goes before the SMS is sent: skipped, the provider never asked.
    notify.handle("members.member.snapshot", _snapshot("m-sms", phone=None))
    notify.sms.drain()
    [row] = notify.deliveries("sms")
    assert (row["status"], row["attempts"], row["last_error"]) == ("skipped", 0, "no phone number")
    assert notify.standin.requests == 0
