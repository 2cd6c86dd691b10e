"""Rate limits at the edge, counted by the `limits` library: every API call counts once against
its client address and once against its member (its address when anonymous).

Called straight from the gateway's before-request hook rather than through flask-limiter: on
the casting path flask-limiter's per-route evaluation (decorator lookups, limit filtering,
request-local state through many context-local proxies) cost the gateway more CPU than the two
counter increments themselves. Fixed windows, as before; `X-RateLimit-*` headers describe the
limit closest to exhaustion and a refusal carries `Retry-After`.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from gateway.limitstore import storage_uri

log = logging.getLogger("councils.gateway.ratelimit")
WARN_EVERY_S = 60.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: RateLimitItem
    remaining: int
    reset_at: float  # epoch seconds at which the window resets

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit.amount),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }

    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - time.time()))

    @property
    def description(self) -> str:
        return str(self.limit)


class EdgeLimits:
    def __init__(self, storage: str, per_ip: str, per_member: str) -> None:
        self.limiter = FixedWindowRateLimiter(storage_from_string(storage_uri(storage)))
        self.per_ip = parse(per_ip)
        self.per_member = parse(per_member)
        self._warned_at = -WARN_EVERY_S

    def check(self, client_ip: str, member_id: str | None) -> Verdict | None:
        """Count one call; the tighter verdict (a refusal first), or None when the counters'
        storage is unreachable (the edge stays open rather than refusing every member)."""
        subject = f"member:{member_id}" if member_id else f"ip:{client_ip}"
        try:
            verdicts = [
                self._hit(self.per_ip, "ip", client_ip),
                self._hit(self.per_member, "member", subject),
            ]
        except Exception:  # noqa: BLE001 - redis down etc.: logged, never a 500 at the edge
            now = time.monotonic()
            if now - self._warned_at >= WARN_EVERY_S:  # once a minute, not once a call
                self._warned_at = now
                log.warning("rate-limit storage unreachable; calls are not limited", exc_info=True)
            return None
        refused = [v for v in verdicts if not v.allowed]
        return (refused or sorted(verdicts, key=lambda v: v.remaining))[0]

    def _hit(self, limit: RateLimitItem, kind: str, key: str) -> Verdict:
        allowed = self.limiter.hit(limit, "edge", kind, key)
        stats = self.limiter.get_window_stats(limit, "edge", kind, key)
        return Verdict(allowed, limit, stats.remaining, stats.reset_time)
