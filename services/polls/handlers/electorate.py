"""The electorate replica: members' events applied to polls' copy of members, chapters,
memberships, mandates and currents (consumer `electorate`), and the deny-list of access tokens.

Consumed: members' member.registered / activated / deleted / contact_changed,
membership.joined / left, mandate.granted / revoked / ended / term_changed (with starts_at /
ends_at; an ended mandate is held as revoked), chapter.founded, current.founded,
current_membership.joined / left, and the snapshots of `POST /api/v1/members/announce`
(member.snapshot, chapter.snapshot), applied as upserts that replace what the replica holds of
the entity: clearing the replica and asking members for an announcement rebuilds it. Every
handler is idempotent: replaying an event leaves the replica as it was.
"""

from __future__ import annotations

from typing import Any

from services.common import revocation
from services.common.bus.handlers import EventHandlers
from services.polls.store import replica as replica_sql

ELECTORATE = EventHandlers("electorate")


def _id(value: Any) -> str:
    return str(value)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


@ELECTORATE.on("members.member.registered")
def member_registered(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.add_member(cur, _id(data["member_id"]), data.get("status") or "pending")
    replica_sql.set_member_name(cur, _id(data["member_id"]), data.get("display_name"))


@ELECTORATE.on("members.member.contact_changed")
def contact_changed(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.set_member_name(cur, _id(data["member_id"]), data.get("display_name"))


@ELECTORATE.on("members.member.activated")
def member_activated(_ctx: Any, cur: Any, event: dict) -> None:
    replica_sql.activate_member(cur, _id(event["data"]["member_id"]))


@ELECTORATE.on("members.member.deleted")
def member_deleted(_ctx: Any, cur: Any, event: dict) -> None:
    replica_sql.delete_member(cur, _id(event["data"]["member_id"]))


@ELECTORATE.on("members.membership.joined")
def membership_joined(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    ancestors = [_id(a) for a in data.get("ancestors") or []]
    replica_sql.add_membership(cur, _id(data["member_id"]), _id(data["chapter_id"]), ancestors)


@ELECTORATE.on("members.membership.left")
def membership_left(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.remove_membership(cur, _id(data["member_id"]), _id(data["chapter_id"]))


@ELECTORATE.on("members.mandate.granted")
def mandate_granted(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.grant_mandate(
        cur,
        _id(data["mandate_id"]),
        _id(data["member_id"]),
        str(data["role"]),
        _opt(data.get("chapter_id")),
        data.get("starts_at"),
        data.get("ends_at"),
        bool(data.get("interim")),
    )


@ELECTORATE.on("members.mandate.term_changed")
def mandate_term_changed(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.set_mandate_term(cur, _id(data["mandate_id"]), data.get("ends_at"))


@ELECTORATE.on("members.mandate.revoked", "members.mandate.ended")
def mandate_revoked(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.revoke_mandate(
        cur,
        _id(data["mandate_id"]),
        _id(data["member_id"]),
        str(data["role"]),
        _opt(data.get("chapter_id")),
    )


@ELECTORATE.on("members.chapter.founded", "members.chapter.snapshot")
def chapter_founded(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.upsert_chapter(
        cur, _id(data["chapter_id"]), _opt(data.get("parent_id")), data["name"], data.get("level")
    )


@ELECTORATE.on("members.current.founded")
def current_founded(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.add_current_name(cur, _id(data["current_id"]), data["name"])


@ELECTORATE.on("members.member.snapshot")
def member_snapshot(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    chapters = [
        (_id(c["chapter_id"]), [_id(a) for a in c.get("ancestors") or []])
        for c in data.get("chapters") or []
    ]
    mandates = [
        {
            "mandate_id": _id(m["mandate_id"]),
            "role": str(m["role"]),
            "chapter_id": _opt(m.get("chapter_id")),
            "starts_at": m.get("starts_at"),
            "ends_at": m.get("ends_at"),
            "interim": bool(m.get("interim")),
        }
        for m in data.get("mandates") or []
    ]
    replica_sql.apply_member_snapshot(
        cur,
        _id(data["member_id"]),
        data.get("status") or "pending",
        chapters,
        [_id(c) for c in data.get("current_ids") or []],
        mandates,
    )
    replica_sql.set_member_name(cur, _id(data["member_id"]), data.get("display_name"))


@ELECTORATE.on("members.current_membership.joined")
def current_joined(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.add_current(cur, _id(data["member_id"]), _id(data["current_id"]))


@ELECTORATE.on("members.current_membership.left")
def current_left(_ctx: Any, cur: Any, event: dict) -> None:
    data = event["data"]
    replica_sql.remove_current(cur, _id(data["member_id"]), _id(data["current_id"]))


# The deny-list of access tokens: ended sessions, suspended and deleted members (issue 13).
ELECTORATE.include(revocation.DENY_LIST)
