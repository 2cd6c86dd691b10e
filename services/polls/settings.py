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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.common import config
from services.common.config import Settings, admin_electorate, env_float, env_int
from services.polls.slots import LIVE_BATCH_DEFAULT, LIVE_BATCH_MINIMUM


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
    )


def load_settings(env: Mapping[str, str] | None = None) -> PollsSettings:
    """Read the environment once; a bad value raises `ConfigError` naming the variable."""
    return from_common(config.load_settings("polls", env))
