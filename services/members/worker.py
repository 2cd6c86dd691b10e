"""The members worker: `python -m services.members.worker`.

Threads: the outbox relay, the consumer of polls' events for delegates and recall
(`delegates_and_recall`, handlers.py: delegate elections and recall votes closing, recall polls
opening), a periodic clean-up of spent tokens and old rate-limit counters, the removal of
published account-mail events from the outbox (their sealed one-time tokens need not rest
there), the expiry of recall petitions, the end of mandates whose term is over
(`members.mandate.ended`, once each), and the hourly recount of the kept chapter figures
(correcting and logging any drift).
"""

from __future__ import annotations

from services.common.bus import Consumer
from services.common.worker import Loop, periodic, run_worker
from services.members.context import MembersContext, build_context
from services.members.handlers import DELEGATES_AND_RECALL
from services.members.service import figures, housekeeping, mandates, recall

# The kept figures change with every member; a recount (a second or so at 100,000 members,
# holding back changes of the figures meanwhile) catches whatever drifted.
FIGURES_RECOUNT_SECONDS = 3600.0


def loops(ctx: MembersContext) -> list[Loop]:
    return [
        periodic(600.0, lambda: housekeeping.clean_up(ctx), "members clean-up"),
        periodic(5.0, lambda: housekeeping.forget_account_mail(ctx), "sent account mail events"),
        periodic(60.0, lambda: recall.expire_due(ctx), "recall petition expiry"),
        periodic(60.0, lambda: mandates.end_due_mandates(ctx), "mandate terms"),
        periodic(FIGURES_RECOUNT_SECONDS, lambda: figures.recount(ctx), "chapter figures recount"),
    ]


def delegates_consumer(ctx: MembersContext) -> Consumer:
    return Consumer(
        ctx.db, ctx.transport, DELEGATES_AND_RECALL.consumer, DELEGATES_AND_RECALL.bind(ctx)
    )


def main() -> None:
    from services.common.logs import configure_logging

    configure_logging("members-worker")
    ctx = build_context()
    run_worker(ctx.runtime, consumers=[delegates_consumer(ctx)], loops=loops(ctx))


if __name__ == "__main__":
    main()
