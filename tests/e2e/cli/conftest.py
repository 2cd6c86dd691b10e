"""The `councils` command run as a subprocess against the e2e stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.wait import wait_for

ROOT = Path(__file__).resolve().parents[3]
ADMIN = ("e2e-admin@example.org", "E2e-admin-password-1!")


@pytest.fixture(scope="session")
def admin_can_launch(stack):
    """The admin's mandate reaches the polls service over the bus after start-up: wait until a
    dry-run launch is accepted (polling for an arrival)."""
    import datetime as dt

    import requests

    token = requests.post(
        stack.url + "/api/v1/auth/login", timeout=10, json={"email": ADMIN[0], "password": ADMIN[1]}
    ).json()["access_token"]
    body = {
        "title": "ready?",
        "scope": {"type": "organisation"},
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
        "questions": [{"text": "Q", "method": "plurality", "options": ["A", "B"]}],
    }
    wait_for(
        lambda: (
            requests.post(
                stack.url + "/api/v1/polls?dry_run=true",
                json=body,
                timeout=10,
                headers={"Authorization": f"Bearer {token}"},
            ).status_code
            == 200
        ),
        60,
        "the admin to be allowed to launch polls",
        interval=0.3,
    )


@pytest.fixture()
def councils(stack, tmp_path, admin_can_launch):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "COUNCILS_URL": stack.url}
    env.pop("COUNCILS_TOKEN", None)

    def run(*args, stdin: str | None = None, extra: dict | None = None):
        return subprocess.run(
            [sys.executable, "-m", "gateway.cli", *args],
            cwd=ROOT,
            env={**env, **(extra or {})},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=90,
        )

    return run
