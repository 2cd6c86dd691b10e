"""Contract of the event catalogue: every registered type has a sample that round-trips."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid

import pytest

from services.common.bus.catalogue import (
    CATALOGUE,
    InvalidEvent,
    UnknownEvent,
    event_type,
    validate_event,
)
from services.common.bus.envelope import make_event
from tests.support.bus_samples import SAMPLES


def test_every_catalogued_type_has_a_sample_and_every_sample_a_type():
    missing = sorted(set(CATALOGUE) - set(SAMPLES))
    assert not missing, f"add a sample to tests/support/bus_samples.py for {missing}"
    stale = sorted(set(SAMPLES) - set(CATALOGUE))
    assert not stale, f"samples of types no longer in the catalogue: {stale}"


@pytest.mark.parametrize("type_", sorted(SAMPLES))
def test_sample_round_trips_through_json(type_):
    event = make_event(type_, SAMPLES[type_], producer="test", request_id="req-1")
    received = json.loads(json.dumps(event))
    validate_event(received)
    assert received == event
    assert received["data"] == SAMPLES[type_]


@pytest.mark.parametrize("type_", sorted(SAMPLES))
def test_required_fields_are_enforced(type_):
    schema = CATALOGUE[type_]
    required = [name for name, field in schema.fields.items() if field.required]
    assert required, f"{type_} should require something"
    for name in required:
        data = {k: v for k, v in SAMPLES[type_].items() if k != name}
        with pytest.raises(InvalidEvent) as info:
            validate_event(make_event(type_, data, producer="test"))
        assert name in str(info.value.messages)


def test_unknown_extra_keys_are_let_through():
    data = {**SAMPLES["members.member.activated"], "since": "2025-01-01", "extra": {"a": 1}}
    validate_event(make_event("members.member.activated", data, producer="members"))


def test_unknown_type_is_rejected():
    with pytest.raises(UnknownEvent):
        validate_event(make_event("members.member.teleported", {}, producer="members"))


@pytest.mark.parametrize(
    "change",
    [
        {"id": "not-a-uuid"},
        {"occurred_at": "yesterday"},
        {"occurred_at": "2025-01-01T10:00:00"},  # no time zone
        {"producer": None},
        {"data": ["not", "a", "dict"]},
        {"type": None},
    ],
)
def test_malformed_envelopes_are_rejected(change):
    event = {**make_event("system.ping.sent", {"message": "hi"}, producer="t"), **change}
    with pytest.raises(InvalidEvent):
        validate_event(event)


def test_wrong_types_in_data_are_rejected():
    bad = copy.deepcopy(SAMPLES["members.membership.joined"])
    bad["ancestors"] = "not-a-list"
    with pytest.raises(InvalidEvent):
        validate_event(make_event("members.membership.joined", bad, producer="members"))
    bad = {**SAMPLES["members.member.activated"], "member_id": True}
    with pytest.raises(InvalidEvent):
        validate_event(make_event("members.member.activated", bad, producer="members"))


def test_make_event_shape_and_normalised_data():
    member = uuid.uuid4()
    when = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    event = make_event(
        "polls.poll.opened",
        {"poll_id": member, "title": "t", "scope": {"type": "organisation"}, "closes_at": when},
        producer="polls",
    )
    assert set(event) == {"id", "type", "occurred_at", "producer", "data", "request_id"}
    assert uuid.UUID(event["id"])
    assert dt.datetime.fromisoformat(event["occurred_at"]).utcoffset() == dt.timedelta(0)
    assert event["data"]["poll_id"] == str(member)
    assert event["data"]["closes_at"] == "2030-01-01T12:00:00+00:00"
    assert event["request_id"] is None
    validate_event(event)


def test_naive_datetimes_are_refused_in_data():
    with pytest.raises(TypeError):
        make_event("system.ping.sent", {"message": "x", "at": dt.datetime(2030, 1, 1)}, "t")


def test_type_names_and_double_registration_are_checked():
    with pytest.raises(ValueError):
        event_type("NotDotted")
    with pytest.raises(ValueError):
        event_type("system.ping.sent")(
            type("Again", (CATALOGUE["system.ping.sent"].__class__,), {})
        )
