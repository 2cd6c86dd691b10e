"""Settings and runtimes for tests, pointed at this run's own database and bus names."""

from __future__ import annotations

import functools

from services.common.auth import generate_keypair
from services.common.config import Settings
from services.common.migrate import migrate
from services.common.runtime import Runtime, build_runtime


@functools.lru_cache(maxsize=1)
def test_keypair() -> tuple[str, str]:
    """(private PEM, public PEM) shared by one test process."""
    return generate_keypair()


# A helper, not a test, though its name starts with test_.
test_keypair.__test__ = False  # type: ignore[attr-defined]


def make_settings(
    service: str, database_url: str, amqp_url: str | None = None, **extra
) -> Settings:
    private, public = test_keypair()
    env = {"ARGON2_PROFILE": "fast", **{k: str(v) for k, v in extra.items()}}
    return Settings(
        service=service,
        database_url=database_url,
        amqp_url=amqp_url,
        secret_key="test-secret-key-not-for-production",
        jwt_public_key=public,
        jwt_private_key=private if service == "members" else None,
        bus_exchange=extra.get("BUS_EXCHANGE", "councils.test"),
        bus_queue_prefix=extra.get("BUS_QUEUE_PREFIX", ""),
        public_url="http://127.0.0.1:8080",
        extra=env,
    )


def make_runtime(service: str, database_url: str, amqp_url: str | None = None, **extra) -> Runtime:
    """A runtime on a migrated schema (and the bus schema for the PostgreSQL transport)."""
    migrate(database_url, "bus")
    migrate(database_url, service)
    return build_runtime(service, make_settings(service, database_url, amqp_url, **extra))
