"""The unit tier needs no database and no broker (`make test-unit` runs it alone, quickly): a unit
test that connects to PostgreSQL, RabbitMQ or Redis fails, naming the address; it belongs in
tests/integration."""

from __future__ import annotations

import sys

import pytest

# The ports of the shared services (and their usual defaults).
SERVICE_PORTS = {5432: "PostgreSQL", 5672: "RabbitMQ", 6379: "Redis"}

_watching: list[list[str]] = []  # the current unit test's record, while one runs


def _audit(event: str, args: tuple) -> None:
    if event != "socket.connect" or not _watching:
        return
    address = args[1]
    if isinstance(address, tuple) and len(address) >= 2 and address[1] in SERVICE_PORTS:
        _watching[-1].append(f"{SERVICE_PORTS[address[1]]} at {address[0]}:{address[1]}")


sys.addaudithook(_audit)  # audit hooks cannot be removed: it only records while a unit test runs


@pytest.fixture(autouse=True)
def _no_database_or_broker():
    connections: list[str] = []
    _watching.append(connections)
    try:
        yield
    finally:
        _watching.remove(connections)
    assert not connections, (
        f"a unit test connected to {', '.join(sorted(set(connections)))}: "
        "move it to tests/integration"
    )
