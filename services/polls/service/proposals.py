"""Proposals: members' drafts of polls, opened as polls by whoever may launch them."""

from __future__ import annotations

import uuid
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service import initiative
from services.polls.service.launch import create_poll, proposal_opens_by, refuse_late_opening
from services.polls.service.questions import check_questions
from services.polls.service.rights import can_launch, require_active, require_launch
from services.polls.service.rows import present
from services.polls.service.views import iso
from services.polls.store import initiative as initiative_sql
from services.polls.store import polls as polls_sql
from services.polls.store import proposals as proposals_sql


def proposal_view(row: dict) -> dict:
    scope = {"type": row["scope_type"]}
    if row["scope_id"] is not None:
        scope["id"] = row["scope_id"]
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "text": row["text"],
        "scope": scope,
        "questions": row["questions"],
        "author_id": row["author_id"],
        "author_name": row.get("author_name"),
        "status": row["status"],
        "poll_id": str(row["poll_id"]) if row["poll_id"] else None,
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "discussion_ends_at": iso(row["discussion_ends_at"]),
        "initiative_opened_at": iso(row["initiative_opened_at"]),
    }


def create_proposal(ctx: PollsContext, identity: Identity, data: dict) -> dict:
    require_active(identity, "draft proposals")
    check_questions(data["questions"])
    proposal_id = uuid.uuid4()
    with ctx.db.transaction() as cur:
        proposals_sql.insert_proposal(
            cur,
            {
                "id": proposal_id,
                "title": data["title"],
                "text": data.get("text") or "",
                "scope_type": data["scope"]["type"],
                "scope_id": data["scope"].get("id"),
                "questions": data["questions"],
                "author_id": identity.member_id,
                "discussion_ends_at": initiative.discussion_end(ctx),
            },
        )
        row = present(proposals_sql.get_proposal(cur, proposal_id))
        # The author is its first supporter, when a member of the scope.
        if initiative_sql.member_in_scope(
            cur, identity.member_id, row["scope_type"], row["scope_id"]
        ):
            initiative_sql.add_supporter(cur, proposal_id, identity.member_id, ctx.clock())
        return proposal_view(row)


def list_proposals(ctx: PollsContext, status: str | None, limit: int, offset: int) -> list[dict]:
    with ctx.db.transaction() as cur:
        return [proposal_view(r) for r in proposals_sql.list_proposals(cur, status, limit, offset)]


def get_proposal(ctx: PollsContext, proposal_id: Any, identity: Identity | None = None) -> dict:
    """One proposal, with whether the caller may open it as a poll (`may_open`), its
    supporters and the threshold that opens it on their strength (member initiative)."""
    with ctx.db.transaction() as cur:
        row = proposals_sql.get_proposal(cur, proposal_id)
        if row is None:
            raise ApiError(404, "No such proposal.")
        may_open = row["status"] == "draft" and can_launch(
            cur, identity, row["scope_type"], row["scope_id"]
        )
        return {
            **proposal_view(row),
            "may_open": may_open,
            **initiative.initiative_view(ctx, cur, row, identity),
        }


def _draft_for(cur: Any, identity: Identity, proposal_id: Any, *, author_only: bool) -> dict:
    row = proposals_sql.get_proposal(cur, proposal_id, lock=True)
    if row is None:
        raise ApiError(404, "No such proposal.")
    mine = row["author_id"] == identity.member_id
    if not mine and (
        author_only or not can_launch(cur, identity, row["scope_type"], row["scope_id"])
    ):
        raise ApiError(403, "Only its author (or whoever may open it) may do this.", "forbidden")
    if row["status"] != "draft":
        raise ApiError(409, f"This proposal is {row['status']}.", "not_draft")
    return row


def update_proposal(ctx: PollsContext, identity: Identity, proposal_id: Any, data: dict) -> dict:
    if "questions" in data:
        check_questions(data["questions"])
    with ctx.db.transaction() as cur:
        before = _draft_for(cur, identity, proposal_id, author_only=True)
        if data:
            proposals_sql.update_proposal(cur, proposal_id, data)
        if "questions" in data and data["questions"] != before["questions"]:
            # Supporters backed other questions: their support does not carry over.
            initiative_sql.clear_supporters(cur, proposal_id, but=identity.member_id)
        return proposal_view(present(proposals_sql.get_proposal(cur, proposal_id)))


def withdraw_proposal(ctx: PollsContext, identity: Identity, proposal_id: Any) -> dict:
    with ctx.db.transaction() as cur:
        _draft_for(cur, identity, proposal_id, author_only=False)
        proposals_sql.update_proposal(cur, proposal_id, {"status": "withdrawn"})
        return proposal_view(present(proposals_sql.get_proposal(cur, proposal_id)))


def open_proposal(ctx: PollsContext, identity: Identity, proposal_id: Any, data: dict) -> dict:
    with ctx.db.transaction() as cur:
        row = proposals_sql.get_proposal(cur, proposal_id)
        if row is None:
            raise ApiError(404, "No such proposal.")
        require_launch(cur, identity, row["scope_type"], row["scope_id"], "open")
        if row["status"] != "draft":
            raise ApiError(409, f"This proposal is {row['status']}.", "not_draft")
        opens_by = proposal_opens_by(ctx)
        refuse_late_opening(data.get("opens_at"), opens_by)
    poll = create_poll(
        ctx,
        identity,
        {
            "title": row["title"],
            "text": row["text"],
            "scope": proposal_view(row)["scope"],
            "questions": row["questions"],
            "closes_at": data["closes_at"],
            "opens_at": data.get("opens_at"),
        },
        proposal_id=proposal_id,
    )
    with ctx.db.transaction() as cur:
        proposals_sql.update_proposal(cur, proposal_id, {"status": "opened", "poll_id": poll["id"]})
        polls_sql.set_opens_by(cur, poll["id"], opens_by)
    return poll
