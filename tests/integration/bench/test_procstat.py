"""The benchmarks' CPU meter counts what the processes it watches really spent."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.procstat import CpuMeter, descendants

SPIN = (
    "import sys, time\n"
    "end = time.process_time() + 0.4\n"
    "while time.process_time() < end: pass\n"
    "print('spun', flush=True)\n"
    "sys.stdin.read()\n"  # alive (and idle) until the test has read the meter
)


def test_a_busy_child_is_counted_in_its_group():
    meter = CpuMeter(
        lambda: descendants(os.getpid()),
        lambda cmdline: "busy" if "spin-for-the-meter" in cmdline else "other",
    )
    meter.start()
    child = subprocess.Popen(
        [sys.executable, "-c", SPIN, "spin-for-the-meter"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "spun"
        used = meter.stop()
    finally:
        child.stdin.close()
        child.wait(timeout=10)
    assert 0.35 <= used.get("busy", 0.0) <= 1.5, used
