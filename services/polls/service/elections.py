"""Elections of mandates (issues 7 and 18): a chapter's delegates, a chapter's coordinators, the
organisation's admins. One shape for all three: a poll whose options are candidates, counted
by STV with `seats`; at close `polls.poll.closed` carries `purpose` (`delegate_election`,
`coordinator_election`, `admin_election`) and `election: {chapter_id, seats, term_days, elected:
[member_id, ...], uncontested, electorate}`; members grants the mandates. Uncontested (no more
candidates than seats): elected without a vote, the poll closed at once. Every election goes
through `insert_election`: API launches (`launch`, with `by_election_for` a delegate by-election
for that empty seat) and the by-elections the worker opens (service/vacancies.py).

Who may launch: a delegate election, as before, coordinators of the chapter or above and
admins; a coordinator election, the same, or any active member of the chapter while it has no
coordinator of its own (an interim, appointed one does not count); an admin election, admins,
or any active member while the organisation has no elected admin (an interim one, the
bootstrapped admin's included, does not count). At most one coordinator election per chapter,
and one admin election, is scheduled or open at a time (409 `election_pending` naming it): the
members vote in the one under way. Who votes: the chapter's members
(delegates, coordinators); for admins `ADMIN_ELECTORATE`: every active member (`members`, an
organisation-wide poll) or the delegates of the national level (`delegates`: the electorate of
a delegate poll of the top chapter, weighted by the members each represents).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service import by_elections, rights
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


def _candidates(data: dict) -> tuple[list[str], list[str | None]]:
    """The candidates' member ids and the names given with them (None: none given)."""
    member_ids = [str(c["member_id"]) for c in data["candidates"]]
    given = [c["name"].strip() if c.get("name") else None for c in data["candidates"]]
    if len(set(member_ids)) != len(member_ids):
        raise ApiError(
            422,
            "Each candidate appears once.",
            "validation_failed",
            {"candidates": ["Duplicate candidate."]},
        )
    return member_ids, given


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def ballot_names(cur: Any, member_ids: list[str], given: list[str | None]) -> list[str]:
    """The names on the ballot: each candidate's own display name from the replica of members,
    never a name typed by whoever launches (a ballot saying "Carol" while Dave is elected).
    A name given that is not the member's is refused (422 `candidates.N.name`); two candidates
    of the same name are told apart by the start of their member id."""
    known = replica_sql.member_names(cur, member_ids)
    names = []
    for index, (member_id, name) in enumerate(zip(member_ids, given, strict=True)):
        own = (known.get(member_id) or "").strip()
        if not own:
            message = "This member's name has not reached polls yet; try again shortly."
            raise ApiError(
                422, message, "validation_failed", {f"candidates.{index}.member_id": [message]}
            )
        if name is not None and not _same(name, own):
            message = f"The ballot shows the member's own name: {own}"
            raise ApiError(
                422, message, "validation_failed", {f"candidates.{index}.name": [message]}
            )
        names.append(own)
    twice = {n.casefold() for n in names if sum(m.casefold() == n.casefold() for m in names) > 1}
    return [
        f"{n} ({m[:8]})" if n.casefold() in twice else n
        for n, m in zip(names, member_ids, strict=True)
    ]


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
        if identity.active and not replica_sql.has_elected_admin(cur):
            return  # nobody the members elected holds the right: they need nobody's leave
        raise ApiError(
            403,
            "Admins launch the admin election (any active member may, while the organisation "
            "has no elected admin).",
            "forbidden",
        )
    assert ballot.chapter_id is not None
    if ballot.purpose == "coordinator_election" and rights.can_launch_own_election(
        cur, identity, ballot.chapter_id
    ):
        return
    rights.require_launch(cur, identity, "chapter", ballot.chapter_id)


ELECTION_NAMES = {
    "coordinator_election": "A coordinator election of this chapter",
    "admin_election": "An admin election",
}


def _one_at_a_time(cur: Any, ballot: Ballot) -> None:
    """409 `election_pending` while an election of the same mandates (a chapter's delegates or
    coordinators, the admins) is scheduled or open: two would each supersede the other's
    winners (a form sent twice, two coordinators at once), and nobody floods the members with
    ballots. By-elections are serialised per seat instead."""
    name = ELECTION_NAMES.get(ballot.purpose, "An election for these mandates")
    delegates_sql.lock_election_key(cur, ballot.purpose, ballot.chapter_id)
    pending = delegates_sql.pending_election(cur, ballot.purpose, ballot.chapter_id)
    if pending is not None:
        raise ApiError(
            409,
            f"{name} is {pending['status']} already: “{pending['title']}” (poll "
            f"{pending['poll_id']}). Vote in it; the next one can be launched once it closes.",
            "election_pending",
        )


