"""Recall petitions (issues 7 and 18): open, sign, withdraw, threshold, the vote's outcome,
expiry.

Every mandate the members give can be recalled the same way: a delegate's (its chapter = the
chapter represented), a coordinator's (the chapter coordinated) and an admin's (no chapter: the
organisation's active members sign and vote, under the default rules). Members of the chapter
(sub-chapters included) sign; its members vote. `delegate_id`/`delegate_name` name the
mandate's holder whatever its role; `role` says which.

A petition lives `open` → `threshold_reached` (members emits
`members.recall.threshold_reached`; polls opens the recall vote by itself) → `voting` (on
`polls.recall.opened`) → `revoked` | `kept` (on the recall poll's `polls.poll.closed`, exactly
once); an `open` petition past its `expires_at` becomes `expired`. A `kept` outcome starts a
cooling-off period during which no new petition against the same mandate may open.

Rules per chapter (`PUT /api/v1/chapters/{id}/recall-settings`), defaults from the environment:
`RECALL_THRESHOLD_PERCENT` (20: share of the chapter's active members, sub-chapters included,
counted when the petition opens), `RECALL_THRESHOLD_MINIMUM` (3 signatures at least),
`RECALL_PETITION_DAYS` (30), `RECALL_COOLING_OFF_DAYS` (90), `RECALL_VOTE_HOURS` (168),
`RECALL_QUORUM_PERCENT` (20: the share of the recall vote's electorate, the chapter's active
members, that must vote; 0 only with a recorded chapter decision, service/recall_quorum.py).
`vacancy_rule` says what fills a seat that empties (service/vacancies.py). Each petition fixes
the rules when it opens. A recall vote whose turnout is under the
quorum keeps the mandate whatever the votes, and the outcome says why (`outcome_reason`).

Events (exact `data`):
- `members.recall.petition_opened` {petition_id, mandate_id, delegate_id, delegate_name,
  chapter_id, chapter_name, reason, threshold, signatures, expires_at}
- `members.recall.threshold_reached` {petition_id, mandate_id, delegate_id, delegate_name,
  chapter_id, chapter_name, reason, signatures, threshold, vote_hours}
- `members.recall.decided` {petition_id, mandate_id, delegate_id, delegate_name, chapter_id,
  chapter_name, poll_id, outcome ("revoked" | "kept"), votes_for, votes_against,
  cooling_off_until, voters, electorate, quorum, quorum_met, outcome_reason}
- `members.recall.expired` {petition_id, mandate_id, delegate_id, delegate_name, chapter_id,
  chapter_name, signatures, threshold}
Each also carries `role` (delegate | coordinator | admin); `chapter_id` and `chapter_name` are
None for an admin's recall.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import uuid
from decimal import Decimal

from services.common.bus import emit
from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.events import mandate_data
from services.members.service import access, recall_quorum, vacancies
from services.members.store import audit as audit_store
from services.members.store import mandates as mandates_store
from services.members.store import memberships as memberships_store
from services.members.store import recall as recall_store
from services.members.store.rows import existing

log = logging.getLogger("councils.members.recall")


LIVE = ("open", "threshold_reached", "voting")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(value):
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def defaults(ctx: MembersContext) -> dict:
    """The recall rules of a chapter that set none (RECALL_* variables, read once)."""
    return dataclasses.asdict(ctx.settings.recall)


def _rules(ctx: MembersContext, cur, chapter_id) -> dict:
    row = recall_store.recall_settings(cur, chapter_id)
    rules = defaults(ctx)
    if row:
        rules.update({k: row[k] for k in rules})
    for key in ("threshold_percent", "quorum_percent"):
        pct = rules[key]
        rules[key] = float(pct) if isinstance(pct, Decimal) else pct
    rules["quorum_decided_by_poll_id"] = (row or {}).get("quorum_decided_by_poll_id")
    rules["vacancy_rule"] = (row or {}).get("vacancy_rule") or "by_election"
    return rules


def quorum_for(electorate: int, percent) -> int:
    """Voters needed for a recall vote's outcome to count (0: no quorum)."""
    return math.ceil(int(electorate) * float(percent or 0) / 100.0 - 1e-9)


def threshold_for(members: int, percent: float, minimum: int) -> int:
    return max(int(minimum), math.ceil(members * float(percent) / 100.0 - 1e-9))


def _str_or_none(value) -> str | None:
    return str(value) if value is not None else None


