"""The whole stack started as `make run` starts it (gunicorn processes on real ports)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

from services.common.embedded_pg import free_port
from tests.support.wait import within

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningStack:
    url: str
    process: subprocess.Popen
    run_dir: Path
    log_path: Path
    env: dict

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def start_stack(
    run_dir: Path, database_url: str, extra_env: dict | None = None, wait_s: float = 120
) -> RunningStack:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "AMQP_URL", "SMTP_URL", "PORT")
    }
    env.update(
        PORT=str(port),
        SERVICE_PORT_BASE=str(free_port_block()),
        DATABASE_URL=database_url,
        COUNCILS_RUN_DIR=str(run_dir),
        COUNCILS_ADMIN_EMAIL="e2e-admin@example.org",
        COUNCILS_ADMIN_PASSWORD="E2e-admin-password-1!",
        COUNCILS_DEMO="0",
        ARGON2_PROFILE="fast",
    )
    env.update(extra_env or {})
    log_path = run_dir / "stack.log"
    run_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.common.devstack"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack = RunningStack(f"http://127.0.0.1:{port}", process, run_dir, log_path, env)
    if within(lambda: _healthy(stack), wait_s, interval=0.5):
        return stack
    stop_stack(stack)
    raise RuntimeError(f"the stack did not become healthy in {wait_s}s:\n{stack.log_tail()}")


def _healthy(stack: RunningStack) -> bool:
    """Up and answering; raises at once if the stack has exited."""
    if stack.process.poll() is not None:
        raise RuntimeError(f"the stack exited early:\n{stack.log_tail()}")
    try:
        return requests.get(stack.url + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def free_port_block(size: int = 8) -> int:
    """A base port with `size` free ports after it (best effort)."""
    for _ in range(50):
        base = free_port()
        if base + size < 65000 and all(_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("no block of free ports")


def _free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def stop_stack(stack: RunningStack) -> int:
    """Ctrl-C, as a developer would; returns the exit code."""
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
        try:
            stack.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.process.wait(timeout=10)
    return stack.process.returncode
