"""What a poll looks like to callers: its view, with questions, deadlines and the caller's
eligibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls import slots
from services.polls.context import PollsContext
from services.polls.service.keys import key_of
from services.polls.store import affected as affected_sql
from services.polls.store import ballots as ballots_sql
from services.polls.store import delegates as delegates_sql
from services.polls.store import polls as polls_sql


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def scope_of(row: dict) -> dict:
    scope = {"type": row["scope_type"]}
    if row.get("scope_id") is not None:
        scope["id"] = row["scope_id"]
    return scope


def question_view(row: dict) -> dict:
    view = {
        "id": str(row["id"]),
        "position": row["position"],
        "text": row["text"],
        "method": row["method"],
        "options": row["options"],
    }
    view.update(row.get("settings") or {})
    return view


def poll_view(poll: dict, questions: list[dict]) -> dict:
    return {
        "id": str(poll["id"]),
        "title": poll["title"],
        "text": poll["text"],
        "scope": scope_of(poll),
        "status": poll["status"],
        "opens_at": iso(poll["opens_at"]),
        "closes_at": iso(poll["closes_at"]),
        "created_by": poll["created_by"],
        "created_at": iso(poll["created_at"]),
        "opened_at": iso(poll["opened_at"]),
        "closed_at": iso(poll["closed_at"]),
        "proposal_id": str(poll["proposal_id"]) if poll["proposal_id"] else None,
        "electorate": poll["electorate"],
        "voters": poll["voters"],
        "counted": poll["counted"],
        "live_results": poll["live_results"],
        "live_results_rule": (
            slots.live_rule(poll["live_batch"]) if poll["live_results"] else None
        ),
        "questions": [question_view(q) for q in questions],
        "edited_at": iso(poll.get("edited_at")),
        "cancelled_at": iso(poll.get("cancelled_at")),
        "cancel_reason": poll.get("cancel_reason"),
    }


def view(
    ctx: PollsContext,
    cur: Any,
    poll_id: Any,
    identity: Identity | None = None,
    questions: list[dict] | None = None,
) -> dict:
    """The poll's view inside the caller's transaction (404 if there is no such poll)."""
    poll = polls_sql.get_poll(cur, poll_id)
    if poll is None:
        raise ApiError(404, "No such poll.")
    if questions is None:
        questions = polls_sql.get_questions(cur, poll_id)
    found = poll_view(poll, questions)
    found["deadline_changes"] = [
        {
            "from": iso(c["old_closes_at"]),
            "to": iso(c["new_closes_at"]),
            "reason": c["reason"],
            "by": c["changed_by"],
            "at": iso(c["changed_at"]),
        }
        for c in polls_sql.deadline_changes(cur, poll_id)
    ]
    found["affected"] = affected_view(cur, poll_id)
    if poll["status"] == "open":
        found["voters"] = ballots_sql.open_voters(cur, poll_id)
    purpose = delegates_sql.poll_purpose(cur, poll_id)
    found["purpose"] = purpose["purpose"] if purpose else None
    if identity is not None:
        found["eligible"] = polls_sql.elector_weight(cur, poll_id, identity.member_id) is not None
        found["voted"] = has_voted(ctx, cur, poll, identity.member_id)
    return found


def affected_view(cur: Any, poll_id: Any) -> list[dict]:
    """The chapters the poll weights more heavily, each with its weight and reason (issue 18);
    `set_aside` when a challenge reached its threshold before the poll opened."""
    return [
        {
            "chapter_id": row["chapter_id"],
            "chapter_name": row["chapter_name"],
            "weight": row["weight"],
            "reason": row["reason"],
            "set_aside": row["set_aside"],
        }
        for row in affected_sql.affected_of(cur, poll_id)
    ]


def has_voted(ctx: PollsContext, cur: Any, poll: dict, member_id: str) -> bool:
    if polls_sql.roll_entry(cur, poll["id"], member_id) is not None:
        return True  # closed, or sealed the old way
    if poll["status"] != "open":
        return False
    key = key_of(ctx, cur, poll["id"])
    return (
        key is not None
        and ballots_sql.slot_sealed(cur, poll["id"], key.slot(key.receipt(member_id))) is not None
    )


def get_poll(ctx: PollsContext, poll_id: Any, identity: Identity | None = None) -> dict:
    with ctx.db.transaction() as cur:
        return view(ctx, cur, poll_id, identity)


def list_polls(
    ctx: PollsContext,
    *,
    status: str | None = None,
    scope_type: str | None = None,
    scope_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
    title: str | None = None,
    method: str | None = None,
    purpose: str | None = None,
) -> list[dict]:
    with ctx.db.transaction() as cur:
        polls = polls_sql.list_polls(
            cur,
            status=status,
            scope_type=scope_type,
            scope_id=scope_id,
            limit=limit,
            offset=offset,
            title=title,
            method=method,
            purpose=purpose,
        )
        questions = polls_sql.questions_for(cur, [p["id"] for p in polls])
        return [poll_view(p, questions.get(p["id"], [])) for p in polls]
