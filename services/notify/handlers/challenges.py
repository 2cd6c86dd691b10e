"""Challenges to the weights a poll gives its most affected chapters (issue 18).

One message kind `challenge` (templates `challenge.*`, `step` in the context), category
`polls`, to the members polls names (`member_ids`), once per event:
- `polls.challenge.filed` → step `filed`: the poll's creator and the admins
- `polls.challenge.decided` → step `set_aside` or `weights_apply`, when the poll opened with
  challenges filed: the creator, the admins and the members who challenged
"""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.notify import links
from services.notify.context import NotifyContext
from services.notify.service.announcements import announce, format_time

CHALLENGES = EventHandlers("contacts_and_announcements")

KIND = "challenge"
CATEGORY = "polls"


def challenge_context(public_url: str, step: str, data: dict) -> dict:
    return {
        "step": step,
        "title": data["title"],
        "member_name": data.get("member_name") or "",
        "reason": data.get("reason") or "",
        "count": int(data["count"]),
        "needed": int(data["needed"]),
        "opens_at": format_time(data.get("opens_at")),
        "challenges_url": links.challenges_url(public_url, data["poll_id"]),
    }


@CHALLENGES.on("polls.challenge.filed", "polls.challenge.decided")
def challenge(ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    step = "filed" if event["type"] == "polls.challenge.filed" else data["outcome"]
    context = challenge_context(ctx.settings.public_url, step, data)
    member_ids = [str(m) for m in data["member_ids"]]
    announce(ctx, cur, event["id"], KIND, CATEGORY, context, {"type": "organisation"}, member_ids)
