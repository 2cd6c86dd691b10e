"""The members service's settings, read from the environment once per process.

`MembersSettings` holds the shared settings (`.common`), the service's rules (`.policy`, see
rules.py: activation, passwords, rate limits, vouching, working chapters), the default recall
rules (`.recall`, RECALL_* variables), the federation's levels (`.federation`,
FEDERATION_LEVELS), the bootstrap admin (COUNCILS_ADMIN_*, whose mandate is interim for
BOOTSTRAP_ADMIN_TERM_DAYS, default 90), the longest term of an appointed (interim) coordinator or
admin mandate (INTERIM_MANDATE_DAYS, default 90: also its default) and who elects the admins
(ADMIN_ELECTORATE, `members` or `delegates`; services/common/config.py). A malformed
variable stops the process at start with a `ConfigError` naming it.

TRUSTED_PROXY_HOPS is no longer read: the gateway resolves the client's address and passes it
in `X-Councils-Client-Address` (services/common/requests.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from services.common import config
from services.common.config import Settings, admin_electorate, env_int
from services.common.federation import DEFAULT_LEVELS, Federation, federation_from_env
from services.members.rules import Policy


@dataclass(frozen=True)
class RecallDefaults:
    """The recall rules of a chapter that set none of its own."""

    threshold_percent: int = 20  # RECALL_THRESHOLD_PERCENT
    threshold_minimum: int = 3  # RECALL_THRESHOLD_MINIMUM
    petition_days: int = 30  # RECALL_PETITION_DAYS
    cooling_off_days: int = 90  # RECALL_COOLING_OFF_DAYS
    vote_hours: int = 168  # RECALL_VOTE_HOURS
    quorum_percent: int = 20  # RECALL_QUORUM_PERCENT (share of members who must vote)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RecallDefaults:
        return cls(
            threshold_percent=env_int(env, "RECALL_THRESHOLD_PERCENT", 20, minimum=1),
            threshold_minimum=env_int(env, "RECALL_THRESHOLD_MINIMUM", 3, minimum=1),
            petition_days=env_int(env, "RECALL_PETITION_DAYS", 30, minimum=1),
            cooling_off_days=env_int(env, "RECALL_COOLING_OFF_DAYS", 90, minimum=0),
            vote_hours=env_int(env, "RECALL_VOTE_HOURS", 168, minimum=1),
            quorum_percent=env_int(env, "RECALL_QUORUM_PERCENT", 20, minimum=0),
        )


@dataclass(frozen=True)
class MembersSettings:
    common: Settings
    policy: Policy
    recall: RecallDefaults
    admin_email: str | None = None  # COUNCILS_ADMIN_EMAIL: the admin bootstrapped at start
    admin_password: str | None = None  # COUNCILS_ADMIN_PASSWORD
    admin_country: str = "GB"  # COUNCILS_ADMIN_COUNTRY
    # FEDERATION_LEVELS: level names, top first (services/common/federation.py)
    federation: Federation = Federation(DEFAULT_LEVELS)
    bootstrap_admin_term_days: int = 90  # BOOTSTRAP_ADMIN_TERM_DAYS: the interim mandate
    admin_electorate: str = "members"  # ADMIN_ELECTORATE: members | delegates
    # INTERIM_MANDATE_DAYS: an appointed coordinator or admin mandate ends by default, and at
    # the latest, this many days after it starts (docs/governance.md)
    interim_mandate_days: int = 90


def members_settings(common: Settings) -> MembersSettings:
    """The members settings over already loaded shared settings (whose `extra` is the
    environment they were read from)."""
    env = common.extra
    return MembersSettings(
        common=common,
        policy=Policy.from_env(env),
        recall=RecallDefaults.from_env(env),
        admin_email=common.get("COUNCILS_ADMIN_EMAIL"),
        admin_password=common.get("COUNCILS_ADMIN_PASSWORD"),
        admin_country=common.get("COUNCILS_ADMIN_COUNTRY", "GB") or "GB",
        federation=federation_from_env(env),
        bootstrap_admin_term_days=env_int(env, "BOOTSTRAP_ADMIN_TERM_DAYS", 90, minimum=1),
        admin_electorate=admin_electorate(env),
        interim_mandate_days=_interim_days(env),
    )


def _interim_days(env: Mapping[str, str]) -> int:
    days = env_int(env, "INTERIM_MANDATE_DAYS", 90, minimum=1)
    if days > 3650:
        raise config.ConfigError(f"INTERIM_MANDATE_DAYS must be at most 3650, got {days}")
    return days


def load_settings(env: Mapping[str, str] | None = None) -> MembersSettings:
    env = dict(os.environ if env is None else env)
    return members_settings(config.load_settings("members", env))
