"""`make run` with the demo: when the stack says it is up, the demo's polls are open and the
home page lists them (they used to open about 90 s later)."""

from __future__ import annotations

import uuid

import requests

from tests.support import servers
from tests.support.stack import start_stack, stop_stack
from tests.support.wait import wait_for


def test_the_demo_polls_are_open_when_the_stack_says_it_is_up(tmp_path, pg_admin_url):
    database_url = servers.create_database(pg_admin_url, prefix="councils_e2e_demo")
    extra = {"COUNCILS_DEMO": "1"}
    amqp = servers.amqp_url()
    if amqp:
        tag = uuid.uuid4().hex[:8]
        extra.update(
            AMQP_URL=amqp, BUS_EXCHANGE=f"councils.e2e.{tag}", BUS_QUEUE_PREFIX=f"e2e.{tag}."
        )
    stack = start_stack(tmp_path / "stack", database_url, extra, wait_s=180)
    try:
        wait_for(
            lambda: "Councils is up at" in stack.log_path.read_text(errors="replace"),
            120,
            f"the stack to say it is up:\n{stack.log_tail()}",
            0.2,
            stack.process,
        )
        # The moment it says so: no waiting here.
        listed = requests.get(
            f"{stack.url}/api/v1/polls", params={"status": "open"}, timeout=10
        ).json()["polls"]
        assert len(listed) >= 5, stack.log_tail()
        assert all(p["electorate"] and p["electorate"] > 1 for p in listed)
        home = requests.get(stack.url + "/", timeout=10).text
        assert "No poll is open right now." not in home
        assert listed[0]["title"] in home
    finally:
        stop_stack(stack)
        servers.drop_database(pg_admin_url, database_url)
