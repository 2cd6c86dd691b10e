"""Chapters put matters upward (issue 18; docs/governance.md): a chapter — by its coordinator's
mandate or by a closed poll of its own — asks the level above to hold a delegate poll on a
question. The request is public; the level above opens the delegate poll or refuses with a
public reason, within POLLS_UPWARD_ANSWER_DAYS; past that, an unanswered request is overdue.
Each step is announced, in its transaction, to the members concerned (`polls.upward_request.*`,
events.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.common.auth import Identity
from services.common.bus import emit
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.events import upward_request_data
from services.polls.service import delegates
from services.polls.service.launch import UNKNOWN_CHAPTER
from services.polls.service.questions import check_questions
from services.polls.service.rights import can_launch, require_active
from services.polls.service.rows import present
from services.polls.service.views import iso
from services.polls.store import affected as affected_sql
from services.polls.store import polls as polls_sql
from services.polls.store import replica as replica_sql
from services.polls.store import upward as upward_sql


def request_view(row: dict, now: dt.datetime) -> dict:
    overdue = row["status"] == "pending" and now > row["answer_due_at"]
    answered_late = row["answered_at"] is not None and row["answered_at"] > row["answer_due_at"]
    return {
        "id": str(row["id"]),
        "chapter": {"id": row["chapter_id"], "name": row["chapter_name"]},
        "asks": {"id": row["parent_id"], "name": row["parent_name"]},
        "title": row["title"],
        "text": row["text"],
        "questions": row["questions"],
        "basis": row["basis"],
        "decided_by_poll_id": _str(row["decided_by_poll_id"]),
        "filed_by": row["filed_by"],
        "filed_by_name": row["filed_by_name"],
        "filed_at": iso(row["filed_at"]),
        "answer_due_at": iso(row["answer_due_at"]),
        "status": row["status"],
        "overdue": overdue,
        "answered_late": answered_late,
        "answered_at": iso(row["answered_at"]),
        "answered_by": row["answered_by"],
        "refusal_reason": row["refusal_reason"],
        "poll_id": _str(row["poll_id"]),
    }


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _refuse(field: str, message: str) -> ApiError:
    return ApiError(422, message, "validation_failed", {field: [message]})


def _check_basis(cur: Any, identity: Identity, chapter_id: str, data: dict) -> str | None:
    """Who speaks for the chapter: a closed poll of the chapter (any active member of it may
    then file the request) or, without one, a coordinator's mandate for it."""
    poll_id = data.get("decided_by_poll_id")
    if poll_id is None:
        if not can_launch(cur, identity, "chapter", chapter_id):
            raise ApiError(
                403,
                "Without a closed poll of the chapter (decided_by_poll_id), only its"
                " coordinators may ask the level above.",
                "forbidden",
            )
        return None
    poll = polls_sql.get_poll(cur, poll_id)
    if poll is None or (poll["status"], poll["scope_type"], poll["scope_id"]) != (
        "closed",
        "chapter",
        chapter_id,
    ):
        raise _refuse("decided_by_poll_id", "Not a closed poll of this chapter.")
    grounded = upward_sql.grounded_by(cur, poll_id)
    if grounded is not None:
        raise _refuse(
            "decided_by_poll_id", f"This poll is the basis of request {grounded} already."
        )
    if not replica_sql.active_member_of(cur, identity.member_id, chapter_id):
        raise ApiError(403, "Only active members of the chapter may file its request.", "forbidden")
    return str(poll_id)


def answerers(cur: Any, parent_id: str) -> list[str]:
    """Who is asked to answer: the coordinators of the level asked; where that chapter has
    none, those of the nearest chapter above it that has; where none has, the admins."""
    for chapter_id in affected_sql.chapter_line(cur, parent_id) or [parent_id]:
        found = replica_sql.coordinator_ids(cur, chapter_id)
        if found:
            return found
    return replica_sql.admin_ids(cur)


def askers(cur: Any, row: dict) -> list[str]:
    """Who asked: the asking chapter's coordinators and the member who filed the request."""
    return [*replica_sql.coordinator_ids(cur, row["chapter_id"]), row["filed_by"]]


