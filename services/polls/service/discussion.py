"""The discussion of a poll or a proposal: comments and replies, likes and dislikes, mentions,
edits within a window, reports for moderators and hiding with a public reason.

Reads are paged (threads of top-level comments, with a bounded number of replies), so a
discussion of thousands of comments answers as fast as a short one: one page is one query
(`store.comments.discussion_page`) whatever the discussion's size. Under each comment at most
PER_PARENT replies, REPLY_DEPTH levels down, are shown; the rest of a comment's replies are read
as a discussion of their own (`thread=<its id>`), paged the same way, so every reply is reachable.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from services.common.bus import emit
from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.service.rights import can_launch, is_admin, require_active, require_launch
from services.polls.service.rows import present
from services.polls.service.views import iso
from services.polls.store import comments as comments_sql
from services.polls.store import polls as polls_sql
from services.polls.store import proposals as proposals_sql

_COLUMN = {"poll": "poll_id", "proposal": "proposal_id"}
EDIT_MINUTES = 15  # an author may correct a comment for this long after posting it
REPLIES_PER_PAGE = 150  # replies returned with one page of threads, at most
PER_PARENT = 5  # replies shown under one comment; the others on that comment's own page
REPLY_DEPTH = 3  # levels of replies shown under a thread; deeper on the comment's own page
MAX_MENTIONS = 20
# `@AnaGarcia` or `@ana.garcia`: a letter or digit, then letters, digits, dots, underscores.
MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.]{0,59})")


def handle_of(written: str) -> str:
    """How a mention is looked up: lower case, without dots or underscores."""
    return re.sub(r"[._]", "", written.rstrip(".")).lower()


def mentioned(body: str) -> dict[str, str]:
    """Handles written in a text (lookup form → as written), the first twenty."""
    found: dict[str, str] = {}
    for match in MENTION.finditer(body):
        written = match.group(1).rstrip(".")
        found.setdefault(handle_of(written), written)
        if len(found) >= MAX_MENTIONS:
            break
    return found


# --- views ---------------------------------------------------------------------------


def _view(row: dict) -> dict:
    hidden = row["hidden_reason"] is not None
    created = row["created_at"]
    return {
        "id": str(row["id"]),
        "parent_id": str(row["parent_id"]) if row["parent_id"] else None,
        "author_id": row["author_id"],
        "author_name": row.get("author_name"),
        "body": None if hidden else row["body"],
        "created_at": iso(created),
        "edited_at": iso(row.get("edited_at")),
        "editable_until": iso(created + dt.timedelta(minutes=EDIT_MINUTES)),
        "hidden": hidden,
        "hidden_reason": row["hidden_reason"],
        "restored_reason": None if hidden else row.get("restored_reason"),
        "likes": int(row.get("likes") or 0),
        "dislikes": int(row.get("dislikes") or 0),
        "my_reaction": row.get("my_reaction"),
        "reply_count": int(row.get("reply_count") or 0),
        "replies_not_shown": int(row.get("reply_count") or 0),
        "mentions": [] if hidden else list(row.get("mentions") or []),
        "replies": [],
    }


def _one(cur, comment_id, viewer) -> dict:
    return _view(present(comments_sql.comment_view(cur, comment_id, viewer)))


def _subject(cur, kind: str, subject_id) -> dict:
    row = (
        polls_sql.get_poll(cur, subject_id)
        if kind == "poll"
        else proposals_sql.get_proposal(cur, subject_id)
    )
    if row is None:
        raise ApiError(404, f"No such {kind}.")
    return row


def _comment_of(cur, kind, subject_id, comment_id) -> dict:
    _subject(cur, kind, subject_id)
    row = comments_sql.get_comment(cur, comment_id)
    if row is None or row[_COLUMN[kind]] != subject_id:
        raise ApiError(404, "No such comment.")
    return row


# --- reading -------------------------------------------------------------------------


def _named_comment(row: dict | None, kind: str, subject_id, field: str, status: int) -> dict:
    """`row`, the comment an input field names, if it is one of this discussion; else a 4xx
    naming the field."""
    if row is None or row[_COLUMN[kind]] != subject_id:
        raise ApiError(
            status,
            f"{field} is not a comment of this discussion.",
            "validation_failed" if status == 422 else "not_found",
            {field: ["Unknown comment."]},
        )
    return row


def _nest(rows: list[dict]) -> list[dict]:
    """The threads of a page (depth 0, in order), each comment with the replies shown under
    it and how many of its replies are not."""
    views: dict[str, dict] = {}
    threads = []
    for row in rows:
        view = views[str(row["id"])] = _view(row)
        if not row["depth"]:
            threads.append(view)
        elif (parent := views.get(str(row["parent_id"]))) is not None:
            parent["replies"].append(view)
            parent["replies_not_shown"] -= 1
    return threads


def page(ctx: PollsContext, kind: str, subject_id, query: dict, identity=None) -> dict:
    """One page of threads in the chosen order, each with its first replies nested; with
    `thread`, the replies to that comment are the threads (and `thread` is that comment)."""
    viewer = identity.member_id if identity else None
    under = query.get("thread")
    with ctx.db.transaction() as cur:
        subject = _subject(cur, kind, subject_id)
        may_moderate = can_launch(cur, identity, subject["scope_type"], subject["scope_id"])
        threads, total = comments_sql.count_comments(cur, kind, subject_id)
        root = None
        if under is not None:
            row = comments_sql.comment_view(cur, under, viewer)
            root = _view(_named_comment(row, kind, subject_id, "thread", 404))
            threads = root["reply_count"]
        rows = comments_sql.discussion_page(
            cur,
            kind,
            subject_id,
            under,
            {
                **query,
                "per_parent": PER_PARENT,
                "depth": REPLY_DEPTH,
                "replies": REPLIES_PER_PAGE,
            },
            viewer,
        )
    comments = _nest(rows)
    return {
        "comments": comments,
        "thread": root,
        "sort": query["sort"],
        "limit": query["limit"],
        "offset": query["offset"],
        "threads": threads,
        "total": total,
        "more_replies": any(r["replies_not_shown"] for r in _walk(comments)),
        "edit_minutes": EDIT_MINUTES,
        "may_moderate": may_moderate,
    }


def _walk(comments: list[dict]):
    stack = list(comments)
    while stack:
        comment = stack.pop()
        yield comment
        stack.extend(comment["replies"])


def get(ctx: PollsContext, kind: str, subject_id, comment_id, identity=None) -> dict:
    with ctx.db.transaction() as cur:
        _comment_of(cur, kind, subject_id, comment_id)
        return _one(cur, comment_id, identity.member_id if identity else None)


# --- writing -------------------------------------------------------------------------


def _mentions(cur, body: str) -> dict[str, str]:
    written = mentioned(body)
    found = comments_sql.members_by_handle(cur, list(written))
    return {member_id: written[handle] for handle, member_id in found.items()}


def add(ctx: PollsContext, identity, kind: str, subject_id, data: dict) -> dict:
    require_active(identity, "comment")
    with ctx.db.transaction() as cur:
        subject = _subject(cur, kind, subject_id)
        parent_id = data.get("parent_id")
        if parent_id is not None:
            parent = comments_sql.get_comment(cur, parent_id)
            _named_comment(parent, kind, subject_id, "parent_id", 422)
        comment_id = uuid.uuid4()
        comments_sql.insert_comment(
            cur,
            {
                "id": comment_id,
                "poll_id": subject_id if kind == "poll" else None,
                "proposal_id": subject_id if kind == "proposal" else None,
                "parent_id": parent_id,
                "author_id": identity.member_id,
                "body": data["body"],
            },
        )
        mentions = _mentions(cur, data["body"])
        comments_sql.set_mentions(cur, comment_id, mentions)
        _tell(cur, kind, subject, comment_id, identity, set(mentions))
        return _one(cur, comment_id, identity.member_id)


def edit(ctx: PollsContext, identity, kind: str, subject_id, comment_id, body: str) -> dict:
    with ctx.db.transaction() as cur:
        row = _comment_of(cur, kind, subject_id, comment_id)
        if row["author_id"] != identity.member_id:
            raise ApiError(403, "Only its author may edit a comment.", "forbidden")
        if row["hidden_reason"] is not None:
            raise ApiError(409, "A hidden comment cannot be edited.", "comment_hidden")
        if ctx.clock() > row["created_at"] + dt.timedelta(minutes=EDIT_MINUTES):
            raise ApiError(
                409,
                f"A comment can be edited for {EDIT_MINUTES} minutes after it was posted.",
                "edit_window_closed",
            )
        before = {
            m["member_id"]
            for m in comments_sql.mentions_of(cur, [comment_id]).get(str(comment_id), [])
        }
        comments_sql.edit_comment(cur, comment_id, body)
        mentions = _mentions(cur, body)
        comments_sql.set_mentions(cur, comment_id, mentions)
        _tell(
            cur, kind, _subject(cur, kind, subject_id), comment_id, identity, set(mentions) - before
        )
        return _one(cur, comment_id, identity.member_id)


def _tell(cur, kind, subject: dict, comment_id, identity, member_ids: set) -> None:
    """One event for the members newly mentioned (never the author): notify tells them."""
    told = sorted(member_ids - {identity.member_id})
    if not told:
        return
    author = present(comments_sql.comment_view(cur, comment_id, None))
    emit(
        cur,
        "polls.comment.mentioned",
        {
            "comment_id": str(comment_id),
            "subject_type": kind,
            "subject_id": str(subject["id"]),
            "title": subject["title"],
            "author_name": author.get("author_name"),
            "member_ids": told,
        },
    )


def react(ctx: PollsContext, identity, kind, subject_id, comment_id, reaction) -> dict:
    require_active(identity, "react to comments")
    with ctx.db.transaction() as cur:
        _comment_of(cur, kind, subject_id, comment_id)
        comments_sql.react(cur, comment_id, identity.member_id, reaction)
        return _one(cur, comment_id, identity.member_id)


# --- moderation ----------------------------------------------------------------------


def _require_moderator(cur, identity, kind, subject_id) -> None:
    subject = _subject(cur, kind, subject_id)
    require_launch(cur, identity, subject["scope_type"], subject["scope_id"], "moderate")


def hide(ctx: PollsContext, identity, kind, subject_id, comment_id, reason: str) -> dict:
    with ctx.db.transaction() as cur:
        _comment_of(cur, kind, subject_id, comment_id)
        _require_moderator(cur, identity, kind, subject_id)
        comments_sql.hide_comment(cur, comment_id, reason, identity.member_id)
        comments_sql.resolve_reports(cur, comment_id, identity.member_id)
        return _one(cur, comment_id, identity.member_id)


def restore(ctx: PollsContext, identity, kind, subject_id, comment_id, reason: str) -> dict:
    """Show a hidden comment again (moderators), with a public reason shown beside it."""
    with ctx.db.transaction() as cur:
        row = _comment_of(cur, kind, subject_id, comment_id)
        _require_moderator(cur, identity, kind, subject_id)
        if row["hidden_reason"] is None:
            raise ApiError(409, "This comment is not hidden.", "comment_not_hidden")
        comments_sql.restore_comment(cur, comment_id, reason, identity.member_id)
        return _one(cur, comment_id, identity.member_id)


def hidden(ctx: PollsContext, identity, limit: int, offset: int) -> dict:
    """Hidden comments with their reasons, latest hidden first (admins), to restore."""
    with ctx.db.transaction() as cur:
        if not is_admin(cur, identity):
            raise ApiError(403, "Hidden comments are listed for admins.", "forbidden")
        rows = comments_sql.hidden_comments(cur, limit, offset)
        total = comments_sql.count_hidden(cur)
    return {
        "hidden": [
            {
                **_report_view({**r, "reports": 0, "last_reported_at": None, "reasons": []}),
                "hidden_reason": r["hidden_reason"],
                "hidden_at": iso(r["hidden_at"]),
            }
            for r in rows
        ],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def report(ctx: PollsContext, identity, kind, subject_id, comment_id, reason: str) -> dict:
    require_active(identity, "report comments")
    with ctx.db.transaction() as cur:
        row = _comment_of(cur, kind, subject_id, comment_id)
        if row["hidden_reason"] is not None:
            raise ApiError(409, "This comment is already hidden.", "comment_hidden")
        comments_sql.report_comment(cur, comment_id, identity.member_id, reason)
    return {"comment_id": str(comment_id), "reported": True}


def reports(ctx: PollsContext, identity, limit: int, offset: int) -> dict:
    """Comments with open reports (admins)."""
    with ctx.db.transaction() as cur:
        if not is_admin(cur, identity):
            raise ApiError(403, "Reported comments are for admins.", "forbidden")
        rows = comments_sql.reported_comments(cur, limit, offset)
        total = comments_sql.count_reported(cur)
    return {
        "reports": [_report_view(r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def _report_view(row: dict) -> dict:
    kind = "poll" if row["poll_id"] else "proposal"
    return {
        "comment_id": str(row["id"]),
        "subject": {"type": kind, "id": str(row["poll_id"] or row["proposal_id"])},
        "author_id": row["author_id"],
        "author_name": row["author_name"],
        "body": row["body"],
        "created_at": iso(row["created_at"]),
        "hidden": row["hidden_reason"] is not None,
        "reports": int(row["reports"]),
        "last_reported_at": iso(row["last_reported_at"]),
        "reasons": list(row["reasons"] or []),
    }


def dismiss(ctx: PollsContext, identity, comment_id) -> dict:
    """Close a comment's open reports without hiding it (admins)."""
    with ctx.db.transaction() as cur:
        if not is_admin(cur, identity):
            raise ApiError(403, "Reported comments are for admins.", "forbidden")
        if comments_sql.get_comment(cur, comment_id) is None:
            raise ApiError(404, "No such comment.")
        closed = comments_sql.resolve_reports(cur, comment_id, identity.member_id)
    return {"comment_id": str(comment_id), "dismissed": closed}
