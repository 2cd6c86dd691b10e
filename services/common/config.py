"""Settings built once per process from the environment, failing fast with the variable's name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(RuntimeError):
    """A variable is missing or malformed; the message names it."""


def _read(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def require(env: Mapping[str, str], name: str) -> str:
    value = _read(env, name)
    if value is None:
        raise ConfigError(f"{name} is required but not set")
    return value


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = _read(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = _read(env, name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _read(env, name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


ADMIN_ELECTORATES = ("members", "delegates")


def admin_electorate(env: Mapping[str, str]) -> str:
    """`ADMIN_ELECTORATE`: who elects the organisation's admins, every active member
    (`members`, the default) or the delegates of the national level (`delegates`). Members and
    polls both read it: polls fixes the election's electorate, members grants only what an
    election of the configured electorate decided."""
    raw = (_read(env, "ADMIN_ELECTORATE") or "members").strip().lower()
    if raw not in ADMIN_ELECTORATES:
        raise ConfigError(f"ADMIN_ELECTORATE must be members or delegates, got {raw!r}")
    return raw


def pem_or_path(env: Mapping[str, str], name: str) -> str | None:
    """A PEM given inline or as a path to a file holding it."""
    raw = _read(env, name)
    if raw is None:
        return None
    if "-----BEGIN" in raw:
        return raw.replace("\\n", "\n")
    path = Path(raw)
    if not path.is_file():
        raise ConfigError(f"{name} is neither a PEM nor a readable file: {raw!r}")
    return path.read_text()


@dataclass(frozen=True)
class Settings:
    """What every process of Councils reads from its environment."""

    service: str
    database_url: str
    amqp_url: str | None
    secret_key: str
    jwt_public_key: str | None
    jwt_private_key: str | None
    bus_exchange: str = "councils.events"
    bus_queue_prefix: str = ""
    db_pool_max: int = 10
    max_body_bytes: int = 1_000_000
    public_url: str = "http://127.0.0.1:8080"
    extra: Mapping[str, str] = field(default_factory=dict)
    # Earlier SECRET_KEY values, newest first (SECRET_KEY_PREVIOUS): what was made with them
    # (polls opened before a rotation, unsubscribe links already sent) keeps working.
    previous_secret_keys: tuple[str, ...] = ()

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """SECRET_KEY then the previous ones, newest first."""
        return (self.secret_key, *self.previous_secret_keys)

    @property
    def schema(self) -> str:
        return self.service

    def get(self, name: str, default: str | None = None) -> str | None:
        return _read(self.extra, name, default)


def load_settings(service: str, env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    secret_key = require(env, "SECRET_KEY")
    if len(secret_key) < 16:
        raise ConfigError("SECRET_KEY must be at least 16 characters long")
    previous = tuple(
        k.strip() for k in (_read(env, "SECRET_KEY_PREVIOUS") or "").split(",") if k.strip()
    )
    return Settings(
        service=service,
        database_url=require(env, "DATABASE_URL"),
        amqp_url=_read(env, "AMQP_URL"),
        secret_key=secret_key,
        jwt_public_key=pem_or_path(env, "JWT_PUBLIC_KEY"),
        jwt_private_key=pem_or_path(env, "JWT_PRIVATE_KEY"),
        bus_exchange=_read(env, "BUS_EXCHANGE", "councils.events") or "councils.events",
        bus_queue_prefix=_read(env, "BUS_QUEUE_PREFIX", "") or "",
        # At least one connection per request thread (WEB_THREADS, gunicorn gthread), so that
        # no thread waits for a connection while another worker thread holds it.
        db_pool_max=env_int(
            env, "DB_POOL_MAX", max(10, env_int(env, "WEB_THREADS", 8, minimum=1)), minimum=1
        ),
        max_body_bytes=env_int(env, "MAX_BODY_BYTES", 1_000_000, minimum=1024),
        public_url=_read(env, "PUBLIC_URL", "http://127.0.0.1:8080") or "",
        extra=env,
        previous_secret_keys=previous,
    )
