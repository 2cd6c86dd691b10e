"""One stack for the e2e tier, started as `make run` starts it, on this run's own database."""

from __future__ import annotations

import uuid

import pytest

from tests.support import servers
from tests.support.stack import start_stack, stop_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory, pg_admin_url):
    database_url = servers.create_database(pg_admin_url, prefix="councils_e2e")
    run_dir = tmp_path_factory.mktemp("stack")
    # One stack for every e2e module: its admin logs in far more often than a person does in a
    # minute. The per-account login limit itself is tested on a strict stack (edge tests) and in
    # members' integration tests.
    extra = {"RATE_LOGIN_PER_EMAIL_PER_MINUTE": "100000"}
    amqp = servers.amqp_url()
    if amqp:
        # RabbitMQ when the machine has one, on exchange and queue names of this run alone.
        tag = uuid.uuid4().hex[:8]
        extra |= {
            "AMQP_URL": amqp,
            "BUS_EXCHANGE": f"councils.e2e.{tag}",
            "BUS_QUEUE_PREFIX": f"e2e.{tag}.",
        }
    running = start_stack(run_dir, database_url, extra)
    yield running
    stop_stack(running)
    servers.drop_database(pg_admin_url, database_url)