def petition_view(p: dict) -> dict:
    return {
        "id": str(p["id"]),
        "mandate_id": str(p["mandate_id"]),
        "role": p.get("role"),
        "chapter_id": _str_or_none(p["chapter_id"]),
        "chapter_name": p.get("chapter_name"),
        "delegate_id": str(p["delegate_id"]),
        "delegate_name": p.get("delegate_name"),
        "opened_by": str(p["opened_by"]),
        "reason": p["reason"],
        "status": p["status"],
        "signatures": p.get("signatures", 0),
        "threshold": p["threshold"],
        "members_at_opening": p["members_at_opening"],
        "opened_at": _iso(p["opened_at"]),
        "expires_at": _iso(p["expires_at"]),
        "threshold_at": _iso(p["threshold_at"]),
        "poll_id": p["poll_id"],
        "decided_at": _iso(p["decided_at"]),
        "votes_for": p["votes_for"],
        "votes_against": p["votes_against"],
        "cooling_off_until": _iso(p["cooling_off_until"]),
        "quorum_percent": float(p.get("quorum_percent") or 0),
        "voters": p.get("voters"),
        "electorate": p.get("electorate"),
        "outcome_reason": p.get("outcome_reason"),
        "quorum_needed": quorum_for(
            p.get("electorate") or p["members_at_opening"], p.get("quorum_percent")
        ),
    }


def _member_of_chapter(cur, member: dict, chapter_id) -> bool:
    """An active member of the chapter (None: of the organisation, for an admin's recall)."""
    if chapter_id is None:
        return member["status"] == "active"
    return member["status"] == "active" and memberships_store.is_effective_member(
        cur, member["id"], chapter_id
    )


def _members_of(cur, chapter_id) -> int:
    if chapter_id is None:
        return memberships_store.count_active_members(cur)
    return memberships_store.count_active_members_below(cur, chapter_id)


def _event_base(p: dict) -> dict:
    return {
        "petition_id": str(p["id"]),
        "mandate_id": str(p["mandate_id"]),
        "delegate_id": str(p["delegate_id"]),
        "delegate_name": p.get("delegate_name"),
        "role": p.get("role"),
        "chapter_id": _str_or_none(p["chapter_id"]),
        "chapter_name": p.get("chapter_name"),
    }


def _check_threshold(cur, petition_id) -> dict:
    p = existing(recall_store.petition_by_id(cur, petition_id))
    if p["status"] == "open" and p["signatures"] >= p["threshold"]:
        now = _now()
        recall_store.update_petition(
            cur, petition_id, {"status": "threshold_reached", "threshold_at": now}
        )
        emit(
            cur,
            "members.recall.threshold_reached",
            {
                **_event_base(p),
                "reason": p["reason"],
                "signatures": p["signatures"],
                "threshold": p["threshold"],
                "vote_hours": p["vote_hours"],
            },
        )
        p = existing(recall_store.petition_by_id(cur, petition_id))
    return p


def _check_petition_may_open(cur, caller: dict, mandate: dict | None, now: dt.datetime) -> None:
    """Why no recall petition may open against `mandate` now, as an ApiError (else nothing)."""
    if mandate is None:
        raise ApiError(404, "No such mandate.", "not_found")
    if not _member_of_chapter(cur, caller, mandate["chapter_id"]):
        raise ApiError(
            403,
            "Only active members of the chapter this mandate is for (of the organisation, for "
            "an admin) may open a recall petition.",
            "not_a_member",
        )
    if not mandate["active"]:
        raise ApiError(
            409,
            "This mandate has ended (its term is over, or it was revoked or resigned).",
            "mandate_ended",
        )
    if recall_store.live_petition_of(cur, mandate["id"]):
        raise ApiError(
            409,
            "A recall petition against this mandate is already under way; sign that one.",
            "petition_exists",
        )
    until = recall_store.cooling_off_until(cur, mandate["id"], now)
    if until is not None:
        raise ApiError(
            409,
            f"A recall vote kept this mandate; a new petition may open after {until.isoformat()}.",
            "cooling_off",
        )


