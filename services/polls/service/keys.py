"""Polls' keys (derived from SECRET_KEY or a previous one) and the sealed ballots they open."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from services.common.errors import ApiError
from services.polls.context import PollsContext
from services.polls.secrecy import KeyUnavailable, PollKey, poll_key
from services.polls.store import ballots as ballots_sql
from services.polls.store import polls as polls_sql

log = logging.getLogger("councils.polls")


def derive(ctx: PollsContext, poll_id: Any, salt: bytes, check: bytes | None) -> PollKey:
    try:
        return poll_key(ctx.secret_keys, poll_id, salt, check)
    except KeyUnavailable:
        log.error(
            "poll %s: none of the configured secrets made its key (SECRET_KEY was "
            "rotated; put the old one in SECRET_KEY_PREVIOUS)",
            poll_id,
        )
        raise ApiError(
            503,
            "This poll's key cannot be derived: SECRET_KEY changed while the poll was "
            "open. Nothing was recorded; the operators must restore the previous secret "
            "(SECRET_KEY_PREVIOUS).",
            "poll_key_unavailable",
        ) from None


def key_of(ctx: PollsContext, cur: Any, poll_id: Any) -> PollKey | None:
    stored = polls_sql.poll_salt(cur, poll_id)
    return None if stored is None else derive(ctx, poll_id, *stored)


def latest_sealed(
    ctx: PollsContext,
    cur: Any,
    poll_id: Any,
    read_sealed: Callable[[Any, Any], list[bytes]] = ballots_sql.read_sealed,
) -> list[dict]:
    """Each voter's latest sealed ballot (a changed vote supersedes a row sealed the old
    way), opened with the poll's key; `read_sealed` reads (or takes) the sealed rows."""
    key = key_of(ctx, cur, poll_id)
    if key is None:
        return []
    latest: dict[str, dict] = {}
    for sealed in read_sealed(cur, poll_id):
        ballot = key.open(sealed)
        known = latest.get(ballot["r"])
        if known is None or ballot["v"] > known["v"]:
            latest[ballot["r"]] = ballot
    return list(latest.values())
