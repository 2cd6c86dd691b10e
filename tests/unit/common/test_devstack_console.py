"""What `make run` shows a person, and when it makes the demo organisation."""

from __future__ import annotations

import json

import pytest

from services.common.devstack import _demo_wanted
from services.common.supervise import for_console


def test_request_lines_go_to_the_log_file_and_problems_to_the_console():
    request = json.dumps({"level": "info", "message": "GET /x 200", "path": "/x"})
    problem = json.dumps({"level": "error", "message": "database unavailable", "path": "/y"})
    assert for_console("members", request) is None
    assert for_console("members", problem) == "[members] ERROR database unavailable (/y)"
    assert for_console("gateway", "[2026-12-02 04:00:00 +0000] [12] [INFO] Booting worker") is None
    assert (
        for_console("gateway", "[2026-12-02 04:00:00 +0000] [12] [ERROR] Worker timeout")
        == "[gateway] [2026-12-02 04:00:00 +0000] [12] [ERROR] Worker timeout"
    )
    assert for_console("notify-worker", "notify: email goes to files") is not None


@pytest.mark.parametrize(
    ("env", "demo"),
    [
        ({}, True),
        ({"PUBLIC_URL": "http://127.0.0.1:8080"}, True),
        ({"COUNCILS_DEMO": "0"}, False),
        ({"COUNCILS_BIND": "0.0.0.0"}, False),
        ({"PUBLIC_URL": "https://vote.example.org"}, False),
        ({"PUBLIC_URL": "https://vote.example.org", "COUNCILS_DEMO": "1"}, True),
    ],
)
def test_the_demo_organisation_is_opt_in_beyond_loopback(env, demo, capsys):
    assert _demo_wanted(env) is demo
    if demo and env.get("COUNCILS_DEMO") == "1":
        assert "WARNING" in capsys.readouterr().out