def _members_choose(ctx: PollsContext, cur: Any, ballot: Ballot, candidates: int, seats: int):
    """422 for an uncontested election (no more candidates than seats: elected without a
    vote) that would supersede mandates members hold now: it may fill an empty role, never
    replace the elected without a ballot."""
    if candidates > seats:
        return
    if ballot.purpose == "admin_election":
        held = replica_sql.has_elected_admin(cur)
    elif ballot.purpose == "coordinator_election":
        held = replica_sql.chapter_has_coordinator(cur, str(ballot.chapter_id))
    else:
        held = bool(delegates_sql.live_delegates_of(cur, str(ballot.chapter_id), ctx.clock()))
    if held:
        message = (
            "Members hold these mandates now: a new election needs more candidates than "
            "seats, so that the members choose."
        )
        raise ApiError(422, message, "validation_failed", {"candidates": [message]})


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


def insert_election(
    ctx: PollsContext,
    cur: Any,
    ballot: Ballot,
    poll: dict,
    candidates: dict[str, str],
    details: dict,
) -> dict:
    """Insert an election poll among `candidates` (name: member id) with `details["seats"]`
    seats, inside the caller's transaction (an API launch, or a by-election opened by the
    worker); uncontested, it is closed at once and every candidate elected; otherwise opened if
    due. The poll's view, with `purpose` and `uncontested`."""
    seats = details.get("seats") or 1
    names = list(candidates)
    uncontested = len(names) <= seats
    role = {"delegate_election": "delegate", "coordinator_election": "coordinator"}.get(
        ballot.purpose, "admin"
    )
    roles = role if seats == 1 else f"{role}s"
    text = poll.get("question") or ballot.question.format(seats=seats, roles=roles)
    question = _question(text, names, seats)
    details = {
        "term_days": DEFAULT_TERM_DAYS,
        **details,
        "seats": seats,
        "candidates": candidates,
        "uncontested": uncontested,
        "electorate": ballot.electorate,
    }
    row = {
        "title": poll["title"],
        "text": poll.get("text") or "",
        "scope_type": ballot.scope_type,
        "scope_id": ballot.scope_id,
        "live_results": False,
        "proposal_id": None,
        "opens_at": poll["opens_at"],
        "closes_at": poll["closes_at"],
        "created_by": poll["created_by"],
    }
    poll_id = insert_poll(ctx, cur, row, [question])
    delegates_sql.insert_purpose(cur, poll_id, ballot.purpose, ballot.chapter_id, details)
    if uncontested:  # nothing to choose: elected without a vote, closed at once
        close_poll(
            ctx, cur, present(polls_sql.get_poll(cur, poll_id, lock="update")), row["created_by"]
        )
    elif row["opens_at"] <= ctx.clock():
        open_poll(ctx, cur, poll_id)
    found = view(ctx, cur, poll_id)
    found["purpose"] = ballot.purpose
    found["uncontested"] = uncontested
    return found


def launch(ctx: PollsContext, identity: Identity, data: dict, ballot: Ballot) -> dict:
    """Create (and open, or for an uncontested one close) an election poll asked for through
    the API; a delegate election with `by_election_for` is a by-election for that empty seat."""
    member_ids, given = _candidates(data)
    opens_at, closes_at = times(data, ctx.clock())
    with ctx.db.transaction() as cur:
        _may_launch(cur, identity, ballot)
        if ballot.chapter_id is not None:
            _known_chapter(cur, ballot.chapter_id)
        if not data.get("by_election_for"):
            _one_at_a_time(cur, ballot)
        _check_candidates(cur, ballot, member_ids)
        names = ballot_names(cur, member_ids, given)
        if not data.get("by_election_for"):
            _members_choose(ctx, cur, ballot, len(names), data.get("seats") or 1)
        details: dict = {"seats": data.get("seats") or 1}
        if data.get("term_days"):
            details["term_days"] = data["term_days"]
        if ballot.purpose == "delegate_election" and data.get("by_election_for"):
            assert ballot.chapter_id is not None
            details.update(by_elections.details_for_seat(ctx, cur, ballot.chapter_id, data))
        poll = {
            "title": data["title"],
            "text": data.get("text"),
            "question": data.get("question"),
            "opens_at": opens_at,
            "closes_at": closes_at,
            "created_by": identity.member_id,
        }
        return insert_election(
            ctx, cur, ballot, poll, dict(zip(names, member_ids, strict=True)), details
        )


def chapter_ballot(purpose: str, chapter_id: str) -> Ballot:
    return Ballot(
        purpose=purpose,
        scope_type="chapter",
        scope_id=chapter_id,
        chapter_id=chapter_id,
        electorate="members",
        question="Elect {seats} {roles} of this chapter",
    )


def create_delegate_election(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    return launch(ctx, identity, data, chapter_ballot("delegate_election", str(data["chapter_id"])))


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
        question="Elect {seats} {roles} of the organisation",
    )
    return launch(ctx, identity, data, ballot)
