"""Events: what polls publishes, and the handlers that keep its replica of members.

Published (through the outbox, in the transaction of the change they announce):
- `polls.poll.opened` {poll_id, title, scope, opens_at, closes_at, electorate}
- `polls.poll.closed` {poll_id, title, scope, closed_at, voters, electorate,
  results: [{question_id, text, method, winners, answered}]}
- `polls.poll.closing_soon` {poll_id, title, scope, closes_at, member_ids, page, pages}
  (members of the electorate who have not voted yet, in pages; nothing about any vote)
- `polls.poll.deadline_extended` {poll_id, title, scope, old_closes_at, closes_at, reason}

Consumed (the electorate replica): members' member.registered / activated / deleted,
membership.joined / left, mandate.granted / revoked, chapter.founded. Every handler is
idempotent: replaying an event leaves the replica as it was.
"""

from __future__ import annotations

from services.polls import store


def _id(value) -> str | None:
    return None if value is None else str(value)


def member_registered(cur, event: dict) -> None:
    data = event["data"]
    store.add_member(cur, _id(data["member_id"]), data.get("status") or "pending")


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


def current_joined(cur, event: dict) -> None:
    data = event["data"]
    store.add_current(cur, _id(data["member_id"]), _id(data["current_id"]))


def current_left(cur, event: dict) -> None:
    data = event["data"]
    store.remove_current(cur, _id(data["member_id"]), _id(data["current_id"]))


HANDLERS = {
    "members.member.registered": member_registered,
    "members.member.activated": member_activated,
    "members.member.deleted": member_deleted,
    "members.membership.joined": membership_joined,
    "members.membership.left": membership_left,
    "members.mandate.granted": mandate_granted,
    "members.mandate.revoked": mandate_revoked,
    "members.chapter.founded": chapter_founded,
}

# Added when members publishes them (the catalogue names each type before it can be consumed).
OPTIONAL_HANDLERS = {
    "members.current.joined": current_joined,
    "members.current.left": current_left,
}


def handlers() -> dict:
    """Routing key → handler, for every type the catalogue knows."""
    from services.common.bus.catalogue import CATALOGUE

    table = dict(HANDLERS)
    table.update({k: v for k, v in OPTIONAL_HANDLERS.items() if k in CATALOGUE})
    return table


def handle(cur, event: dict) -> None:
    """Apply one event to the replica (tests and tools call this directly)."""
    handler = handlers().get(event["type"])
    if handler is not None:
        handler(cur, event)
