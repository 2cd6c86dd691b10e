"""The members worker: `python -m services.members.worker`.

Threads: the outbox relay, the consumer of polls' events for delegates and recall
(`delegates_and_recall`: delegate elections and recall votes closing, recall polls opening), a
periodic clean-up of spent tokens and old rate-limit counters, the removal of published
account-mail events from the outbox (their sealed one-time tokens need not rest there), the
expiry of recall petitions, and the end of mandates whose term is over
(`members.mandate.ended`, once each).
"""

from __future__ import annotations

from services.common.bus import Consumer
from services.common.runtime import Runtime, build_runtime
from services.common.worker import Loop, periodic, run_worker
from services.members import delegates, recall, service, store


def loops(runtime: Runtime) -> list[Loop]:
    def clean_up() -> None:
        with runtime.db.transaction() as cur:
            store.prune_rate_counters(cur)
            store.prune_expired_credentials(cur)

    def forget_account_mail() -> None:
        with runtime.db.transaction() as cur:
            store.prune_sent_account_events(cur)

    return [periodic(600.0, clean_up, "members clean-up"),
            periodic(5.0, forget_account_mail, "sent account mail events"),
            periodic(60.0, lambda: recall.expire_due(runtime), "recall petition expiry"),
            periodic(60.0, lambda: service.end_due_mandates(runtime), "mandate terms")]


def delegates_consumer(runtime: Runtime) -> Consumer:
    return Consumer(runtime.db, runtime.transport, "delegates_and_recall", delegates.handlers())


def main() -> None:
    from services.common.logs import configure_logging

    configure_logging("members-worker")
    runtime = build_runtime("members")
    run_worker(runtime, consumers=[delegates_consumer(runtime)], loops=loops(runtime))


if __name__ == "__main__":
    main()
