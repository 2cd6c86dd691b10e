"""Events: what polls publishes (with `services.common.bus.emit`, in the transaction of the
change they announce). What it consumes is in handlers/.

- `polls.poll.opened` {poll_id, title, scope, opens_at, closes_at, electorate, invitation_parts}
- `polls.poll.invitations` {poll_id, title, scope, closes_at, member_ids, part, parts}: exactly
  the electorate just fixed, in parts of 1,000 (notify invites these and no one else)
- `polls.poll.closed` {poll_id, title, scope, closed_at, voters, electorate,
  results: [{question_id, text, method, winners, answered}]} (+ purpose, election / recall for
  delegate elections and recall votes: service/purposes.py)
- `polls.poll.closing_soon` {poll_id, title, scope, closes_at, member_ids, page, pages}
  (members of the electorate who have not voted yet, in pages; nothing about any vote)
- `polls.poll.deadline_extended` {poll_id, title, scope, old_closes_at, closes_at, reason}
- `polls.consensus.round_started` {poll_id, question_id, previous_poll_id, title, scope, stage,
  round, text, closes_at}
- `polls.recall.opened` {petition_id, poll_id, mandate_id, delegate_id, chapter_id, closes_at,
  delegate_name, chapter_name}
- `polls.by_election.opened` {poll_id, chapter_id, chapter_name, mandate_id, delegate_name,
  rule, candidates, filled, closes_at} / `polls.by_election.needed` {chapter_id, chapter_name,
  mandate_id, delegate_name, reason ("no_candidates" | "term_over")}: an empty delegate seat
  (service/vacancies.py)
- `polls.comment.mentioned` {comment_id, subject_type, subject_id, title, author_name,
  member_ids}
- Chapters put matters upward (service/upward.py), each with the request's {request_id,
  chapter_id, chapter_name, parent_id, parent_name, title, basis, filed_by_name, answer_due_at,
  member_ids}; `member_ids` are whom notify tells (its preferences still apply):
  - `polls.upward_request.filed`: the coordinators of the level asked (where that chapter has
    none, those of the nearest chapter above it that has; where none has, the admins);
  - `polls.upward_request.answered` (+ outcome "opened" | "refused", reason, poll_id,
    answered_late): the asking chapter's coordinators and the member who filed it (notify
    also tells every member of the asking chapter when a poll of theirs decided to ask);
  - `polls.upward_request.overdue`: both of the above, once, when the scheduler finds the
    request unanswered past `answer_due_at`.
- Challenges to a poll's affected weights (service/affected.py), each {poll_id, title, scope,
  opens_at, count, needed, member_ids}:
  - `polls.challenge.filed` (+ member_name, reason): a member challenged the weights; told: the
    poll's creator and the admins;
  - `polls.challenge.decided` (+ outcome "set_aside" | "weights_apply"): the poll opened with
    challenges filed; told: the creator, the admins and the members who challenged.
"""

from __future__ import annotations

from typing import Any


def upward_request_data(row: dict, member_ids: list[str], **more: Any) -> dict:
    """The data of a `polls.upward_request.*` event from the request's row."""
    return {
        "request_id": str(row["id"]),
        "chapter_id": row["chapter_id"],
        "chapter_name": row["chapter_name"] or "",
        "parent_id": row["parent_id"],
        "parent_name": row["parent_name"] or "",
        "title": row["title"],
        "basis": row["basis"],
        "filed_by_name": row["filed_by_name"] or "",
        "answer_due_at": row["answer_due_at"].isoformat(),
        "member_ids": sorted(set(member_ids)),
        **more,
    }


def challenge_data(
    poll: dict, scope: dict, count: int, needed: int, member_ids: list[str], **more: Any
) -> dict:
    """The data of a `polls.challenge.*` event from the poll's row and scope."""
    return {
        "poll_id": str(poll["id"]),
        "title": poll["title"],
        "scope": scope,
        "opens_at": poll["opens_at"].isoformat(),
        "count": count,
        "needed": needed,
        "member_ids": sorted(set(member_ids)),
        **more,
    }
