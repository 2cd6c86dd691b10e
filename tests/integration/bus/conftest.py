"""Fixtures of the bus contract suite: one `transport` per kind, on real servers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from services.common.bus.pgqueue import PgTransport
from services.common.bus.rabbitmq import RabbitMQTransport
from services.common.db import Database
from services.common.migrate import migrate
from tests.support.proxy import TcpProxy

logging.getLogger("councils.bus").setLevel(logging.DEBUG)


@pytest.fixture(scope="session")
def bus_database_url(database_url) -> str:
    """The session's database with the bus schema and a producer and a consumer schema."""
    for target in ("bus", "members", "notify"):
        migrate(database_url, target)
    return database_url


@pytest.fixture()
def members_db(bus_database_url):
    db = Database(bus_database_url, "members", maxconn=4)
    yield db
    db.close()


@pytest.fixture()
def notify_db(bus_database_url):
    db = Database(bus_database_url, "notify", maxconn=4)
    yield db
    db.close()


class TransportKit:
    """Makes transports of one kind for one test, with names of this test run's own."""

    def __init__(self, kind: str, url: str, run_id: str) -> None:
        self.kind = kind
        self.url = url
        self.run_id = run_id
        self.exchange = f"councils.test.{run_id}"
        self.made: list = []

    def make(self, url: str | None = None, **options):
        url = url or self.url
        if self.kind == "postgres":
            options = {"lease_s": 1.0, "poll_s": 0.2, "reconnect": (0.1, 0.5), **options}
            transport = PgTransport(
                url, exchange=self.exchange, queue_prefix=f"{self.run_id}.", **options
            )
        else:
            options = {"reconnect": (0.1, 0.5), "connect_timeout": 2.0, **options}
            transport = RabbitMQTransport(
                url, exchange=self.exchange, queue_prefix=f"{self.run_id}.", **options
            )
        self.made.append(transport)
        return transport

    def proxy(self) -> TcpProxy:
        parts = urlsplit(self.url)
        return TcpProxy(parts.hostname or "127.0.0.1", parts.port or 0)

    def queue(self, name: str) -> str:
        return f"{self.run_id}.{name}"

    def cleanup(self) -> None:
        for transport in self.made:
            transport.close()
        if self.kind == "rabbitmq":
            admin = RabbitMQTransport(self.url, exchange=self.exchange)
            queues = {q for t in self.made for q in getattr(t, "declared", ())}
            retry = set().union(*(t.retry_queues for t in self.made))
            admin.retry_queues = retry
            for queue in queues:
                admin.delete(queue)
            admin.delete_exchange()
            admin.close()


@pytest.fixture(params=["postgres", "rabbitmq"])
def kit(request, bus_database_url, run_id):
    if request.param == "rabbitmq":
        url = request.getfixturevalue("amqp_url")
    else:
        url = bus_database_url
        if urlsplit(url).port is None:
            pytest.skip("the PostgreSQL under test has no TCP port to put a proxy in front of")
    kit = TransportKit(request.param, url, run_id)
    yield kit
    kit.cleanup()


@pytest.fixture()
def transport(kit):
    return kit.make()


class Running:
    """Something's `run(stop_event)` on a thread, stopped and joined at the end."""

    def __init__(self, target: Callable[[threading.Event], None], name: str) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=target, args=(self.stop,), name=name, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), f"{self.thread.name} did not stop"


@pytest.fixture()
def start():
    running: list[Running] = []

    def start(target, name="bus-worker") -> Running:
        r = Running(target, name)
        running.append(r)
        return r

    yield start
    for r in reversed(running):
        r.close()
