"""Coordinator and admin mandates the members grant by election (issue 18).

Polls closes a `coordinator_election` or `admin_election` poll with `polls.poll.closed`
{purpose, election: {chapter_id, seats, term_days, elected, uncontested, electorate}} (the same
shape as a delegate election). This module grants one mandate per elected member (a
coordinator's for the election's chapter, an admin's for the organisation) from the close to
close + term_days, audits it and announces `members.mandate.granted` (+ `poll_id`). Exactly once
per (poll, member), however often the event arrives (`delegate_elections_recorded` guards every
election).

A new election supersedes: once it has granted a mandate, every other live mandate of that role
and scope ends when the new terms start (`members.mandate.ended`, reason "superseded") — for a
chapter, its coordinators whether elected before or appointed; for the organisation, every
admin, the bootstrapped interim admin included.

An admin election whose electorate is not the configured `ADMIN_ELECTORATE` grants nothing: the
organisation chose who elects its admins, and a poll held by others does not bind it.
"""

from __future__ import annotations

import logging
import uuid

from services.common.bus import emit
from services.members.context import MembersContext
from services.members.events import mandate_data
from services.members.service import delegates, mandates
from services.members.store import audit as audit_store
from services.members.store import chapters as chapters_store
from services.members.store import delegates as delegates_store
from services.members.store import mandates as mandates_store
from services.members.store import members as members_store

log = logging.getLogger("councils.members.elections")

ROLES = {"coordinator_election": "coordinator", "admin_election": "admin"}


def _grant_elected(cur, poll_id: str, member: dict, role: str, chapter_id, starts_at, ends_at):
    mandate_id = uuid.uuid4()
    mandate = mandates_store.insert_mandate_with_id(
        cur,
        mandate_id=mandate_id,
        member_id=member["id"],
        role=role,
        chapter_id=chapter_id,
        starts_at=starts_at,
        ends_at=ends_at,
        note=f"elected by poll {poll_id}",
    )
    delegates_store.claim_election_seat(cur, poll_id, member["id"], mandate_id)
    audit_store.insert_audit(
        cur,
        action="mandate.granted",
        member_id=member["id"],
        mandate_id=mandate_id,
        role=role,
        chapter_id=chapter_id,
        detail={
            "poll_id": poll_id,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    emit(cur, "members.mandate.granted", {**mandate_data(mandate), "poll_id": poll_id})
    return mandate


def _scope(ctx: MembersContext, cur, data: dict, role: str):
    """(True, chapter_id) where the election's mandates apply, or (False, None) when it binds
    nobody (unknown chapter; an admin election by another electorate than configured)."""
    election = data.get("election") or {}
    if role == "admin":
        electorate = election.get("electorate") or "members"
        if electorate != ctx.settings.admin_electorate:
            log.warning(
                "admin election %s was held by %s, not by %s (ADMIN_ELECTORATE): no mandate",
                data.get("poll_id"),
                electorate,
                ctx.settings.admin_electorate,
            )
            return False, None
        return True, None
    chapter_id = election.get("chapter_id") or (data.get("scope") or {}).get("id")
    if chapter_id is None or chapters_store.chapter_by_id(cur, chapter_id) is None:
        log.warning("coordinator election %s names no known chapter", data.get("poll_id"))
        return False, None
    return True, chapter_id


def record_election(ctx: MembersContext, cur, event: dict) -> list[dict]:
    """Coordinator or admin mandates for the winners of a closed election (idempotent)."""
    data = event["data"]
    role = ROLES[data["purpose"]]
    binding, chapter_id = _scope(ctx, cur, data, role)
    if not binding:
        return []
    election = data.get("election") or {}
    poll_id = str(data["poll_id"])
    starts_at, ends_at = delegates.term_of(data)
    granted = []
    for member_id in election.get("elected") or []:
        member = members_store.member_by_id(cur, member_id)
        if member is None or member["status"] != "active":
            log.warning("elected %s %s is not an active member; no mandate", role, member_id)
            continue
        if delegates_store.election_recorded(cur, poll_id, member["id"]):
            continue
        granted.append(_grant_elected(cur, poll_id, member, role, chapter_id, starts_at, ends_at))
    if delegates_store.count_election_seats(cur, poll_id):
        for previous in mandates_store.live_mandates_of_role(
            cur, role, chapter_id, except_poll=poll_id
        ):
            mandates.end_mandate(
                cur,
                previous,
                ends_at=starts_at,
                reason="superseded",
                detail={"superseded_by_poll": poll_id},
            )
    return granted
