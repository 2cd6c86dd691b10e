"""Fixtures shared by every tier: real PostgreSQL and RabbitMQ, isolated per test run."""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import HealthCheck, settings

from tests.support import servers

# The suite runs on shared, busy machines: a property is judged by its examples, not by how fast
# a loaded CPU drew them (no per-example deadline, no "too slow" health check).
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory) -> str:
    return servers.admin_pg_url(str(tmp_path_factory.mktemp("pg")))


@pytest.fixture(scope="session")
def database_url(pg_admin_url):
    """A database of this test run's own, dropped at the end."""
    url = servers.create_database(pg_admin_url)
    yield url
    servers.drop_database(pg_admin_url, url)


@pytest.fixture()
def fresh_database_url(pg_admin_url):
    """A database for one test alone (for tests that need an empty world)."""
    url = servers.create_database(pg_admin_url)
    yield url
    servers.drop_database(pg_admin_url, url)


def _reachable_or_missing(url: str | None, message: str) -> str:
    """`url`, or the test stops saying what is missing: a failure in CI, a skip elsewhere."""
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def amqp_url() -> str:
    return _reachable_or_missing(
        servers.amqp_url(),
        "RabbitMQ is not reachable: set AMQP_URL or start one on 127.0.0.1:5672 "
        "(rabbitmq-server -detached)",
    )


@pytest.fixture(scope="session")
def redis_url() -> str:
    return _reachable_or_missing(
        servers.redis_url(),
        "Redis is not reachable: set REDIS_URL or start one on 127.0.0.1:6379 "
        "(redis-server --daemonize yes)",
    )


@pytest.fixture()
def run_id() -> str:
    """A short unique tag for exchange and queue names so that runs never meet."""
    return uuid.uuid4().hex[:10]
