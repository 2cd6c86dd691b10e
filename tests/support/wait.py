"""The one way tests wait for something that happens elsewhere (a worker, the bus, a server).

`wait_for` polls a probe until it returns something truthy and hands that value back, or fails
the test naming what never happened. `within` is the same poll for callers that report rather
than assert (the fault harness, a server that may not come up). Neither is for proving that
something did *not* happen: for that, make a later thing happen (a sentinel event, a second
request), `wait_for` it, then assert the earlier one left no trace.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    """A `wait_for` that ran out of time; an AssertionError so pytest reports it as a failure."""


def within(probe: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T | None:
    """`probe()`'s first truthy value within `timeout` seconds, else None (probed once more at
    the deadline, so a slow last step still counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)  # polling pace, not a proof of absence
    return probe() or None


def wait_for(
    probe: Callable[[], T],
    timeout: float = 10.0,
    what: str = "a condition",
    interval: float = 0.05,
    process: subprocess.Popen | None = None,
) -> T:
    """`probe()`'s first truthy value; fails naming `what` after `timeout` seconds, or at once
    if `process` (the thing expected to act) exits meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise WaitTimeout(f"the process exited ({process.returncode}) while waiting for {what}")
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)  # polling pace, not a proof of absence
