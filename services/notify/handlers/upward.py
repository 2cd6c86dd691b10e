"""Upward requests (issue 18): a chapter asked the level above for a delegate poll.

One message kind `upward_request` (templates `upward_request.*`, `step` in the context):
- `polls.upward_request.filed` → step `filed`, to those asked to answer (category `polls`)
- `polls.upward_request.answered` → step `opened` or `refused`, to those who asked (category
  `polls`); when a poll of the asking chapter decided to ask, to every member of that chapter
- `polls.upward_request.overdue` → step `overdue`, to both sides (category `reminders`)
Polls names the members (`member_ids`: it holds the coordinator mandates); each is told once
per event, as their preferences allow.
"""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.notify import links
from services.notify.context import NotifyContext
from services.notify.service.announcements import CHANNELS, announce, format_time, reach

UPWARD = EventHandlers("contacts_and_announcements")

KIND = "upward_request"
ORGANISATION = {"type": "organisation"}


def upward_context(public_url: str, step: str, data: dict) -> dict:
    poll_id = data.get("poll_id")
    return {
        "step": step,
        "title": data["title"],
        "chapter_name": data.get("chapter_name") or "",
        "parent_name": data.get("parent_name") or "",
        "answer_due_at": format_time(data.get("answer_due_at")),
        "reason": data.get("reason") or "",
        "answered_late": bool(data.get("answered_late")),
        "request_url": links.request_url(public_url, data["request_id"]),
        "poll_url": links.poll_url(public_url, poll_id) if poll_id else "",
    }


@UPWARD.on(
    "polls.upward_request.filed", "polls.upward_request.answered", "polls.upward_request.overdue"
)
def upward_request(ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    step = event["type"].rsplit(".", 1)[1]
    if step == "answered":
        step = data["outcome"]
    category = "reminders" if step == "overdue" else "polls"
    context = upward_context(ctx.settings.public_url, step, data)
    member_ids = [str(m) for m in data["member_ids"]]
    announce(ctx, cur, event["id"], KIND, category, context, ORGANISATION, member_ids=member_ids)
    if step in ("opened", "refused") and data.get("basis") == "poll":
        # The chapter's members decided to ask: they all hear the answer (once each).
        scope = {"type": "chapter", "id": str(data["chapter_id"])}
        for channel in CHANNELS:
            reach(ctx, cur, event["id"], category, scope, channel)
