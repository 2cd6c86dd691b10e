"""Choosing a transport from settings, and what the outbox writes (no servers needed)."""

from __future__ import annotations

import pytest

from services.common.bus import InvalidEvent, UnknownEvent, add_event, transport_from_settings
from services.common.bus.pgqueue import PgTransport
from services.common.bus.rabbitmq import RabbitMQTransport
from services.common.config import load_settings

ENV = {"SECRET_KEY": "s" * 20, "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/x"}


def test_without_amqp_url_the_postgres_transport_is_used():
    settings = load_settings("notify", {**ENV, "BUS_QUEUE_PREFIX": "dev."})
    transport = transport_from_settings(settings)
    assert isinstance(transport, PgTransport)
    assert transport.exchange == "councils.events"
    assert transport.queue_prefix == "dev."


def test_with_amqp_url_rabbitmq_is_used_and_nothing_connects_yet():
    env = {
        **ENV,
        "AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2F",
        "BUS_EXCHANGE": "x.y",
        "BUS_QUEUE_TYPE": "quorum",
    }
    transport = transport_from_settings(load_settings("notify", env))
    assert isinstance(transport, RabbitMQTransport)
    assert (transport.exchange, transport.queue_type) == ("x.y", "quorum")
    transport.close()


class RecordingCursor:
    def __init__(self) -> None:
        self.executed: list[tuple] = []

    def execute(self, sql, params=None):
        self.executed.append((sql, params))


def test_add_event_writes_one_outbox_row_and_checks_the_catalogue():
    cur = RecordingCursor()
    event = add_event(
        cur, "members.member.activated", {"member_id": 7}, producer="members", request_id="r-1"
    )
    ((sql, (event_id, routing_key, envelope)),) = cur.executed
    assert "INSERT INTO outbox" in sql
    assert (event_id, routing_key) == (event["id"], "members.member.activated")
    assert envelope.adapted == event
    with pytest.raises(InvalidEvent):
        add_event(cur, "members.member.activated", {}, producer="members")
    with pytest.raises(UnknownEvent):
        add_event(cur, "members.member.vanished", {"member_id": 7}, producer="members")
    assert len(cur.executed) == 1
