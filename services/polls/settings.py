"""Everything the polls service reads from its environment, read once per process.

Besides the shared variables (services/common/config.py):
- `POLLS_SCHEDULER_INTERVAL` seconds between scheduler turns (default 2);
- `POLLS_CLOSING_SOON_HOURS` how long before closing polls are announced as closing soon
  (default 24);
- `POLLS_SCRUB_INTERVAL` seconds between VACUUMs of the tables that held keys and sealed
  ballots (default 300, at least 1);
- `POLLS_LIVE_RESULTS_BATCH` live results are refreshed only after that many new voters
  (default 10, at least 2; docs/security.md);
- `POLLS_RECALL_MIN_HOURS` the shortest recall vote, whatever the petition asks (default 1);
- `POLLS_OPEN_MAX_WAIT` seconds a due poll may wait for a lagging electorate replica
  (default 600);
- `ADMIN_ELECTORATE` who elects the admins: `members` (an organisation-wide poll, default) or
  `delegates` (the delegates of the national level, weighted like a delegate poll of the top
  chapter); members reads the same variable.
- member initiative (docs/governance.md): `POLLS_INITIATIVE_SHARE` share of the scope's active
  members whose support opens a proposal (default 0.05), `POLLS_INITIATIVE_MINIMUM` but never
  fewer supporters than this (default 3, at least 1), `POLLS_INITIATIVE_DISCUSSION_DAYS` a
  proposal's discussion period (default 7), `POLLS_INITIATIVE_POLL_DAYS` how long the poll it
  opens stays open (default 14);
- affected scopes: `POLLS_AFFECTED_MAX_WEIGHT` the largest weight a poll may give an affected
  chapter (default 3, between 2 and 5), `POLLS_AFFECTED_CHALLENGE_DAYS` how long before it opens
  such a poll must be created, so that members can challenge the weights (default 3, at least 0);
- chapters put matters upward: `POLLS_UPWARD_ANSWER_DAYS` how long the level above has to answer
  a chapter's request for a delegate poll (default 30);
- `POLLS_PROPOSAL_OPEN_MAX_DAYS` how far ahead a poll opened from a members' proposal may be
  scheduled to open, counted from when it was opened from the proposal (default 30, at least 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.common import config
from services.common.config import ConfigError, Settings, admin_electorate, env_float, env_int
from services.polls.slots import LIVE_BATCH_DEFAULT, LIVE_BATCH_MINIMUM

AFFECTED_WEIGHT_CEILING = 5  # issue 18: an affected chapter's weight never exceeds this


@dataclass(frozen=True)
class PollsSettings:
    common: Settings
    scheduler_interval: float = 2.0
    closing_soon_hours: float = 24.0
    scrub_interval: int = 300
    live_results_batch: int = LIVE_BATCH_DEFAULT
    recall_min_hours: float = 1.0
    open_max_wait: float = 600.0
    admin_electorate: str = "members"
    initiative_share: float = 0.05
    initiative_minimum: int = 3
    initiative_discussion_days: float = 7.0
    initiative_poll_days: float = 14.0
    affected_max_weight: int = 3
    affected_challenge_days: float = 3.0
    upward_answer_days: float = 30.0
    proposal_open_max_days: float = 30.0


def from_common(common: Settings) -> PollsSettings:
    """The polls settings from the environment the shared settings were read from."""
    env = common.extra
    return PollsSettings(
        common=common,
        scheduler_interval=env_float(env, "POLLS_SCHEDULER_INTERVAL", 2.0),
        closing_soon_hours=env_float(env, "POLLS_CLOSING_SOON_HOURS", 24.0),
        scrub_interval=env_int(env, "POLLS_SCRUB_INTERVAL", 300, minimum=1),
        live_results_batch=env_int(
            env, "POLLS_LIVE_RESULTS_BATCH", LIVE_BATCH_DEFAULT, minimum=LIVE_BATCH_MINIMUM
        ),
        recall_min_hours=env_float(env, "POLLS_RECALL_MIN_HOURS", 1.0),
        open_max_wait=env_float(env, "POLLS_OPEN_MAX_WAIT", 600.0),
        admin_electorate=admin_electorate(env),
        initiative_share=_share(env_float(env, "POLLS_INITIATIVE_SHARE", 0.05)),
        initiative_minimum=env_int(env, "POLLS_INITIATIVE_MINIMUM", 3, minimum=1),
        initiative_discussion_days=env_float(env, "POLLS_INITIATIVE_DISCUSSION_DAYS", 7.0),
        initiative_poll_days=max(env_float(env, "POLLS_INITIATIVE_POLL_DAYS", 14.0), 0.01),
        affected_max_weight=_max_weight(env_int(env, "POLLS_AFFECTED_MAX_WEIGHT", 3, minimum=2)),
        affected_challenge_days=max(env_float(env, "POLLS_AFFECTED_CHALLENGE_DAYS", 3.0), 0.0),
        upward_answer_days=max(env_float(env, "POLLS_UPWARD_ANSWER_DAYS", 30.0), 0.01),
        proposal_open_max_days=max(env_float(env, "POLLS_PROPOSAL_OPEN_MAX_DAYS", 30.0), 1.0),
    )


def _share(value: float) -> float:
    if not 0 < value <= 1:
        raise ConfigError(f"POLLS_INITIATIVE_SHARE must be above 0 and at most 1, got {value}")
    return value


def _max_weight(value: int) -> int:
    if value > AFFECTED_WEIGHT_CEILING:
        raise ConfigError(
            f"POLLS_AFFECTED_MAX_WEIGHT must be at most {AFFECTED_WEIGHT_CEILING}, got {value}"
        )
    return value


def load_settings(env: Mapping[str, str] | None = None) -> PollsSettings:
    """Read the environment once; a bad value raises `ConfigError` naming the variable."""
    return from_common(config.load_settings("polls", env))
