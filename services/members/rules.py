"""The service's configurable rules and the pure calculations built on them (no I/O)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email

from services.common.config import ConfigError, env_float, env_int

ROLES = ("admin", "coordinator")
ACTIVATION_RULES = ("admin", "vouch", "either")
TARGET_KINDS = ("members", "working_chapters", "women_share", "countries", "continents")
GENDERS = ("woman", "man", "non_binary", "other")
EMAIL_MAX = 254


def email_address(text: str) -> str:
    """An email address as members keep it (normalised), or ValueError saying what is wrong.
    The one rule for every address members take: registration, a changed address and the
    admin bootstrapped from COUNCILS_ADMIN_EMAIL. No DNS look-up; names reserved for testing
    (RFC 6761 `.test`, as in admin@example.test) are accepted, other special-use names
    (`.invalid`, `.localhost`, `.local`, `.onion`…) are not."""
    if len(text) > EMAIL_MAX:
        raise ValueError("too long.")
    try:
        return validate_email(text, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True)
class Policy:
    """The members service's rules, read once from the environment (settings.py)."""

    activation: str = "either"  # MEMBER_ACTIVATION: admin | vouch | either
    vouches_required: int = 1  # VOUCHES_REQUIRED
    argon2_profile: str = "default"  # ARGON2_PROFILE: default | fast (tests only)
    password_min_length: int = 10  # PASSWORD_MIN_LENGTH
    refresh_ttl: dt.timedelta = dt.timedelta(days=30)  # REFRESH_TTL_DAYS
    verify_ttl: dt.timedelta = dt.timedelta(days=7)  # EMAIL_VERIFY_TTL_HOURS
    reset_ttl: dt.timedelta = dt.timedelta(hours=1)  # PASSWORD_RESET_TTL_MINUTES
    rate_limits: bool = True  # RATE_LIMITS (on | off)
    rate_register_per_ip: int = 300  # RATE_REGISTER_PER_MINUTE (per client IP)
    rate_register_per_email: int = 10  # RATE_REGISTER_PER_EMAIL_PER_MINUTE
    rate_login_per_ip: int = 600  # RATE_LOGIN_PER_MINUTE (per client IP)
    rate_login_per_email: int = 30  # RATE_LOGIN_PER_EMAIL_PER_MINUTE
    rate_register_per_ip_hour: int = 600  # RATE_REGISTER_PER_HOUR (per client IP: a hall)
    login_free_failures: int = 5  # LOGIN_FREE_FAILURES (per account and address)
    login_free_failures_per_ip: int = 100  # LOGIN_FREE_FAILURES_PER_ADDRESS
    login_delay_cap_s: int = 900  # LOGIN_DELAY_CAP_S (the longest delay a failure earns)
    vouch_limit: int = 3  # VOUCH_LIMIT (new members one member may vouch for per window)
    vouch_window: dt.timedelta = dt.timedelta(days=30)  # VOUCH_WINDOW_DAYS
    working_min_members: int = 5  # WORKING_MIN_MEMBERS
    working_min_women_share: float = 0.30  # WORKING_MIN_WOMEN_SHARE (0..1)
    working_meeting_days: int = 90  # WORKING_MEETING_DAYS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Policy:
        activation = (env.get("MEMBER_ACTIVATION") or "either").strip().lower()
        if activation not in ACTIVATION_RULES:
            raise ConfigError(
                f"MEMBER_ACTIVATION must be one of {', '.join(ACTIVATION_RULES)}, "
                f"got {activation!r}"
            )
        profile = (env.get("ARGON2_PROFILE") or "default").strip().lower()
        if profile not in ("default", "fast"):
            raise ConfigError(f"ARGON2_PROFILE must be default or fast, got {profile!r}")
        rate_flag = (env.get("RATE_LIMITS") or "on").strip().lower()
        if rate_flag not in ("on", "off", "true", "false", "1", "0"):
            raise ConfigError(f"RATE_LIMITS must be on or off, got {rate_flag!r}")
        women = env_float(env, "WORKING_MIN_WOMEN_SHARE", 0.30)
        if women > 1:  # a percentage was given
            women = women / 100
        if not 0 <= women <= 1:
            raise ConfigError("WORKING_MIN_WOMEN_SHARE must be between 0 and 1 (or 0..100 %)")
        return cls(
            activation=activation,
            vouches_required=env_int(env, "VOUCHES_REQUIRED", 1, minimum=1),
            argon2_profile=profile,
            password_min_length=env_int(env, "PASSWORD_MIN_LENGTH", 10, minimum=8),
            refresh_ttl=dt.timedelta(days=env_int(env, "REFRESH_TTL_DAYS", 30, minimum=1)),
            verify_ttl=dt.timedelta(hours=env_int(env, "EMAIL_VERIFY_TTL_HOURS", 168, minimum=1)),
            reset_ttl=dt.timedelta(
                minutes=env_int(env, "PASSWORD_RESET_TTL_MINUTES", 60, minimum=5)
            ),
            rate_limits=rate_flag in ("on", "true", "1"),
            rate_register_per_ip=env_int(env, "RATE_REGISTER_PER_MINUTE", 300, minimum=1),
            rate_register_per_email=env_int(
                env, "RATE_REGISTER_PER_EMAIL_PER_MINUTE", 10, minimum=1
            ),
            rate_login_per_ip=env_int(env, "RATE_LOGIN_PER_MINUTE", 600, minimum=1),
            rate_login_per_email=env_int(env, "RATE_LOGIN_PER_EMAIL_PER_MINUTE", 30, minimum=1),
            rate_register_per_ip_hour=env_int(env, "RATE_REGISTER_PER_HOUR", 600, minimum=1),
            login_free_failures=env_int(env, "LOGIN_FREE_FAILURES", 5, minimum=1),
            login_free_failures_per_ip=env_int(
                env, "LOGIN_FREE_FAILURES_PER_ADDRESS", 100, minimum=1
            ),
            login_delay_cap_s=env_int(env, "LOGIN_DELAY_CAP_S", 900, minimum=1),
            vouch_limit=env_int(env, "VOUCH_LIMIT", 3, minimum=1),
            vouch_window=dt.timedelta(days=env_int(env, "VOUCH_WINDOW_DAYS", 30, minimum=1)),
            working_min_members=env_int(env, "WORKING_MIN_MEMBERS", 5, minimum=1),
            working_min_women_share=women,
            working_meeting_days=env_int(env, "WORKING_MEETING_DAYS", 90, minimum=1),
        )

    @property
    def vouching_enabled(self) -> bool:
        return self.activation in ("vouch", "either")


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def working_status(figures: Mapping, policy: Policy, today: dt.date) -> dict:
    """Whether a chapter is a working chapter, and why (or why not).

    `figures`: members (active, direct or through sub-chapters), women, stated (members who
    stated a gender), last_meeting_on. Members who stated no gender count in the whole, never
    as women; the share among those who stated is shown beside it."""
    members, women, stated = figures["members"], figures["women"], figures["stated"]
    last = figures.get("last_meeting_on")
    women_share = share(women, members)
    since = today - dt.timedelta(days=policy.working_meeting_days)
    criteria = {
        "members": members >= policy.working_min_members,
        "women": members > 0 and women >= policy.working_min_women_share * members - 1e-9,
        "active": last is not None and since <= last <= today,
    }
    return {
        "working": all(criteria.values()),
        "members": members,
        "women": women,
        "gender_stated": stated,
        "women_share": women_share,
        "women_share_of_stated": share(women, stated),
        "last_meeting_on": last,
        "criteria": criteria,
        "thresholds": {
            "min_members": policy.working_min_members,
            "min_women_share": policy.working_min_women_share,
            "meeting_within_days": policy.working_meeting_days,
        },
    }


def number(value) -> int | float:
    """A JSON-friendly number: integral values as int."""
    if isinstance(value, Decimal | float):
        return int(value) if value == int(value) else float(value)
    return value


def evaluate_target(target: Mapping, current: int | float) -> dict:
    goal = number(target["target"])
    met = current >= goal
    progress = 1.0 if goal == 0 else min(1.0, round(current / goal, 4))
    return {
        "id": target["id"],
        "name": target["name"],
        "kind": target["kind"],
        "target": goal,
        "current": current,
        "met": met,
        "progress": progress,
        "deadline": target.get("deadline"),
        "unit": "percent" if target["kind"] == "women_share" else "count",
    }
