"""Polls announced to their electorate: opened, closing soon, closed; mentions in comments."""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.notify import links
from services.notify.context import NotifyContext
from services.notify.service.announcements import announce, format_time

POLLS = EventHandlers("contacts_and_announcements")


def poll_context(public_url: str, data: dict) -> dict:
    election = data.get("election") or {}
    return {
        "poll_id": str(data["poll_id"]),
        "title": data["title"],
        "closes_at": format_time(data.get("closes_at")),
        "poll_url": links.poll_url(public_url, data["poll_id"]),
        "results_url": links.results_url(public_url, data["poll_id"]),
        # an election with no more candidates than seats: no vote, so no count to look at
        "elected_unopposed": list(election.get("elected_names") or [])
        if election.get("uncontested")
        else [],
    }


def _announce_poll(
    ctx: NotifyContext,
    cur,
    event: dict,
    kind: str,
    category: str,
    member_ids: list | None = None,
) -> None:
    """The one announcement of a poll: its context, to its scope or to `member_ids`."""
    data = event["data"]
    context = poll_context(ctx.settings.public_url, data)
    scope = data.get("scope") or {}
    announce(ctx, cur, event["id"], kind, category, context, scope, member_ids=member_ids)


@POLLS.on("polls.poll.opened")
def poll_opened(ctx: NotifyContext, cur, event: dict) -> None:
    if event["data"].get("invitation_parts") is not None:
        return  # `polls.poll.invitations` name exactly whom to invite (none: no one)
    _announce_poll(ctx, cur, event, "poll_opened", "polls")


@POLLS.on("polls.poll.invitations")
def poll_invitations(ctx: NotifyContext, cur, event: dict) -> None:
    """Invite exactly the electorate polls fixed, never members of notify's own replica."""
    _announce_poll(ctx, cur, event, "poll_opened", "polls", event["data"]["member_ids"])


@POLLS.on("polls.poll.closing_soon")
def poll_closing_soon(ctx: NotifyContext, cur, event: dict) -> None:
    # Only polls knows who has not voted yet; when it says so, remind only them.
    member_ids = event["data"].get("member_ids")
    _announce_poll(ctx, cur, event, "poll_closing_soon", "reminders", member_ids)


@POLLS.on("polls.poll.closed")
def poll_closed(ctx: NotifyContext, cur, event: dict) -> None:
    _announce_poll(ctx, cur, event, "poll_closed", "results")


@POLLS.on("polls.comment.mentioned")
def comment_mentioned(ctx: NotifyContext, cur, event: dict) -> None:
    """The members named in a comment hear of it (category `polls`, their own only)."""
    data = event["data"]
    context = {
        "title": data["title"],
        "author_name": data.get("author_name") or "",
        "comment_url": links.comment_url(
            ctx.settings.public_url, data["subject_type"], data["subject_id"], data["comment_id"]
        ),
    }
    announce(
        ctx,
        cur,
        event["id"],
        "mention",
        "polls",
        context,
        {"type": "organisation"},
        member_ids=[str(m) for m in data["member_ids"]],
    )