def file_request(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    require_active(identity, "ask the level above")
    chapter_id = data["chapter_id"]
    check_questions(data["questions"])  # as the delegate poll will check them when opened
    now = ctx.clock()
    with ctx.db.transaction() as cur:
        known, parent_id = upward_sql.parent_of(cur, chapter_id)
        if not known:
            raise _refuse("chapter_id", UNKNOWN_CHAPTER)
        if parent_id is None:
            raise _refuse("chapter_id", "This chapter is at the top: there is no level above.")
        pending = upward_sql.pending_same(cur, chapter_id, data["title"], data["questions"])
        if pending is not None:  # (serialised per chapter from here on)
            raise ApiError(
                409, f"This chapter has asked this already (request {pending}).", "request_pending"
            )
        decided_by = _check_basis(cur, identity, chapter_id, data)
        request_id = uuid.uuid4()
        upward_sql.insert_request(
            cur,
            {
                "id": request_id,
                "chapter_id": chapter_id,
                "parent_id": parent_id,
                "title": data["title"],
                "text": data.get("text") or "",
                "questions": data["questions"],
                "basis": "poll" if decided_by else "mandate",
                "decided_by_poll_id": decided_by,
                "filed_by": identity.member_id,
                "filed_at": now,
                "answer_due_at": now + dt.timedelta(days=ctx.settings.upward_answer_days),
            },
        )
        row = present(upward_sql.get_request(cur, request_id))
        emit(cur, "polls.upward_request.filed", upward_request_data(row, answerers(cur, parent_id)))
        return request_view(row, now)


def list_requests(ctx: PollsContext, filters: dict, limit: int, offset: int) -> list[dict]:
    now = ctx.clock()
    with ctx.db.transaction() as cur:
        return [request_view(r, now) for r in upward_sql.list_requests(cur, filters, limit, offset)]


def get_request(ctx: PollsContext, request_id: Any, identity: Identity | None = None) -> dict:
    with ctx.db.transaction() as cur:
        row = upward_sql.get_request(cur, request_id)
        if row is None:
            raise ApiError(404, "No such request.")
        may_answer = row["status"] == "pending" and can_launch(
            cur, identity, "chapter", row["parent_id"]
        )
        return {**request_view(row, ctx.clock()), "may_answer": may_answer}


def _pending_for(cur: Any, identity: Identity, request_id: Any) -> dict:
    row = upward_sql.get_request(cur, request_id, lock=True)
    if row is None:
        raise ApiError(404, "No such request.")
    if not can_launch(cur, identity, "chapter", row["parent_id"]):
        raise ApiError(
            403, "Only the coordinators of the level asked (or admins) may answer.", "forbidden"
        )
    if row["status"] != "pending":
        raise ApiError(409, f"This request is {row['status']} already.", "answered")
    return row


def refuse(ctx: PollsContext, identity: Identity, request_id: Any, reason: str) -> dict:
    now = ctx.clock()
    with ctx.db.transaction() as cur:
        _pending_for(cur, identity, request_id)
        upward_sql.answer(
            cur,
            request_id,
            {
                "status": "refused",
                "answered_at": now,
                "answered_by": identity.member_id,
                "refusal_reason": reason,
            },
        )
        return _answered(cur, request_id, now)


def _answered(cur: Any, request_id: Any, now: dt.datetime) -> dict:
    """Tell those who asked how the level above answered (in the answer's transaction)."""
    row = present(upward_sql.get_request(cur, request_id))
    view = request_view(row, now)
    emit(
        cur,
        "polls.upward_request.answered",
        upward_request_data(
            row,
            askers(cur, row),
            outcome=row["status"],
            reason=row["refusal_reason"],
            poll_id=view["poll_id"],
            answered_late=view["answered_late"],
        ),
    )
    return view


def open_poll(ctx: PollsContext, identity: Identity, request_id: Any, data: dict) -> dict:
    """Answer by opening the delegate poll the chapter asked for, in the level above. The
    request stays locked while the poll is created, so two answers cannot both open one."""
    with ctx.db.transaction() as cur:
        row = _pending_for(cur, identity, request_id)
        poll = delegates.delegate_poll_in(
            ctx,
            cur,
            identity,
            {
                "chapter_id": row["parent_id"],
                "title": row["title"],
                "text": row["text"],
                "questions": row["questions"],
                "closes_at": data["closes_at"],
                "opens_at": data.get("opens_at"),
            },
        )
        upward_sql.answer(
            cur,
            request_id,
            {
                "status": "opened",
                "answered_at": ctx.clock(),
                "answered_by": identity.member_id,
                "poll_id": poll["id"],
            },
        )
        return _answered(cur, request_id, ctx.clock())


def announce_overdue(ctx: PollsContext) -> int:
    """The scheduler's part: each pending request past its deadline is announced overdue once,
    to the level asked and to those who asked."""
    now = ctx.clock()
    with ctx.db.transaction() as cur:
        due = upward_sql.overdue_unannounced(cur, now)
        for row in due:
            told = [*answerers(cur, row["parent_id"]), *askers(cur, row)]
            emit(cur, "polls.upward_request.overdue", upward_request_data(row, told))
            upward_sql.mark_overdue_announced(cur, row["id"], now)
    return len(due)