def open_petition(ctx: MembersContext, identity, mandate_id, reason: str) -> dict:
    with ctx.db.transaction() as cur:
        caller = access.caller(cur, identity)
        mandate = mandates_store.mandate_by_id(cur, mandate_id, for_update=True)
        now = _now()
        _check_petition_may_open(cur, caller, mandate, now)
        assert mandate is not None  # checked above
        rules = _rules(ctx, cur, mandate["chapter_id"])
        members = _members_of(cur, mandate["chapter_id"])
        petition_id = uuid.uuid4()
        recall_store.insert_petition(
            cur,
            {
                "id": petition_id,
                "mandate_id": mandate["id"],
                "chapter_id": mandate["chapter_id"],
                "delegate_id": mandate["member_id"],
                "opened_by": caller["id"],
                "reason": reason,
                "threshold": threshold_for(
                    members, rules["threshold_percent"], rules["threshold_minimum"]
                ),
                "members_at_opening": members,
                "vote_hours": rules["vote_hours"],
                "cooling_off_days": rules["cooling_off_days"],
                "quorum_percent": rules["quorum_percent"],
                "opened_at": now,
                "expires_at": now + dt.timedelta(days=rules["petition_days"]),
            },
        )
        recall_store.add_signature(cur, petition_id, caller["id"])  # who opens it signs it
        p = existing(recall_store.petition_by_id(cur, petition_id))
        audit_store.insert_audit(
            cur,
            action="recall.petition_opened",
            actor_id=caller["id"],
            member_id=mandate["member_id"],
            mandate_id=mandate["id"],
            role=mandate["role"],
            chapter_id=mandate["chapter_id"],
            detail={"petition_id": str(petition_id), "reason": reason},
        )
        emit(
            cur,
            "members.recall.petition_opened",
            {
                **_event_base(p),
                "reason": reason,
                "threshold": p["threshold"],
                "signatures": p["signatures"],
                "expires_at": _iso(p["expires_at"]),
            },
        )
        return petition_view(_check_threshold(cur, petition_id))


def _petition_for_signing(cur, identity, petition_id) -> tuple[dict, dict]:
    caller = access.caller(cur, identity)
    p = recall_store.petition_by_id(cur, petition_id, for_update=True)
    if p is None:
        raise ApiError(404, "No such petition.", "not_found")
    if not _member_of_chapter(cur, caller, p["chapter_id"]):
        raise ApiError(
            403,
            "Only active members of the chapter this mandate is for (of the organisation, for "
            "an admin) may sign its recall petition.",
            "not_a_member",
        )
    if p["status"] != "open" or p["expires_at"] <= _now():
        state = "expired" if p["status"] == "open" else p["status"]
        raise ApiError(
            409,
            f"This petition is {state.replace('_', ' ')}: signatures are closed.",
            "petition_closed",
        )
    return caller, p


def sign(ctx: MembersContext, identity, petition_id) -> dict:
    with ctx.db.transaction() as cur:
        caller, p = _petition_for_signing(cur, identity, petition_id)
        if not recall_store.add_signature(cur, p["id"], caller["id"]):
            raise ApiError(409, "You have signed this petition already.", "already_signed")
        return petition_view(_check_threshold(cur, p["id"]))


def withdraw(ctx: MembersContext, identity, petition_id) -> dict:
    with ctx.db.transaction() as cur:
        caller, p = _petition_for_signing(cur, identity, petition_id)
        if not recall_store.remove_signature(cur, p["id"], caller["id"]):
            raise ApiError(404, "You have not signed this petition.", "not_signed")
        return petition_view(existing(recall_store.petition_by_id(cur, p["id"])))


def get_petition(ctx: MembersContext, petition_id, identity=None) -> dict:
    with ctx.db.transaction() as cur:
        p = recall_store.petition_by_id(cur, petition_id)
        if p is None:
            raise ApiError(404, "No such petition.", "not_found")
        view = petition_view(p)
        if identity is not None:
            view["signed"] = recall_store.has_signed(cur, p["id"], identity.member_id)
        return view


def list_petitions(
    ctx: MembersContext, *, chapter_id=None, mandate_id=None, status=None, limit=50, offset=0
) -> list[dict]:
    with ctx.db.transaction() as cur:
        rows = recall_store.list_petitions(
            cur,
            chapter_id=chapter_id,
            mandate_id=mandate_id,
            status=status,
            limit=limit,
            offset=offset,
        )
    return [petition_view(p) for p in rows]


def get_settings(ctx: MembersContext, chapter_id) -> dict:
    with ctx.db.transaction() as cur:
        access.chapter_or_404(cur, chapter_id)
        return {"chapter_id": str(chapter_id), **_rules(ctx, cur, chapter_id)}


def set_settings(ctx: MembersContext, identity, chapter_id, changes: dict) -> dict:
    with ctx.db.transaction() as cur:
        caller = access.caller(cur, identity)
        access.chapter_or_404(cur, chapter_id)
        if caller["status"] != "active" or not access.may_steward(
            cur, caller["id"], chapter_id, include_self=True
        ):
            raise ApiError(
                403,
                "Only admins and coordinators of this chapter (or one above "
                "it) may set its recall rules.",
                "forbidden",
            )
        own = not access.may_steward(cur, caller["id"], chapter_id, include_self=False)
        values = recall_quorum.settle(
            cur, chapter_id, _rules(ctx, cur, chapter_id), changes, own=own
        )
        recall_store.upsert_recall_settings(cur, chapter_id, values, caller["id"])
        audit_store.insert_audit(
            cur,
            action="recall.settings_changed",
            actor_id=caller["id"],
            chapter_id=chapter_id,
            detail={k: (float(v) if isinstance(v, Decimal) else v) for k, v in values.items()},
        )
        return {"chapter_id": str(chapter_id), **_rules(ctx, cur, chapter_id)}


