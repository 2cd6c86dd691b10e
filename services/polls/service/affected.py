"""Affected scopes (issue 18; docs/governance.md): a poll may weight the members of the chapters
it affects most, each weight bounded and stated with its reason; members may challenge the
weights while the poll is scheduled, and a challenge reaching the scope's initiative threshold
sets them aside when the poll opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.events import challenge_data
from services.polls.service.rights import require_active
from services.polls.service.thresholds import threshold
from services.polls.service.views import iso, scope_of
from services.polls.store import affected as affected_sql
from services.polls.store import initiative as initiative_sql
from services.polls.store import polls as polls_sql
from services.polls.store import replica as replica_sql


def _refuse(field: str, message: str) -> ApiError:
    return ApiError(422, message, "validation_failed", {field: [message]})


def check_affected(
    ctx: PollsContext, cur: Any, scope: dict, entries: list[dict], opens_at: Any, now: Any
) -> None:
    """Every affected chapter known, listed once and inside the poll's scope; every weight at
    most the configured maximum; and time before opening for members to challenge them."""
    if not entries:
        return
    if scope["type"] == "current":
        raise _refuse("affected", "Only a poll of the organisation or of a chapter may do this.")
    top = ctx.settings.affected_max_weight
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        chapter_id = entry["chapter_id"]
        if entry["weight"] > top:
            raise _refuse(f"affected.{i}.weight", f"A weight is at most {top}.")
        if chapter_id in seen:
            raise _refuse(f"affected.{i}.chapter_id", "This chapter is listed twice.")
        seen.add(chapter_id)
        line = affected_sql.chapter_line(cur, chapter_id)
        if line is None:
            raise _refuse(f"affected.{i}.chapter_id", f"Unknown chapter {chapter_id!r}.")
        if scope["type"] == "chapter" and scope.get("id") not in line[1:]:
            raise _refuse(
                f"affected.{i}.chapter_id",
                "An affected chapter must lie inside the poll's scope (a chapter below it).",
            )
    _time_to_challenge(ctx, opens_at, now)


def _time_to_challenge(ctx: PollsContext, opens_at: Any, now: Any) -> None:
    days = ctx.settings.affected_challenge_days
    if opens_at < now + dt.timedelta(days=days):
        raise _refuse(
            "opens_at",
            f"A poll that weights affected chapters opens at least {days:g} days after it is"
            " created, so that members can challenge the weights.",
        )


def check_new_opening(ctx: PollsContext, cur: Any, poll: dict, opens_at: Any, now: Any) -> None:
    """An edit of a scheduled poll with weights may move its opening later, or earlier only
    while members keep the time to challenge the weights: never to open it at once."""
    if opens_at < poll["opens_at"] and affected_sql.affected_of(cur, poll["id"]):
        _time_to_challenge(ctx, opens_at, now)


def record_affected(cur: Any, poll_id: Any, entries: list[dict]) -> None:
    for entry in entries or []:
        affected_sql.add_affected(
            cur, poll_id, entry["chapter_id"], entry["weight"], entry["reason"]
        )


def weigh_at_opening(ctx: PollsContext, cur: Any, poll: dict) -> None:
    """When the poll opens: weight the affected members, unless the challenge reached its
    threshold, in which case the weights are set aside and every member counts once."""
    if not affected_sql.affected_of(cur, poll["id"]):
        return
    filed = affected_sql.challenges(cur, poll["id"], poll["scope_type"], poll["scope_id"])
    needed = threshold(ctx, cur, poll["scope_type"], poll["scope_id"])["needed"]
    set_aside = len(filed) >= needed
    if set_aside:
        affected_sql.set_aside(cur, poll["id"])
    else:
        affected_sql.weigh_electorate(cur, poll["id"])
    if filed:  # the challenge's outcome, told to those who filed it and those told of it
        told = [*_watchers(cur, poll), *(c["member_id"] for c in filed)]
        outcome = "set_aside" if set_aside else "weights_apply"
        data = challenge_data(poll, scope_of(poll), len(filed), needed, told, outcome=outcome)
        emit(cur, "polls.challenge.decided", data)


def _watchers(cur: Any, poll: dict) -> list[str]:
    """Who hears of challenges to a poll's weights: its creator and the admins."""
    return [poll["created_by"], *replica_sql.admin_ids(cur)]


