"""The threshold of a scope's active members that member initiative (and a challenge to a
poll's affected weights) must reach (docs/governance.md)."""

from __future__ import annotations

import math
from typing import Any

from services.polls.context import PollsContext
from services.polls.store import initiative as initiative_sql


def threshold(ctx: PollsContext, cur: Any, scope_type: str, scope_id: str | None) -> dict:
    """The supporters a proposal of this scope needs now: ⌈share × active members⌉, at least
    the minimum; a chapter's own rule (set by its poll) replaces the organisation's default."""
    share, minimum = ctx.settings.initiative_share, ctx.settings.initiative_minimum
    rule = (
        initiative_sql.chapter_threshold(cur, scope_id)
        if scope_type == "chapter" and scope_id
        else None
    )
    if rule is not None:
        share, minimum = float(rule["share"]), rule["minimum"]
    active = initiative_sql.active_in_scope(cur, scope_type, scope_id)
    return {
        "share": share,
        "minimum": minimum,
        "active_members": active,
        "needed": max(minimum, math.ceil(share * active - 1e-9)),
        "decided_by_poll_id": str(rule["decided_by_poll_id"]) if rule else None,
    }
