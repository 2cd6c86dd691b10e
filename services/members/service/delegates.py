"""Delegates (issue 7): mandates recorded from delegate elections, and a delegate's public record.

A chapter elects its delegate(s) to the level above with a poll that polls marks as a delegate
election; its `polls.poll.closed` event carries `purpose: "delegate_election"` and
`election: {chapter_id, seats, term_days, elected: [member_id, ...]}`. This module turns that into
one `delegate` mandate per elected member (chapter_id = the chapter represented, from the close
to close + term_days), records the members the chapter had at that moment, and announces each
with `members.mandate.granted` (+ `poll_id`, `members_represented`). Exactly once per (poll,
member), however often the event arrives.

A by-election (`election.by_election_for`: the mandate whose seat it fills, issue 18) fills that
one seat until the seat's own term ends (`election.seat_ends_at`) and supersedes nobody.

A new election supersedes the chapter's previous delegates: when it elects anyone, every other
delegate mandate of that chapter still running ends when the new terms start (`ends_at` moved
there, `members.mandate.ended` with reason "superseded", once each). A delegate re-elected gets a
new mandate; their old one ends the same way. An uncontested election (polls closes it at once,
`election.uncontested`) is recorded like any other.

Members consumes (worker consumer `delegates_and_recall`): `polls.poll.closed` (delegate
elections and recall votes) and `polls.recall.opened`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.events import mandate_data
from services.members.service import mandates, recall
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import delegates as delegates_store
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store
from services.members.store import memberships as memberships_store
from services.members.store import recall as recall_store

log = logging.getLogger("councils.members.delegates")


DEFAULT_TERM_DAYS = 365


def _when(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if value:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return dt.datetime.now(dt.UTC)


def term_of(data: dict) -> tuple[dt.datetime, dt.datetime]:
    """(starts_at, ends_at) of the mandates a closed election grants: from its close, for its
    `term_days`."""
    starts_at = _when(data.get("closed_at"))
    term_days = int((data.get("election") or {}).get("term_days") or DEFAULT_TERM_DAYS)
    return starts_at, starts_at + dt.timedelta(days=term_days)


def record_election(cur, event: dict) -> list[dict]:
    """Delegate mandates for the winners of a closed delegate election (idempotent)."""
    data = event["data"]
    election = data.get("election") or {}
    chapter_id = election.get("chapter_id") or (data.get("scope") or {}).get("id")
    if chapter_id is None or chapters_store.chapter_by_id(cur, chapter_id) is None:
        log.warning("delegate election %s names no known chapter", data.get("poll_id"))
        return []
    poll_id = str(data["poll_id"])
    starts_at, ends_at = term_of(data)
    seat_of = election.get("by_election_for")  # a by-election fills that seat, to its end
    if seat_of and election.get("seat_ends_at"):
        ends_at = max(starts_at, _when(election["seat_ends_at"]))
    represented = memberships_store.count_active_members_below(cur, chapter_id)
    granted = []
    for member_id in election.get("elected") or []:
        member = members_store.member_by_id(cur, member_id)
        if member is None or member["status"] == "deleted":
            log.warning("elected delegate %s is not a member; no mandate", member_id)
            continue
        if delegates_store.election_recorded(cur, poll_id, member["id"]):
            continue
        mandate_id = uuid.uuid4()
        mandate = mandates_store.insert_mandate_with_id(
            cur,
            mandate_id=mandate_id,
            member_id=member["id"],
            role="delegate",
            chapter_id=chapter_id,
            starts_at=starts_at,
            ends_at=ends_at,
            note=f"elected by poll {poll_id}",
        )
        delegates_store.claim_election_seat(cur, poll_id, member["id"], mandate_id)
        delegates_store.insert_delegate_term(
            cur,
            mandate_id=mandate_id,
            chapter_id=chapter_id,
            poll_id=poll_id,
            members_represented=represented,
            elected_at=starts_at,
            by_election_for=seat_of,
        )
        audit_store.insert_audit(
            cur,
            action="mandate.granted",
            member_id=member["id"],
            mandate_id=mandate_id,
            role="delegate",
            chapter_id=chapter_id,
            detail={
                "poll_id": poll_id,
                "members_represented": represented,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
        emit(
            cur,
            "members.mandate.granted",
            {**mandate_data(mandate), "poll_id": poll_id, "members_represented": represented},
        )
        granted.append(mandate)
    if not seat_of and delegates_store.count_election_seats(cur, poll_id):
        for previous in delegates_store.live_delegate_mandates(
            cur, chapter_id, except_poll=poll_id
        ):
            mandates.end_mandate(
                cur,
                previous,
                ends_at=starts_at,
                reason="superseded",
                detail={"superseded_by_poll": poll_id},
            )
    return granted


def _iso(value):
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def member_record(ctx: MembersContext, member_id) -> dict:
    """Every mandate the member held (delegate terms with the members represented) and every
    recall petition against them: public, like the audit log. Their votes as a delegate are
    public in polls (`GET /api/v1/delegates/{member_id}/votes`)."""
    with ctx.db.transaction() as cur:
        member = members_store.member_by_id(cur, member_id)
        if member is None or member["status"] == "deleted":
            raise ApiError(404, "No such member.", "not_found")
        held = []
        for m in delegates_store.mandates_with_terms(cur, member["id"]):
            entry = {
                "id": str(m["id"]),
                "role": m["role"],
                "chapter_id": str(m["chapter_id"]) if m["chapter_id"] else None,
                "chapter_name": m["chapter_name"],
                "starts_at": _iso(m["starts_at"]),
                "ends_at": _iso(m["ends_at"]),
                "revoked_at": _iso(m["revoked_at"]),
                "revoke_reason": m["revoke_reason"],
                "active": m["active"],
                "interim": m["interim"],
                "elected_by_poll": m["poll_id"],
                "members_represented": m["members_represented"],
                # every mandate the members give can be recalled (issue 18)
                "recall_petitions": [
                    recall.petition_view(p)
                    for p in recall_store.list_petitions(cur, mandate_id=m["id"])
                ],
            }
            held.append(entry)
        return {
            "member_id": str(member["id"]),
            "display_name": member["display_name"],
            "mandates": held,
        }
