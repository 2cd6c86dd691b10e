"""CPU seconds spent by the processes of a running stack, grouped by what they are, read from
/proc (Linux): so a benchmark can say where each request's CPU went, and what rate the machine's
cores could carry at that cost.
"""

from __future__ import annotations

import os
from collections.abc import Callable

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(root: int) -> set[str]:
    """`root` and every process below it."""
    children: dict[str, list[str]] = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit() and (stat := _stat(pid)) is not None:
            children.setdefault(stat[1], []).append(pid)
    found, todo = set(), [str(root)]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


def postgres_pids() -> set[str]:
    """Every PostgreSQL server process on the machine (their work for other databases counts
    too: run benchmarks on a quiet machine)."""
    return {
        pid
        for pid in os.listdir("/proc")
        if pid.isdigit() and _cmdline(pid).startswith(("postgres", "/usr/lib/postgresql"))
    }


def cpu_seconds(pids: set[str]) -> dict[str, float]:
    out = {}
    for pid in pids:
        stat = _stat(pid)
        if stat is not None:
            out[pid] = (int(stat[11]) + int(stat[12])) / TICKS
    return out


class CpuMeter:
    """CPU used between `start()` and `stop()` by the processes `pids()` lists, grouped by
    `classify(cmdline)`; processes that appear in between count from zero."""

    def __init__(self, pids: Callable[[], set[str]], classify: Callable[[str], str]) -> None:
        self.pids = pids
        self.classify = classify
        self._before: dict[str, float] = {}

    def start(self) -> None:
        self._before = cpu_seconds(self.pids())

    def stop(self) -> dict[str, float]:
        after = cpu_seconds(self.pids())
        groups: dict[str, float] = {}
        for pid, seconds in after.items():
            used = seconds - self._before.get(pid, 0.0)
            if used > 0:
                group = self.classify(_cmdline(pid))
                groups[group] = groups.get(group, 0.0) + used
        return groups
