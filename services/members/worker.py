"""The members worker: `python -m services.members.worker`.

Threads: the outbox relay (members consumes no events) and a periodic clean-up of spent
tokens and old rate-limit counters.
"""

from __future__ import annotations

from services.common.runtime import Runtime, build_runtime
from services.common.worker import Loop, periodic, run_worker
from services.members import store


def loops(runtime: Runtime) -> list[Loop]:
    def clean_up() -> None:
        with runtime.db.transaction() as cur:
            store.prune_rate_counters(cur)
            store.prune_expired_credentials(cur)

    return [periodic(600.0, clean_up, "members clean-up")]


def main() -> None:
    from services.common.logs import configure_logging

    configure_logging("members-worker")
    runtime = build_runtime("members")
    run_worker(runtime, consumers=[], loops=loops(runtime))


if __name__ == "__main__":
    main()