def weighted_turnout(cur: Any, poll_id: Any, voters: int, voted_weight: int) -> dict:
    """Turnout of a poll whose weights apply, by people and by weight, as delegate polls report
    it: `voters` and `electors` are people, `electorate` stays the electorate's total weight,
    and `turnout` is by weight (as the quorum is counted). {} for any other poll."""
    if not affected_sql.weights_apply(cur, poll_id):
        return {}
    electors = affected_sql.elector_count(cur, poll_id)
    weight = polls_sql.electorate_weight(cur, poll_id)
    by_weight = round(voted_weight / weight, 4) if weight else None
    return {
        "electors": electors,
        "turnout": by_weight,
        "turnout_people": round(voters / electors, 4) if electors else None,
        "turnout_weight": by_weight,
    }


def with_weighted_turnout(cur: Any, poll_id: Any, found: dict) -> dict:
    """A closed poll's results with `weighted_turnout`, read from its counted ballots."""
    voted_weight = affected_sql.counted_weight(cur, poll_id)
    return {**found, **weighted_turnout(cur, poll_id, found.get("voters") or 0, voted_weight)}


def _challenges_view(ctx: PollsContext, cur: Any, poll: dict, identity: Identity | None) -> dict:
    filed = affected_sql.challenges(cur, poll["id"], poll["scope_type"], poll["scope_id"])
    me = identity.member_id if identity else None
    return {
        "challenges": [
            {
                "member_id": c["member_id"],
                "name": c["display_name"],
                "reason": c["reason"],
                "at": iso(c["filed_at"]),
            }
            for c in filed
        ],
        "count": len(filed),
        "threshold": threshold(ctx, cur, poll["scope_type"], poll["scope_id"]),
        "open_to_challenge": poll["status"] == "scheduled",
        "challenged": any(c["member_id"] == me for c in filed),
        "may_challenge": bool(
            me
            and poll["status"] == "scheduled"
            and initiative_sql.member_in_scope(cur, me, poll["scope_type"], poll["scope_id"])
        ),
    }


def _poll(cur: Any, poll_id: Any, *, lock: bool = False) -> dict:
    poll = polls_sql.get_poll(cur, poll_id, lock="share" if lock else None)
    if poll is None:
        raise ApiError(404, "No such poll.")
    return poll


def list_challenges(ctx: PollsContext, poll_id: Any, identity: Identity | None = None) -> dict:
    with ctx.db.transaction() as cur:
        return _challenges_view(ctx, cur, _poll(cur, poll_id), identity)


def file_challenge(ctx: PollsContext, identity: Identity, poll_id: Any, reason: str) -> dict:
    """A member of the poll's scope challenges its weights (once; while it is scheduled)."""
    require_active(identity, "challenge a poll's weights")
    with ctx.db.transaction() as cur:
        poll = _poll(cur, poll_id, lock=True)
        if not affected_sql.affected_of(cur, poll_id):
            raise ApiError(
                409, "This poll weights no chapter: there is nothing to challenge.", "no_weights"
            )
        if poll["status"] != "scheduled":
            raise ApiError(
                409, "The weights can be challenged only before the poll opens.", "not_scheduled"
            )
        if not initiative_sql.member_in_scope(
            cur, identity.member_id, poll["scope_type"], poll["scope_id"]
        ):
            raise ApiError(
                403, "Only active members of the poll's scope may challenge it.", "forbidden"
            )
        if affected_sql.add_challenge(cur, poll_id, identity.member_id, reason, ctx.clock()):
            _announce_challenge(ctx, cur, poll, identity.member_id, reason)
        return _challenges_view(ctx, cur, poll, identity)


def _announce_challenge(
    ctx: PollsContext, cur: Any, poll: dict, member_id: str, reason: str
) -> None:
    filed = affected_sql.challenges(cur, poll["id"], poll["scope_type"], poll["scope_id"])
    needed = threshold(ctx, cur, poll["scope_type"], poll["scope_id"])["needed"]
    name = next((c["display_name"] for c in filed if c["member_id"] == member_id), None)
    data = challenge_data(
        poll,
        scope_of(poll),
        len(filed),
        needed,
        _watchers(cur, poll),
        member_name=name or "",
        reason=reason,
    )
    emit(cur, "polls.challenge.filed", data)
