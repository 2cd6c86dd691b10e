"""What the polls service needs of a poll's sealed slots beyond SQL: the context of a cast or a
change, who voted (computed under the key at close), the live-results rule."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from services.polls.secrecy import PollKey

SEALED_BY_ROLL = 1  # polls opened before migration 006: roll + sealed row at each cast
LIVE_BATCH_DEFAULT = 10
LIVE_BATCH_MINIMUM = 2


@dataclass(frozen=True)
class BallotContext:
    clean: list
    weight: int
    key: PollKey
    purpose: str | None
    sealing: int
    size: int  # bytes of every padded plaintext of this poll


def voters_in_slots(key: PollKey, electors: list[str], slots: set[bytes]) -> list[str]:
    """The electors whose slot is filled: the roll, recomputed under the key (at close)."""
    return [m for m in electors if key.slot(key.receipt(m)) in slots]


def counting_rows(ballots: list[dict]) -> list[dict]:
    """Ballots as count_poll takes them, each under a throwaway token (consensus responses are
    keyed by it in the published rounds): nothing a receipt could find."""
    return [
        {"receipt_hash": secrets.token_hex(12), "answers": b["a"], "weight": int(b["w"])}
        for b in ballots
    ]


def live_rule(batch: int) -> dict:
    return {
        "kind": "batches",
        "min_new_voters": batch,
        "description": (
            f"Live results are published only once at least {batch} members have voted, and "
            f"refreshed only after at least {batch} more have voted since the last refresh "
            "(changes of vote are only shown with such a batch): no single vote can be told "
            "from two readings."
        ),
    }
