"""The discussion of a poll or a proposal: comments and replies, likes and dislikes, mentions,
edits within a window, reports for moderators and hiding with a public reason.

Reads are paged (threads of top-level comments, with a bounded number of replies), so a
discussion of thousands of comments answers as fast as a short one.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from services.common.bus.outbox import add_event
from services.common.errors import ApiError
from services.polls import store

EDIT_MINUTES = 15  # an author may correct a comment for this long after posting it
REPLIES_PER_PAGE = 500  # replies returned with one page of threads, at most
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


def _iso(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


class Discussion:
    def __init__(self, polls) -> None:
        self.polls = polls  # the PollsService: database, clock and rights
        self.db = polls.db

    # --- views ---------------------------------------------------------------------------

    def _view(self, row: dict, mentions: list[dict]) -> dict:
        hidden = row["hidden_reason"] is not None
        created = row["created_at"]
        return {
            "id": str(row["id"]),
            "parent_id": str(row["parent_id"]) if row["parent_id"] else None,
            "author_id": row["author_id"],
            "author_name": row.get("author_name"),
            "body": None if hidden else row["body"],
            "created_at": _iso(created),
            "edited_at": _iso(row.get("edited_at")),
            "editable_until": _iso(created + dt.timedelta(minutes=EDIT_MINUTES)),
            "hidden": hidden,
            "hidden_reason": row["hidden_reason"],
            "likes": int(row.get("likes") or 0),
            "dislikes": int(row.get("dislikes") or 0),
            "my_reaction": row.get("my_reaction"),
            "reply_count": int(row.get("reply_count") or 0),
            "mentions": [] if hidden else mentions,
        }

    def _one(self, cur, comment_id, viewer) -> dict:
        row = store.comment_view(cur, comment_id, viewer)
        mentions = store.mentions_of(cur, [comment_id]).get(str(comment_id), [])
        return {**self._view(row, mentions), "replies": []}

    def _subject(self, cur, kind: str, subject_id) -> dict:
        row = store.get_poll(cur, subject_id) if kind == "poll" else store.get_proposal(
            cur, subject_id)
        if row is None:
            raise ApiError(404, f"No such {kind}.")
        return row

    def _comment_of(self, cur, kind, subject_id, comment_id) -> dict:
        self._subject(cur, kind, subject_id)
        row = store.get_comment(cur, comment_id)
        if row is None or row["poll_id" if kind == "poll" else "proposal_id"] != subject_id:
            raise ApiError(404, "No such comment.")
        return row

    # --- reading -------------------------------------------------------------------------

    def page(self, kind: str, subject_id, query: dict, identity=None) -> dict:
        """One page of threads in the chosen order, each with its replies nested."""
        viewer = identity.member_id if identity else None
        with self.db.transaction() as cur:
            subject = self._subject(cur, kind, subject_id)
            may_moderate = self.polls.can_launch(cur, identity, subject["scope_type"],
                                                 subject["scope_id"])
            threads, total = store.count_comments(cur, kind, subject_id)
            tops = store.comment_threads(cur, kind, subject_id, query["sort"], query["limit"],
                                         query["offset"], viewer)
            replies = store.comment_replies(cur, [r["id"] for r in tops],
                                            REPLIES_PER_PAGE + 1, viewer)
            more_replies = len(replies) > REPLIES_PER_PAGE
            replies = replies[:REPLIES_PER_PAGE]
            mentions = store.mentions_of(cur, [r["id"] for r in tops + replies])
        views = {}
        for row in tops + replies:
            views[str(row["id"])] = {**self._view(row, mentions.get(str(row["id"]), [])),
                                     "replies": []}
        for row in replies:
            parent = views.get(str(row["parent_id"]))
            if parent is not None:
                parent["replies"].append(views[str(row["id"])])
        return {
            "comments": [views[str(r["id"])] for r in tops],
            "sort": query["sort"], "limit": query["limit"], "offset": query["offset"],
            "threads": threads, "total": total, "more_replies": more_replies,
            "edit_minutes": EDIT_MINUTES, "may_moderate": may_moderate,
        }

    def get(self, kind: str, subject_id, comment_id, identity=None) -> dict:
        with self.db.transaction() as cur:
            self._comment_of(cur, kind, subject_id, comment_id)
            return self._one(cur, comment_id, identity.member_id if identity else None)

    # --- writing -------------------------------------------------------------------------

    def _mentions(self, cur, body: str) -> dict[str, str]:
        written = mentioned(body)
        found = store.members_by_handle(cur, list(written))
        return {member_id: written[handle] for handle, member_id in found.items()}

    def add(self, identity, kind: str, subject_id, data: dict) -> dict:
        self.polls._require_active(identity, "comment")
        with self.db.transaction() as cur:
            subject = self._subject(cur, kind, subject_id)
            parent_id = data.get("parent_id")
            if parent_id is not None:
                parent = store.get_comment(cur, parent_id)
                if parent is None or parent[
                        "poll_id" if kind == "poll" else "proposal_id"] != subject_id:
                    raise ApiError(422, "parent_id is not a comment of this discussion.",
                                   "validation_failed", {"parent_id": ["Unknown comment."]})
            comment_id = uuid.uuid4()
            store.insert_comment(cur, {
                "id": comment_id,
                "poll_id": subject_id if kind == "poll" else None,
                "proposal_id": subject_id if kind == "proposal" else None,
                "parent_id": parent_id,
                "author_id": identity.member_id,
                "body": data["body"],
            })
            mentions = self._mentions(cur, data["body"])
            store.set_mentions(cur, comment_id, mentions)
            self._tell(cur, kind, subject, comment_id, identity, set(mentions))
            return self._one(cur, comment_id, identity.member_id)

    def edit(self, identity, kind: str, subject_id, comment_id, body: str) -> dict:
        with self.db.transaction() as cur:
            row = self._comment_of(cur, kind, subject_id, comment_id)
            if row["author_id"] != identity.member_id:
                raise ApiError(403, "Only its author may edit a comment.", "forbidden")
            if row["hidden_reason"] is not None:
                raise ApiError(409, "A hidden comment cannot be edited.", "comment_hidden")
            if self.polls.clock() > row["created_at"] + dt.timedelta(minutes=EDIT_MINUTES):
                raise ApiError(409, f"A comment can be edited for {EDIT_MINUTES} minutes after"
                               " it was posted.", "edit_window_closed")
            before = {m["member_id"] for m in store.mentions_of(cur, [comment_id]).get(
                str(comment_id), [])}
            store.edit_comment(cur, comment_id, body)
            mentions = self._mentions(cur, body)
            store.set_mentions(cur, comment_id, mentions)
            self._tell(cur, kind, self._subject(cur, kind, subject_id), comment_id, identity,
                       set(mentions) - before)
            return self._one(cur, comment_id, identity.member_id)

    def _tell(self, cur, kind, subject: dict, comment_id, identity, member_ids: set) -> None:
        """One event for the members newly mentioned (never the author): notify tells them."""
        member_ids = sorted(member_ids - {identity.member_id})
        if not member_ids:
            return
        author = store.comment_view(cur, comment_id, None)
        add_event(cur, "polls.comment.mentioned", {
            "comment_id": str(comment_id), "subject_type": kind,
            "subject_id": str(subject["id"]), "title": subject["title"],
            "author_name": author.get("author_name"), "member_ids": member_ids,
        }, producer="polls")

    def react(self, identity, kind, subject_id, comment_id, reaction) -> dict:
        self.polls._require_active(identity, "react to comments")
        with self.db.transaction() as cur:
            self._comment_of(cur, kind, subject_id, comment_id)
            store.react(cur, comment_id, identity.member_id, reaction)
            return self._one(cur, comment_id, identity.member_id)

    # --- moderation ----------------------------------------------------------------------

    def _require_moderator(self, cur, identity, kind, subject_id) -> None:
        subject = self._subject(cur, kind, subject_id)
        self.polls._require_launch(cur, identity, subject["scope_type"], subject["scope_id"],
                                   "moderate")

    def hide(self, identity, kind, subject_id, comment_id, reason: str) -> dict:
        with self.db.transaction() as cur:
            self._comment_of(cur, kind, subject_id, comment_id)
            self._require_moderator(cur, identity, kind, subject_id)
            store.hide_comment(cur, comment_id, reason, identity.member_id)
            store.resolve_reports(cur, comment_id, identity.member_id)
            return self._one(cur, comment_id, identity.member_id)

    def report(self, identity, kind, subject_id, comment_id, reason: str) -> dict:
        self.polls._require_active(identity, "report comments")
        with self.db.transaction() as cur:
            row = self._comment_of(cur, kind, subject_id, comment_id)
            if row["hidden_reason"] is not None:
                raise ApiError(409, "This comment is already hidden.", "comment_hidden")
            store.report_comment(cur, comment_id, identity.member_id, reason)
        return {"comment_id": str(comment_id), "reported": True}

    def reports(self, identity, limit: int, offset: int) -> dict:
        """Comments with open reports (admins)."""
        with self.db.transaction() as cur:
            if not self.polls._is_admin(cur, identity):
                raise ApiError(403, "Reported comments are for admins.", "forbidden")
            rows = store.reported_comments(cur, limit, offset)
            total = store.count_reported(cur)
        return {"reports": [self._report_view(r) for r in rows], "total": total,
                "limit": limit, "offset": offset}

    @staticmethod
    def _report_view(row: dict) -> dict:
        kind = "poll" if row["poll_id"] else "proposal"
        return {
            "comment_id": str(row["id"]),
            "subject": {"type": kind, "id": str(row["poll_id"] or row["proposal_id"])},
            "author_id": row["author_id"],
            "author_name": row["author_name"],
            "body": row["body"],
            "created_at": _iso(row["created_at"]),
            "hidden": row["hidden_reason"] is not None,
            "reports": int(row["reports"]),
            "last_reported_at": _iso(row["last_reported_at"]),
            "reasons": list(row["reasons"] or []),
        }

    def dismiss(self, identity, comment_id) -> dict:
        """Close a comment's open reports without hiding it (admins)."""
        with self.db.transaction() as cur:
            if not self.polls._is_admin(cur, identity):
                raise ApiError(403, "Reported comments are for admins.", "forbidden")
            if store.get_comment(cur, comment_id) is None:
                raise ApiError(404, "No such comment.")
            closed = store.resolve_reports(cur, comment_id, identity.member_id)
        return {"comment_id": str(comment_id), "dismissed": closed}
