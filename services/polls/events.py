"""Events: what polls publishes, and the handlers that keep its replica of members.

Published (through the outbox, in the transaction of the change they announce):
- `polls.poll.opened` {poll_id, title, scope, opens_at, closes_at, electorate, invitation_parts}
- `polls.poll.invitations` {poll_id, title, scope, closes_at, member_ids, part, parts}: exactly
  the electorate just fixed, in parts of 1,000 (notify invites these and no one else)
- `polls.poll.closed` {poll_id, title, scope, closed_at, voters, electorate,
  results: [{question_id, text, method, winners, answered}]}
- `polls.poll.closing_soon` {poll_id, title, scope, closes_at, member_ids, page, pages}
  (members of the electorate who have not voted yet, in pages; nothing about any vote)
- `polls.poll.deadline_extended` {poll_id, title, scope, old_closes_at, closes_at, reason}

Consumed (the electorate replica): members' member.registered / activated / deleted,
membership.joined / left, mandate.granted / revoked / ended (with starts_at / ends_at; an ended
mandate is held as revoked), chapter.founded,
current.founded, current_membership.joined / left, and the snapshots of
`POST /api/v1/members/announce` (member.snapshot, chapter.snapshot), applied as upserts that
replace what the replica holds of the entity: clearing the replica and asking members for an
announcement rebuilds it. Every handler is idempotent: replaying an event leaves the replica as
it was.
"""

from __future__ import annotations

from services.common import revocation
from services.polls import store


def _id(value) -> str | None:
    return None if value is None else str(value)


def member_registered(cur, event: dict) -> None:
    data = event["data"]
    store.add_member(cur, _id(data["member_id"]), data.get("status") or "pending")
    store.set_member_name(cur, _id(data["member_id"]), data.get("display_name"))


def contact_changed(cur, event: dict) -> None:
    data = event["data"]
    store.set_member_name(cur, _id(data["member_id"]), data.get("display_name"))


def member_activated(cur, event: dict) -> None:
    store.activate_member(cur, _id(event["data"]["member_id"]))


def member_deleted(cur, event: dict) -> None:
    store.delete_member(cur, _id(event["data"]["member_id"]))


def membership_joined(cur, event: dict) -> None:
    data = event["data"]
    ancestors = [_id(a) for a in data.get("ancestors") or []]
    store.add_membership(cur, _id(data["member_id"]), _id(data["chapter_id"]), ancestors)


def membership_left(cur, event: dict) -> None:
    data = event["data"]
    store.remove_membership(cur, _id(data["member_id"]), _id(data["chapter_id"]))


def mandate_granted(cur, event: dict) -> None:
    data = event["data"]
    store.grant_mandate(
        cur,
        _id(data["mandate_id"]),
        _id(data["member_id"]),
        str(data["role"]),
        _id(data.get("chapter_id")),
        data.get("starts_at"),
        data.get("ends_at"),
    )


def mandate_revoked(cur, event: dict) -> None:
    data = event["data"]
    store.revoke_mandate(
        cur,
        _id(data["mandate_id"]),
        _id(data["member_id"]),
        str(data["role"]),
        _id(data.get("chapter_id")),
    )


def chapter_founded(cur, event: dict) -> None:
    data = event["data"]
    store.upsert_chapter(
        cur, _id(data["chapter_id"]), _id(data.get("parent_id")), data["name"], data.get("level")
    )


def current_founded(cur, event: dict) -> None:
    data = event["data"]
    store.add_current_name(cur, _id(data["current_id"]), data["name"])


def member_snapshot(cur, event: dict) -> None:
    data = event["data"]
    chapters = [
        (_id(c["chapter_id"]), [_id(a) for a in c.get("ancestors") or []])
        for c in data.get("chapters") or []
    ]
    mandates = [
        {
            "mandate_id": _id(m["mandate_id"]),
            "role": str(m["role"]),
            "chapter_id": _id(m.get("chapter_id")),
            "starts_at": m.get("starts_at"),
            "ends_at": m.get("ends_at"),
        }
        for m in data.get("mandates") or []
    ]
    store.apply_member_snapshot(
        cur,
        _id(data["member_id"]),
        data.get("status") or "pending",
        chapters,
        [_id(c) for c in data.get("current_ids") or []],
        mandates,
    )
    store.set_member_name(cur, _id(data["member_id"]), data.get("display_name"))


def chapter_snapshot(cur, event: dict) -> None:
    chapter_founded(cur, event)


def current_joined(cur, event: dict) -> None:
    data = event["data"]
    store.add_current(cur, _id(data["member_id"]), _id(data["current_id"]))


def current_left(cur, event: dict) -> None:
    data = event["data"]
    store.remove_current(cur, _id(data["member_id"]), _id(data["current_id"]))


HANDLERS = {
    "members.member.registered": member_registered,
    "members.member.activated": member_activated,
    # A deleted member's tokens are denied too (services/common/revocation.py).
    "members.member.deleted": revocation.with_deleted(member_deleted),
    "members.membership.joined": membership_joined,
    "members.membership.left": membership_left,
    "members.mandate.granted": mandate_granted,
    "members.mandate.revoked": mandate_revoked,
    "members.mandate.ended": mandate_revoked,  # its term is over: no rights from it any more
    "members.chapter.founded": chapter_founded,
    "members.current.founded": current_founded,
    "members.current_membership.joined": current_joined,
    "members.current_membership.left": current_left,
    "members.member.snapshot": member_snapshot,
    "members.member.contact_changed": contact_changed,  # the name shown in discussions
    "members.chapter.snapshot": chapter_snapshot,
    # The deny-list of access tokens: ended sessions, suspended members (issue 13).
    **revocation.handlers(),
}

# Types consumed once the catalogue names them (none pending now).
OPTIONAL_HANDLERS: dict = {}


def handlers() -> dict:
    """Routing key → handler, for every type the catalogue knows."""
    from services.common import revocation
    from services.common.bus.catalogue import CATALOGUE

    table = dict(HANDLERS)
    table.update({k: v for k, v in OPTIONAL_HANDLERS.items() if k in CATALOGUE})
    # The deny-list of access tokens (ended sessions, suspended and deleted members).
    table.update(revocation.handlers())
    table["members.member.deleted"] = revocation.with_deleted(table["members.member.deleted"])
    return table


def handle(cur, event: dict) -> None:
    """Apply one event to the replica (tests and tools call this directly)."""
    handler = handlers().get(event["type"])
    if handler is not None:
        handler(cur, event)