def expire_due(ctx: MembersContext) -> int:
    """Petitions still open past their deadline expire (the worker calls this periodically)."""
    with ctx.db.transaction() as cur:
        rows = recall_store.expire_petitions(cur, _now())
        for row in rows:
            p = existing(recall_store.petition_by_id(cur, row["id"]))
            emit(
                cur,
                "members.recall.expired",
                {**_event_base(p), "signatures": p["signatures"], "threshold": p["threshold"]},
            )
    return len(rows)


def vote_opened(cur, event: dict) -> None:
    """`polls.recall.opened`: the petition is now being voted on."""
    data = event["data"]
    p = recall_store.petition_by_id(cur, data["petition_id"], for_update=True)
    if p is None:
        log.warning("recall poll for unknown petition %s", data["petition_id"])
        return
    if p["status"] in ("open", "threshold_reached"):
        recall_store.update_petition(
            cur, p["id"], {"status": "voting", "poll_id": str(data["poll_id"])}
        )


def record_outcome(cur, event: dict) -> None:
    """The recall poll closed: revoke the mandate if the recall passed, record the outcome
    either way — once, whatever the redeliveries (the petition's state is the guard)."""
    data = event["data"]
    outcome = data.get("recall") or {}
    p = recall_store.petition_by_id(cur, outcome.get("petition_id"), for_update=True)
    if p is None:
        log.warning("recall outcome for unknown petition %s", outcome.get("petition_id"))
        return
    if p["status"] not in ("threshold_reached", "voting"):
        log.info("recall outcome for petition %s already recorded (%s)", p["id"], p["status"])
        return
    decided_at = _now()
    voters, electorate = int(data.get("voters") or 0), int(data.get("electorate") or 0)
    quorum = quorum_for(electorate, p["quorum_percent"])
    quorum_met = voters >= quorum
    passed = bool(outcome.get("passed")) and quorum_met
    changes = {
        "decided_at": decided_at,
        "poll_id": str(data["poll_id"]),
        "votes_for": int(outcome.get("votes_for") or 0),
        "votes_against": int(outcome.get("votes_against") or 0),
        "voters": voters,
        "electorate": electorate,
    }
    if not quorum_met:
        changes["outcome_reason"] = (
            f"Quorum not met: {voters} of {electorate} members voted, {quorum} needed "
            f"({float(p['quorum_percent']):g}% of the electorate); the mandate is kept."
        )
    elif passed:
        changes["outcome_reason"] = "The recall passed: more votes to recall than to keep."
    else:
        changes["outcome_reason"] = "The recall did not pass: no more votes to recall than to keep."
    if passed:
        changes["status"] = "revoked"
        mandate = existing(mandates_store.mandate_by_id(cur, p["mandate_id"], for_update=True))
        if mandate["revoked_at"] is None:
            reason = f"recalled by the vote of poll {data['poll_id']}"
            mandates_store.revoke_mandate(cur, mandate["id"], None, reason)
            audit_store.insert_audit(
                cur,
                action="mandate.revoked",
                member_id=mandate["member_id"],
                mandate_id=mandate["id"],
                role=mandate["role"],
                chapter_id=mandate["chapter_id"],
                detail={"reason": reason, "petition_id": str(p["id"])},
            )
            emit(cur, "members.mandate.revoked", {**mandate_data(mandate), "reason": reason})
            vacancies.seat_vacated(cur, mandate, "recalled")
    else:
        changes["status"] = "kept"
        changes["cooling_off_until"] = decided_at + dt.timedelta(days=p["cooling_off_days"])
    recall_store.update_petition(cur, p["id"], changes)
    emit(
        cur,
        "members.recall.decided",
        {
            **_event_base(p),
            "poll_id": str(data["poll_id"]),
            "outcome": changes["status"],
            "votes_for": changes["votes_for"],
            "votes_against": changes["votes_against"],
            "cooling_off_until": _iso(changes.get("cooling_off_until")),
            "voters": voters,
            "electorate": electorate,
            "quorum": quorum,
            "quorum_met": quorum_met,
            "outcome_reason": changes["outcome_reason"],
        },
    )
