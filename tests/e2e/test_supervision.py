"""`make run` as a person meets it: a console with the banner and problems only (requests in
`.run/councils.log`), a dead worker restarted with back-off and said so, Ctrl-C that stops
everything within seconds without tracebacks, and private files (database password, mail)."""

from __future__ import annotations

import os
import signal
import stat
import time

import psutil
import pytest
import requests

from tests.support import servers
from tests.support.stack import start_stack
from tests.support.wait import wait_for

pytestmark = pytest.mark.timeout(240)


def _child(stack, module: str) -> psutil.Process | None:
    for child in psutil.Process(stack.process.pid).children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and module in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            continue
    return None


def test_a_dead_worker_is_restarted_and_ctrl_c_stops_everything_quietly(
    tmp_path_factory, pg_admin_url
):
    database_url = servers.create_database(pg_admin_url, prefix="councils_sup")
    run_dir = tmp_path_factory.mktemp("supervised")
    stack = start_stack(run_dir, database_url)
    try:
        worker = wait_for(lambda: _child(stack, "services.notify.worker"), 20, "the notify worker")
        worker.kill()  # kill -9
        replacement = wait_for(
            lambda: (c := _child(stack, "services.notify.worker")) and c.pid != worker.pid and c,
            20,
            "a new notify worker",
        )
        assert replacement.is_running()
        console = stack.log_path.read_text()
        assert "notify-worker exited with -9; restarting it in 1 s" in console
        assert requests.get(stack.url + "/healthz", timeout=5).status_code == 200
        requests.get(stack.url + "/api/v1/openapi.json", timeout=10)
        registered = requests.post(
            stack.url + "/api/v1/auth/register",
            timeout=30,
            json={
                "email": "sup@example.org",
                "password": "Correct-horse-battery-9",
                "display_name": "Sup",
                "country": "GB",
            },
        )
        assert registered.status_code == 201, registered.text
        mail = wait_for(lambda: sorted((run_dir / "mail").glob("*.eml")), 30, "a mail")
        assert {stat.S_IMODE(m.stat().st_mode) for m in mail} == {0o600}

        started = time.monotonic()
        stack.process.send_signal(signal.SIGINT)
        stack.process.wait(timeout=30)
        assert time.monotonic() - started < 12
    finally:
        if stack.process.poll() is None:
            os.killpg(stack.process.pid, signal.SIGKILL)
        servers.drop_database(pg_admin_url, database_url)
    console = stack.log_path.read_text()
    assert "Traceback" not in console and "SIGKILL" not in console, console[-3000:]
    assert '"path"' not in console  # request lines belong in the log file
    log_file = run_dir / "councils.log"
    assert str(log_file) in console
    assert '"/api/v1/openapi.json"' in log_file.read_text()
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
