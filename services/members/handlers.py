"""Consumed events: polls' events about delegates and recall (consumer `delegates_and_recall`).

- `polls.poll.closed`: a delegate election records its winners' mandates
  (service/delegates.py), a coordinator or admin election theirs (service/elections.py); a
  recall vote records its outcome (service/recall.py); every chapter poll is remembered as a
  decision a chapter may cite (service/recall_quorum.py).
- `polls.recall.opened`: the petition is now being voted on.

Each runs in the consumer's transaction and is idempotent (the inbox, and the state it changes,
guard against redeliveries).
"""

from __future__ import annotations

from services.common.bus.handlers import EventHandlers
from services.members.context import MembersContext
from services.members.service import delegates, elections, recall, recall_quorum

DELEGATES_AND_RECALL = EventHandlers("delegates_and_recall")


@DELEGATES_AND_RECALL.on("polls.poll.closed")
def poll_closed(ctx: MembersContext, cur, event: dict) -> None:
    recall_quorum.record_closed_poll(cur, event)
    purpose = event["data"].get("purpose")
    if purpose == "delegate_election":
        delegates.record_election(cur, event)
    elif purpose in elections.ROLES:
        elections.record_election(ctx, cur, event)
    elif purpose == "recall":
        recall.record_outcome(cur, event)


@DELEGATES_AND_RECALL.on("polls.recall.opened")
def recall_opened(_ctx: MembersContext, cur, event: dict) -> None:
    recall.vote_opened(cur, event)
