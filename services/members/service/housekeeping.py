"""The worker's periodic clean-ups: spent tokens, old rate counters, published account mail."""

from __future__ import annotations

from services.members.context import MembersContext
from services.members.store import limits as limits_store
from services.members.store import tokens as tokens_store


def clean_up(ctx: MembersContext) -> None:
    with ctx.db.transaction() as cur:
        limits_store.prune_rate_counters(cur)
        tokens_store.prune_expired_credentials(cur)


def forget_account_mail(ctx: MembersContext) -> None:
    """Published account-mail events leave the outbox (their sealed tokens need not rest there)."""
    with ctx.db.transaction() as cur:
        tokens_store.prune_sent_account_events(cur)
