"""Readiness of an API process means it can serve its requests: its database. The broker's
health shows in /readyz's body and in /metrics, but a broker outage does not take the API out
of service (the outbox holds the events)."""

from __future__ import annotations

import pytest

from services.common.embedded_pg import free_port
from services.members.app import create_app as members_app
from services.notify.app import create_app as notify_app
from services.polls.app import create_app as polls_app
from tests.support.runtime import make_runtime


@pytest.mark.parametrize(
    ("service", "factory"),
    [("members", members_app), ("polls", polls_app), ("notify", notify_app)],
)
def test_readyz_stays_200_while_the_broker_is_down_and_metrics_say_so(
    database_url, service, factory
):
    nobody_listens = f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"
    runtime = make_runtime(service, database_url, nobody_listens)
    try:
        client = factory(runtime).test_client()
        reply = client.get("/readyz")
        assert reply.status_code == 200, reply.get_json()
        body = reply.get_json()
        assert body["checks"] == {"database": "ok"}
        assert body["observed"] == {"bus": "down"}
        metrics = client.get("/metrics").get_data(as_text=True)
        line = f'councils_dependency_up{{dependency="bus",service="{service}"}} 0.0'
        assert line in metrics
    finally:
        runtime.close()
