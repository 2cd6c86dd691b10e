"""Rate limits of register, login and reset attempts, counted in the database."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from services.common.errors import ApiError
from services.members.context import MembersContext
from services.members.store import limits as limits_store


def check_rate(
    ctx: MembersContext,
    action: str,
    limits: Iterable[tuple[str, str | None, int]],
    window: int = 60,
) -> None:
    """Count one attempt of `action` against each (kind, key, per window); 429 once over."""
    policy = ctx.policy
    if not policy.rate_limits:
        return
    with ctx.db.transaction() as cur:
        for kind, key, per_minute in limits:
            if not key:
                continue
            hashed = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
            name = (
                f"{action}:{kind}:{hashed}"
                if window == 60
                else f"{action}:{kind}/{window}:{hashed}"
            )
            hits, left = limits_store.hit_rate_counter(cur, name, window)
            if hits > per_minute:
                retry = max(1, int(left + 0.999))
                raise ApiError(
                    429,
                    f"Too many {action} attempts; try again in {retry} s.",
                    "rate_limited",
                    headers={"Retry-After": str(retry)},
                )
        if secrets.randbelow(500) == 0:
            limits_store.prune_rate_counters(cur)
