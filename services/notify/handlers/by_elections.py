"""By-election notices (issue 18): the chapter hears that an empty delegate seat is being filled.

One message kind `by_election` (templates `by_election.*`, `step` in the context), category
`recall` (the aftermath of a recall, a resignation or a term's end):
- `polls.by_election.opened` → step `opened` (a vote), or `filled` (elected at once: a single
  candidate, or the next candidate of the original count)
- `polls.by_election.needed` → step `needed` (nobody to stand, or the term is over: the
  chapter's coordinators and members are asked to launch an election)
Audience: the active members of the chapter (sub-chapters included), once per event.
"""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.notify import links
from services.notify.context import NotifyContext
from services.notify.service.announcements import announce, format_time

BY_ELECTIONS = EventHandlers("contacts_and_announcements")

KIND = "by_election"
CATEGORY = "recall"


def by_election_context(public_url: str, event_type: str, data: dict) -> dict:
    if event_type == "polls.by_election.needed":
        step = "needed"
    else:
        step = "filled" if data.get("filled") else "opened"
    return {
        "step": step,
        "reason": data.get("reason") or "",
        "delegate_name": data.get("delegate_name") or "",
        "chapter_name": data.get("chapter_name") or "",
        "closes_at": format_time(data.get("closes_at")),
        "poll_url": links.poll_url(public_url, data["poll_id"]) if data.get("poll_id") else "",
    }


@BY_ELECTIONS.on("polls.by_election.opened", "polls.by_election.needed")
def by_election(ctx: NotifyContext, cur, event: dict) -> None:
    data = event["data"]
    scope = {"type": "chapter", "id": str(data["chapter_id"])}
    context = by_election_context(ctx.settings.public_url, event["type"], data)
    announce(ctx, cur, event["id"], KIND, CATEGORY, context, scope)
