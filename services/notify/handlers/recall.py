"""Recall notifications (issue 7): the chapter and the delegate hear of each step.

Steps, one message kind `recall` (templates `recall.*`, with `step` in the context), category
`recall` (members can turn it off per channel like any optional category):
- `members.recall.petition_opened` → step `petition_opened`
- `members.recall.threshold_reached` → step `threshold_reached`
- `polls.recall.opened` → step `vote_opened`
- `members.recall.decided` → step `decided` (outcome `revoked` | `kept`)
- `members.recall.expired` → step `expired` (the petition ran out of time below its threshold)

Audience: the active members of the mandate's chapter (sub-chapters included; for an admin's
recall, of the organisation) and the holder, once each per channel, whatever the redeliveries
(one notification per event id).
"""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.notify import links
from services.notify.context import NotifyContext
from services.notify.service.announcements import CHANNELS, announce, format_time, reach

RECALL = EventHandlers("contacts_and_announcements")

KIND = "recall"
CATEGORY = "recall"
STEPS = {
    "members.recall.petition_opened": "petition_opened",
    "members.recall.threshold_reached": "threshold_reached",
    "polls.recall.opened": "vote_opened",
    "members.recall.decided": "decided",
    "members.recall.expired": "expired",
}


def recall_context(public_url: str, step: str, data: dict) -> dict:
    return {
        "step": step,
        "role": data.get("role") or "delegate",  # whose mandate: delegate, coordinator, admin
        "petition_id": str(data["petition_id"]),
        "delegate_name": data.get("delegate_name") or "",
        "chapter_name": data.get("chapter_name") or "",
        "reason": data.get("reason") or "",
        "signatures": data.get("signatures") or 0,
        "threshold": data.get("threshold") or 0,
        "expires_at": format_time(data.get("expires_at")),
        "closes_at": format_time(data.get("closes_at")),
        "outcome": data.get("outcome") or "",
        "votes_for": data.get("votes_for") or 0,
        "votes_against": data.get("votes_against") or 0,
        "petition_url": links.petition_url(public_url, data["petition_id"]),
        "poll_url": links.poll_url(public_url, data["poll_id"]) if data.get("poll_id") else "",
    }


@RECALL.on(*STEPS)
def recall_step(ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    # an admin's recall (issue 18) is the whole organisation's
    chapter_id = data.get("chapter_id")
    scope = {"type": "chapter", "id": str(chapter_id)} if chapter_id else {"type": "organisation"}
    context = recall_context(ctx.settings.public_url, STEPS[event["type"]], data)
    announce(ctx, cur, event["id"], KIND, CATEGORY, context, scope)
    # The delegate hears of it too, even when not (or no longer) in that chapter; the
    # unique (notification, member, channel) keeps it to one message.
    for channel in CHANNELS:
        reach(
            ctx, cur, event["id"], CATEGORY, scope, channel, member_ids=[str(data["delegate_id"])]
        )
