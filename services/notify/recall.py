"""Recall notifications (issue 7): the chapter and the delegate hear of each step.

Steps, one message kind `recall` (templates `recall.*`, with `step` in the context), category
`recall` (members can turn it off per channel like any optional category):
- `members.recall.petition_opened` → step `petition_opened`
- `members.recall.threshold_reached` → step `threshold_reached`
- `polls.recall.opened` → step `vote_opened`
- `members.recall.decided` → step `decided` (outcome `revoked` | `kept`)
- `members.recall.expired` → step `expired` (the petition ran out of time below its threshold)

Audience: the active members of the represented chapter (sub-chapters included) and the
delegate, once each per channel, whatever the redeliveries (one notification per event id).
"""

from __future__ import annotations

from urllib.parse import quote

from services.notify import links, store

KIND = "recall"
CATEGORY = "recall"


def petition_url(public_url: str, petition_id) -> str:
    return f"{public_url.rstrip('/')}/api/v1/recalls/{quote(str(petition_id), safe='')}"


def handlers(settings, strict: bool) -> dict:
    from services.notify.events import announce, format_time

    public_url = settings.public_url

    def context(step: str, data: dict) -> dict:
        return {
            "step": step,
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
            "petition_url": petition_url(public_url, data["petition_id"]),
            "poll_url": links.poll_url(public_url, data["poll_id"]) if data.get("poll_id")
            else "",
        }

    def tell(step: str):
        def handler(cur, event: dict) -> None:
            data = event["data"]
            scope = {"type": "chapter", "id": str(data["chapter_id"])}
            announce(cur, event["id"], KIND, CATEGORY, context(step, data), scope, strict)
            # The delegate hears of it too, even when not (or no longer) in that chapter; the
            # unique (notification, member, channel) keeps it to one message.
            for channel in ("email", "sms"):
                store.fan_out(cur, event["id"], CATEGORY, scope, channel, strict,
                              member_ids=[str(data["delegate_id"])])

        handler.__name__ = f"recall_{step}"
        return handler

    return {
        "members.recall.petition_opened": tell("petition_opened"),
        "members.recall.threshold_reached": tell("threshold_reached"),
        "polls.recall.opened": tell("vote_opened"),
        "members.recall.decided": tell("decided"),
        "members.recall.expired": tell("expired"),
    }
