"""Delegates and recall in polls (issue 7): delegate polls, recall votes. Delegate elections
(by-elections too) are held like every election, by service/elections.py.

- **Delegate poll** (`POST /api/v1/polls/delegate-polls`): a poll at a higher-level chapter whose
  electorate, fixed when it opens, is the live delegates of its direct child chapters and its own
  direct members (issue 18, service/representation.py): each child chapter's active members
  are split among the seats it elected by largest remainder, a delegate carries one seat's
  weight, an empty seat's weight is reported unrepresented (never redistributed), a direct
  member votes with weight 1. Ballots are roll-call: besides the sealed ballot that is counted,
  every delegate's latest answers are public (`GET /api/v1/polls/{id}/roll-call`, with the
  representation per chapter and turnout by people and weight;
  `GET /api/v1/delegates/{member_id}/votes`), by design; direct members' stay secret.
- **Recall vote**: on `members.recall.threshold_reached` polls opens, by itself, a majority
  poll in the delegate's chapter (`recall` / `keep`, `vote_hours` long, at least
  `POLLS_RECALL_MIN_HOURS`); one per petition whatever the redeliveries; it announces
  `polls.recall.opened` {petition_id, poll_id, mandate_id, delegate_id, chapter_id, closes_at}
  (+ delegate_name, chapter_name). At close `polls.poll.closed` carries `purpose: "recall"` and
  `recall: {petition_id, mandate_id, passed, votes_for, votes_against}` (passed: more weight for
  `recall` than for `keep`).

Consumed (worker consumer `delegates`, handlers/delegates.py): `members.mandate.granted` /
`.revoked` / `.ended` (delegate mandates with their terms; an ended one no longer counts), and
`members.recall.threshold_reached`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service import representation
from services.polls.service.launch import UNKNOWN_CHAPTER, insert_poll, open_poll, times
from services.polls.service.questions import check_question, check_questions
from services.polls.service.rights import require_launch
from services.polls.service.views import iso, view
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql
from services.polls.store import replica as replica_sql

log = logging.getLogger("councils.polls.delegates")

SYSTEM = "system"
RECALL_OPTIONS = ["recall", "keep"]


def _create(
    ctx: PollsContext,
    cur: Any,
    poll: dict,
    questions: list[dict],
    *,
    purpose: str,
    details: dict,
    petition_id: str | None = None,
    open_now: bool = True,
) -> uuid.UUID | None:
    """Insert the poll (a chapter's), its questions, key and purpose; open it now if due. None
    when a recall poll for `petition_id` exists already."""
    poll = {"text": "", "scope_type": "chapter", "live_results": False, "proposal_id": None, **poll}
    poll["text"] = poll["text"] or ""
    poll_id = insert_poll(ctx, cur, poll, questions)
    if not delegates_sql.insert_purpose(
        cur, poll_id, purpose, poll["scope_id"], details, petition_id
    ):
        return None
    if open_now and poll["opens_at"] <= ctx.clock():
        open_poll(ctx, cur, poll_id)
    return poll_id


def _known_chapter(cur: Any, identity: Identity, chapter_id: str) -> None:
    require_launch(cur, identity, "chapter", chapter_id)
    if not replica_sql.chapter_exists(cur, chapter_id):
        raise ApiError(
            422,
            f"Unknown chapter {chapter_id!r}.",
            "validation_failed",
            {"chapter_id": [UNKNOWN_CHAPTER]},
        )


def create_delegate_poll(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    with ctx.db.transaction() as cur:
        return delegate_poll_in(ctx, cur, identity, data)


def delegate_poll_in(ctx: PollsContext, cur: Any, identity: Identity, data: dict) -> dict:
    """`create_delegate_poll` inside the caller's transaction (an upward request answered by
    opening one: the poll and the answer commit together)."""
    chapter_id = str(data["chapter_id"])
    questions = check_questions(data["questions"])
    opens_at, closes_at = times(data, ctx.clock())
    _known_chapter(cur, identity, chapter_id)
    poll_id = _create(
        ctx,
        cur,
        {
            "title": data["title"],
            "text": data.get("text"),
            "scope_id": chapter_id,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "created_by": identity.member_id,
        },
        questions,
        purpose="delegate_poll",
        details={},
    )
    found = view(ctx, cur, poll_id)
    found["purpose"] = "delegate_poll"
    return found


def open_recall_poll(ctx: PollsContext, cur: Any, event: dict) -> uuid.UUID | None:
    """The recall vote for a petition that reached its threshold (idempotent per petition;
    inside the consumer's transaction)."""
    data = event["data"]
    petition_id = str(data["petition_id"])
    delegates_sql.lock_petition_key(cur, petition_id)
    if delegates_sql.recall_poll_of(cur, petition_id) is not None:
        log.info("recall poll for petition %s exists already", petition_id)
        return None
    # an admin's recall (issue 18) belongs to no chapter: the organisation's members vote
    chapter_id = str(data["chapter_id"]) if data.get("chapter_id") else None
    role = data.get("role") or "delegate"
    name = data.get("delegate_name") or f"the {role}"
    chapter_name = data.get("chapter_name") or (
        "the organisation" if chapter_id is None else "this chapter"
    )
    now = ctx.clock()
    hours = max(float(data.get("vote_hours") or 0), ctx.settings.recall_min_hours)
    closes_at = now + dt.timedelta(hours=hours)
    question = check_question(
        "questions[0]",
        {
            "text": f"Recall {name} as {role} of {chapter_name}?",
            "method": "majority",
            "options": list(RECALL_OPTIONS),
        },
    )
    details = {
        "mandate_id": str(data["mandate_id"]),
        "delegate_id": str(data["delegate_id"]),
        "role": role,
        "reason": data.get("reason"),
    }
    poll_id = _create(
        ctx,
        cur,
        {
            "title": f"Recall vote: {name} ({chapter_name})",
            "text": f"A recall petition reached its threshold ({data.get('signatures')} "
            f"signatures). Reason given: {data.get('reason') or ''}",
            "scope_type": "chapter" if chapter_id else "organisation",
            "scope_id": chapter_id,
            "opens_at": now,
            "closes_at": closes_at,
            "created_by": SYSTEM,
        },
        [question],
        purpose="recall",
        details=details,
        petition_id=petition_id,
    )
    if poll_id is None:
        return None
    emit(
        cur,
        "polls.recall.opened",
        {
            "petition_id": petition_id,
            "poll_id": str(poll_id),
            "mandate_id": str(data["mandate_id"]),
            "delegate_id": str(data["delegate_id"]),
            "chapter_id": chapter_id,
            "role": role,
            "delegate_name": data.get("delegate_name"),
            "chapter_name": data.get("chapter_name"),
            "closes_at": closes_at.isoformat(),
        },
    )
    return poll_id


def roll_call(ctx: PollsContext, poll_id: Any) -> dict:
    with ctx.db.transaction() as cur:
        poll = polls_sql.get_poll(cur, poll_id)
        purpose = delegates_sql.poll_purpose(cur, poll_id) if poll else None
        if poll is None or purpose is None or purpose["purpose"] != "delegate_poll":
            raise ApiError(404, "No delegate poll with this id.", "not_found")
        votes = {v["member_id"]: v for v in delegates_sql.public_votes_of_poll(cur, poll_id)}
        electors = []
        for e in delegates_sql.delegate_electors(cur, poll_id):
            vote = votes.get(e["member_id"])
            electors.append(
                {
                    "member_id": e["member_id"],
                    "chapter_id": e["chapter_id"],
                    "members_represented": e["members"],
                    "delegates_of_chapter": e["delegates"],
                    "weight": e["weight"],
                    "voted": vote is not None,
                    "answers": vote["answers"] if vote else None,
                    "cast_at": iso(vote["cast_at"]) if vote else None,
                }
            )
        return {
            "poll_id": str(poll_id),
            "title": poll["title"],
            "status": poll["status"],
            "chapter_id": purpose["chapter_id"],
            "electors": electors,
            **representation.summary(cur, poll_id, electors),
        }


def votes_of(ctx: PollsContext, member_id: str) -> dict:
    with ctx.db.transaction() as cur:
        rows = delegates_sql.public_votes_of_member(cur, member_id)
    return {
        "member_id": member_id,
        "votes": [
            {
                "poll_id": str(r["poll_id"]),
                "title": r["title"],
                "chapter_id": r["chapter_id"],
                "represents": r["represents"],
                "status": r["status"],
                "closes_at": iso(r["closes_at"]),
                "weight": r["weight"],
                "answers": r["answers"],
                "cast_at": iso(r["cast_at"]),
            }
            for r in rows
        ],
    }
