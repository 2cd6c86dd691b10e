"""The handler registry every service's consumers are declared with."""

import pytest

from services.common.bus import EventHandlers


def test_handlers_bind_to_the_context_in_registration_order():
    calls = []
    registry = EventHandlers("electorate")

    @registry.on("members.member.registered", "members.member.snapshot")
    def first(ctx, cur, event):
        calls.append(("first", ctx, cur, event["type"]))

    shared = EventHandlers("deny-list")

    @shared.on("members.member.registered")
    def second(ctx, cur, event):
        calls.append(("second", ctx, cur, event["type"]))

    table = registry.include(shared).bind("ctx")
    assert sorted(table) == ["members.member.registered", "members.member.snapshot"]
    table["members.member.registered"]("cur", {"type": "members.member.registered"})
    assert calls == [
        ("first", "ctx", "cur", "members.member.registered"),
        ("second", "ctx", "cur", "members.member.registered"),
    ]
    assert registry.consumer == "electorate"


def test_a_registration_names_at_least_one_event_type():
    with pytest.raises(ValueError):
        EventHandlers("x").on()
