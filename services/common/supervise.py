"""`make run`'s children: started in sessions of their own (Ctrl-C reaches only `make run`,
which stops them in order), restarted with back-off when they die or hang, their output sent
to a log file with only what a person needs (warnings, errors, plain prints) on the console."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

_GUNICORN_QUIET = re.compile(r"^\[[^\]]+\] \[\d+\] \[(INFO|DEBUG)\] ")
_LOUD = {"warning", "error", "critical"}


def for_console(name: str, line: str) -> str | None:
    """What of a child's output line a person at the console should see, or None."""
    text = line.rstrip("\n")
    if not text.strip():
        return None
    if text.startswith("{"):
        try:
            entry = json.loads(text)
        except ValueError:
            return f"[{name}] {text}"
        if not isinstance(entry, dict) or str(entry.get("level", "")).lower() not in _LOUD:
            return None  # requests and other info lines: the log file has them
        where = entry.get("path") or entry.get("queue") or ""
        message = f"[{name}] {entry['level'].upper()} {entry.get('message', '')}"
        return f"{message} ({where})" if where else message
    if _GUNICORN_QUIET.match(text):
        return None
    return f"[{name}] {text}"


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, Any]
    health_url: str | None = None
    process: subprocess.Popen[str] | None = None
    deaths: deque[float] = field(default_factory=deque)  # monotonic times of unplanned exits
    restart_at: float | None = None
    unhealthy: int = 0
    next_health: float = 0.0


class Supervisor:
    """Starts children, restarts them with back-off (1, 2, 4 … 30 s), gives up when one dies
    `max_deaths` times within `window_s`; kills and restarts a worker whose /livez fails 3
    times in a row."""

    def __init__(
        self,
        cwd: Path,
        log_path: Path,
        say: Callable[[str], None],
        max_deaths: int = 5,
        window_s: float = 300.0,
    ) -> None:
        self.cwd = cwd
        self.log_path = log_path
        self.say = say
        self.max_deaths = max_deaths
        self.window_s = window_s
        self.children: list[Child] = []
        self._log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the stack's life
        self._log_lock = threading.Lock()

    def log(self, line: str) -> None:
        with self._log_lock:
            if not self._log.closed:
                self._log.write(line if line.endswith("\n") else line + "\n")

    def start(
        self, name: str, argv: list[str], env: dict[str, Any], health_url: str | None = None
    ) -> None:
        child = Child(name, argv, env, health_url)
        self.children.append(child)
        self._spawn(child)

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.argv,
            cwd=self.cwd,
            env=child.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        child.restart_at = None
        child.unhealthy = 0
        child.next_health = time.monotonic() + 10
        threading.Thread(
            target=self._pump,
            args=(child.name, child.process.stdout),
            name=f"log:{child.name}",
            daemon=True,
        ).start()

    def _pump(self, name: str, stream: Iterable[str]) -> None:
        for line in stream:
            self.log(line)
            shown = for_console(name, line)
            if shown:
                print(shown, flush=True)

    def check(self) -> str | None:
        """Restart what died or hangs; a reason to stop the stack, if one died too often."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self.say(f"restarting {child.name}")
                    self._spawn(child)
                continue
            assert child.process is not None  # spawned before it is checked
            code = child.process.poll()
            if code is None:
                self._check_health(child, now)
                continue
            child.deaths.append(now)
            while child.deaths and child.deaths[0] < now - self.window_s:
                child.deaths.popleft()
            if len(child.deaths) >= self.max_deaths:
                return (
                    f"{child.name} exited with {code}, {len(child.deaths)} times in "
                    f"{self.window_s / 60:.0f} min: stopping the stack (see {self.log_path})"
                )
            delay = min(30.0, 2.0 ** (len(child.deaths) - 1))
            child.restart_at = now + delay
            self.say(
                f"WARNING {child.name} exited with {code}; restarting it in {delay:.0f} s "
                f"({len(child.deaths)} of {self.max_deaths} allowed in "
                f"{self.window_s / 60:.0f} min)"
            )
        return None

    def _check_health(self, child: Child, now: float) -> None:
        if not child.health_url or now < child.next_health:
            return
        child.next_health = now + 5
        try:
            ok = requests.get(child.health_url, timeout=3).status_code == 200
        except requests.RequestException:
            ok = False
        child.unhealthy = 0 if ok else child.unhealthy + 1
        if child.unhealthy >= 3:
            self.say(
                f"WARNING {child.name} is hung ({child.health_url} failed 3 times); killing it"
            )
            assert child.process is not None  # spawned before it is checked
            _signal_group(child.process, signal.SIGKILL)

    def stop(self, timeout_s: float = 8.0) -> None:
        """SIGTERM to each child's process group, newest first; SIGKILL what is left after
        `timeout_s`."""
        running = [
            c.process
            for c in reversed(self.children)
            if c.process is not None and c.process.poll() is None
        ]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
        with self._log_lock:
            self._log.close()


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when `make run` itself dies (even by SIGKILL), since
    a child in a session of its own no longer gets the terminal's signals (Linux only)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _signal_group(process: subprocess.Popen[str], signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
