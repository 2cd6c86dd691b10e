"""Elections of mandates (issues 7 and 18): a chapter's delegates, a chapter's coordinators, the
organisation's admins. One shape for all three: a poll whose options are candidates, counted
by STV with `seats`; at close `polls.poll.closed` carries `purpose` (`delegate_election`,
`coordinator_election`, `admin_election`) and `election: {chapter_id, seats, term_days, elected:
[member_id, ...], uncontested, electorate}`; members grants the mandates. Uncontested (no more
candidates than seats): elected without a vote, the poll closed at once.

Who may launch: a delegate election, as before, coordinators of the chapter or above and
admins; a coordinator election, the same, or any active member of the chapter while it has no
coordinator of its own; an admin election, admins, or any active member while the organisation
has no admin. Who votes: the chapter's members (delegates, coordinators); for admins
`ADMIN_ELECTORATE`: every active member (`members`, an organisation-wide poll) or the delegates
of the national level (`delegates`: the electorate of a delegate poll of the top chapter,
weighted by the members each represents).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service import rights
from services.polls.service.closing import close_poll
from services.polls.service.launch import UNKNOWN_CHAPTER, insert_poll, open_poll, times
from services.polls.service.purposes import DEFAULT_TERM_DAYS
from services.polls.service.questions import check_questions
from services.polls.service.rows import present
from services.polls.service.views import view
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql
from services.polls.store import replica as replica_sql


@dataclasses.dataclass(frozen=True)
class Ballot:
    """Where an election is held and who votes in it."""

    purpose: str
    scope_type: str  # "chapter" | "organisation"
    scope_id: str | None  # the poll's scope
    chapter_id: str | None  # the chapter the mandates are for (None: the organisation)
    electorate: str  # "members" | "delegates"
    question: str


def _candidates(data: dict) -> tuple[list[str], list[str]]:
    names = [c["name"].strip() for c in data["candidates"]]
    member_ids = [str(c["member_id"]) for c in data["candidates"]]
    if len(set(names)) != len(names) or len(set(member_ids)) != len(member_ids):
        raise ApiError(
            422,
            "Each candidate appears once, under a name of their own.",
            "validation_failed",
            {"candidates": ["Duplicate candidate or name."]},
        )
    return names, member_ids


def _question(text: str, names: list[str], seats: int) -> dict:
    if len(names) <= seats:  # uncontested: nothing to vote on, so nothing to check
        return {"text": text, "method": "stv", "options": names, "settings": {"seats": len(names)}}
    [question] = check_questions(
        [{"text": text, "method": "stv", "options": names, "seats": seats}]
    )
    return question


def _known_chapter(cur: Any, chapter_id: str) -> None:
    if not replica_sql.chapter_exists(cur, chapter_id):
        raise ApiError(
            422,
            f"Unknown chapter {chapter_id!r}.",
            "validation_failed",
            {"chapter_id": [UNKNOWN_CHAPTER]},
        )


def _may_launch(cur: Any, identity: Identity, ballot: Ballot) -> None:
    """Refuse (403) a caller who may not launch this election."""
    if ballot.purpose == "admin_election":
        if rights.is_admin(cur, identity):
            return
        if identity.active and not replica_sql.any_admin_mandate(cur):
            return  # nobody holds the right: the members take it back
        raise ApiError(
            403,
            "Admins launch the admin election (any active member may, while nobody holds an "
            "admin mandate).",
            "forbidden",
        )
    assert ballot.chapter_id is not None
    if ballot.purpose == "coordinator_election" and rights.can_launch_own_election(
        cur, identity, ballot.chapter_id
    ):
        return
    rights.require_launch(cur, identity, "chapter", ballot.chapter_id)


def _check_candidates(cur: Any, ballot: Ballot, member_ids: list[str]) -> None:
    for index, member_id in enumerate(member_ids):
        if ballot.chapter_id is not None:
            eligible = replica_sql.active_member_of(cur, member_id, ballot.chapter_id)
        else:
            eligible = replica_sql.member_status(cur, member_id) == "active"
        if not eligible:
            where = "of the chapter" if ballot.chapter_id else "of the organisation"
            raise ApiError(
                422,
                f"Candidates are active members {where}.",
                "validation_failed",
                {f"candidates[{index}].member_id": ["Not an active member here."]},
            )


def launch(ctx: PollsContext, identity: Identity, data: dict, ballot: Ballot) -> dict:
    """Create (and open, or for an uncontested one close) an election poll."""
    names, member_ids = _candidates(data)
    seats = data.get("seats") or 1
    uncontested = len(member_ids) <= seats
    question = _question(data.get("question") or ballot.question.format(seats=seats), names, seats)
    opens_at, closes_at = times(data, ctx.clock())
    with ctx.db.transaction() as cur:
        _may_launch(cur, identity, ballot)
        if ballot.chapter_id is not None:
            _known_chapter(cur, ballot.chapter_id)
        _check_candidates(cur, ballot, member_ids)
        poll = {
            "title": data["title"],
            "text": data.get("text") or "",
            "scope_type": ballot.scope_type,
            "scope_id": ballot.scope_id,
            "live_results": False,
            "proposal_id": None,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "created_by": identity.member_id,
        }
        poll_id = insert_poll(ctx, cur, poll, [question])
        details = {
            "seats": seats,
            "term_days": data.get("term_days") or DEFAULT_TERM_DAYS,
            "candidates": dict(zip(names, member_ids, strict=True)),
            "uncontested": uncontested,
            "electorate": ballot.electorate,
        }
        delegates_sql.insert_purpose(cur, poll_id, ballot.purpose, ballot.chapter_id, details)
        if uncontested:  # nothing to choose: elected without a vote, closed at once
            close_poll(
                ctx,
                cur,
                present(polls_sql.get_poll(cur, poll_id, lock="update")),
                identity.member_id,
            )
        elif opens_at <= ctx.clock():
            open_poll(ctx, cur, poll_id)
        found = view(ctx, cur, poll_id)
        found["purpose"] = ballot.purpose
        found["uncontested"] = uncontested
        return found


def chapter_ballot(purpose: str, chapter_id: str) -> Ballot:
    role = "delegate" if purpose == "delegate_election" else "coordinator"
    return Ballot(
        purpose=purpose,
        scope_type="chapter",
        scope_id=chapter_id,
        chapter_id=chapter_id,
        electorate="members",
        question=f"Elect {{seats}} {role}(s) of this chapter",
    )


def create_coordinator_election(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    return launch(
        ctx, identity, data, chapter_ballot("coordinator_election", str(data["chapter_id"]))
    )


def create_admin_election(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    electorate = ctx.settings.admin_electorate
    top = None
    if electorate == "delegates":
        with ctx.db.transaction() as cur:
            tops = replica_sql.top_chapters(cur)
        if len(tops) != 1:
            raise ApiError(
                409,
                "Admins are elected by the delegates of the national level "
                "(ADMIN_ELECTORATE=delegates), which needs exactly one top chapter; there are "
                f"{len(tops)}.",
                "no_top_chapter",
            )
        top = tops[0]
    ballot = Ballot(
        purpose="admin_election",
        scope_type="chapter" if top else "organisation",
        scope_id=top,
        chapter_id=None,
        electorate=electorate,
        question="Elect {seats} admin(s) of the organisation",
    )
    return launch(ctx, identity, data, ballot)
