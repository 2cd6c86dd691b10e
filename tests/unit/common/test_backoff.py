"""The one back-off every reconnect loop uses: grows, is capped at a few seconds, resets."""

from __future__ import annotations

import threading

from services.common.backoff import RECONNECT, Backoff


def test_delays_double_up_to_the_cap_and_reset_after_a_success():
    backoff = Backoff(0.001, 0.004, jitter=0)
    stop = threading.Event()
    seen = []
    for _ in range(5):
        seen.append(backoff.delay)
        backoff.wait(stop)
    assert seen == [0.001, 0.002, 0.004, 0.004, 0.004]
    assert backoff.failures == 5
    backoff.reset()
    assert (backoff.delay, backoff.failures) == (0.001, 0)


def test_reconnecting_never_waits_more_than_a_few_seconds():
    assert RECONNECT[1] <= 5


def test_a_stop_ends_the_wait_at_once():
    stop = threading.Event()
    stop.set()
    assert Backoff(60, 60).wait(stop) is True
