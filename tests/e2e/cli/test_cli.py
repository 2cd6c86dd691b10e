"""The `councils` command against a running stack: log in, launch a poll from a file, list it,
close it, fetch its results; import members from CSV (dry run first)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ADMIN = ("e2e-admin@example.org", "E2e-admin-password-1!")


@pytest.fixture()
def councils(stack, tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "COUNCILS_URL": stack.url}
    env.pop("COUNCILS_TOKEN", None)

    def run(*args, stdin: str | None = None, extra: dict | None = None):
        return subprocess.run([sys.executable, "-m", "gateway.cli", *args], cwd=ROOT,
                              env={**env, **(extra or {})}, input=stdin, capture_output=True,
                              text=True, timeout=90)
    return run


def test_launch_list_close_and_fetch_a_poll_from_a_file(councils, tmp_path):
    denied = councils("poll", "close", str(uuid.uuid4()))
    assert denied.returncode == 2 and "not logged in" in denied.stderr

    login = councils("login", "--email", ADMIN[0], "--password-stdin", stdin=ADMIN[1] + "\n")
    assert login.returncode == 0, login.stderr
    assert "as e2e-admin@example.org (an admin)" in login.stdout
    credentials = tmp_path / "config" / "councils" / "credentials.json"
    assert oct(credentials.stat().st_mode & 0o777) == "0o600"

    title = f"Budget priorities {uuid.uuid4().hex[:6]}"
    poll_file = tmp_path / "poll.yaml"
    poll_file.write_text(f"""
title: {title}
text: Which projects should the budget fund first?
closes_in: 7d
questions:
  - text: Pick the first project
    method: irv
    options: [Library, Garden, Workshop]
  - text: Which are acceptable?
    method: approval
    options: [Library, Garden, Workshop]
""")
    dry = councils("poll", "create", str(poll_file), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["scope"] == {"type": "organisation"}

    created = councils("poll", "create", str(poll_file), "--quiet")
    assert created.returncode == 0, created.stderr
    poll_id = created.stdout.strip()
    uuid.UUID(poll_id)

    listed = councils("poll", "list", "--status", "open", "--json")
    assert listed.returncode == 0, listed.stderr
    assert poll_id in [p["id"] for p in json.loads(listed.stdout)]

    early = councils("poll", "results", poll_id)
    assert early.returncode == 3 and "no results yet" in early.stderr

    closed = councils("poll", "close", poll_id)
    assert closed.returncode == 0, closed.stderr
    assert f"Closed poll {poll_id}" in closed.stdout

    as_json = councils("poll", "results", poll_id, "--wait", "60")
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    assert [q["method"] for q in document["questions"]] == ["irv", "approval"]

    out = tmp_path / "results.csv"
    as_csv = councils("poll", "results", poll_id, "--format", "csv", "-o", str(out))
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {r["option"] for r in rows} == {"Library", "Garden", "Workshop"}
    assert {r["method"] for r in rows} == {"irv", "approval"}

    again = councils("poll", "close", poll_id)
    assert again.returncode == 1 and "HTTP 409" in again.stderr


def test_import_members_from_csv_with_a_dry_run(councils, tmp_path, stack):
    assert councils("login", "--email", ADMIN[0], "--password-stdin",
                    stdin=ADMIN[1] + "\n").returncode == 0
    tag = uuid.uuid4().hex[:6]
    members = tmp_path / "members.csv"
    members.write_text(
        "email,display_name,country,language\n"
        f"ana-{tag}@example.org,Ana,ES,es\n"
        f"bo-{tag}@example.org,Bo,SE,\n"
        "not-an-email,Cy,FR,fr\n"
    )
    dry = councils("members", "import", str(members), "--dry-run", "--approve")
    assert dry.returncode == 1  # a row has a problem
    assert "line 4: 'not-an-email' is not an email address" in dry.stderr
    assert "Dry run: 2 to import, 1 skipped; nothing was sent." in dry.stdout

    members.write_text("\n".join(members.read_text().splitlines()[:3]) + "\n")
    done = councils("members", "import", str(members), "--approve")
    assert done.returncode == 0, done.stderr
    assert "Imported 2 members (approved); 0 failed, 0 skipped." in done.stdout

    twice = councils("members", "import", str(members))
    assert twice.returncode == 1
    assert "failed line 2" in twice.stderr


def test_clear_errors_for_a_bad_file(councils, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "", "questions": [{"text": "Q", "method": "irv"}]}')
    result = councils("poll", "create", str(bad))
    assert result.returncode == 2
    assert "title: missing" in result.stderr
    assert "questions[1].options: give at least two options" in result.stderr
    missing = councils("poll", "create", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
