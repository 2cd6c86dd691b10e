"""The `councils` command against a running stack: log in, launch a poll from a file, list it,
close it, fetch its results; import members from CSV (dry run first)."""

from __future__ import annotations

import csv
import io
import json
import uuid

from tests.e2e.cli.conftest import ADMIN


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

    asked = councils("poll", "close", poll_id)
    assert asked.returncode == 2
    assert "members have not voted" in asked.stderr and "Add --yes" in asked.stderr
    closed = councils("poll", "close", poll_id, "--yes")
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

    again = councils("poll", "close", poll_id, "--yes")
    assert again.returncode == 1 and "HTTP 409" in again.stderr


def test_clear_errors_for_a_bad_file(councils, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "", "questions": [{"text": "Q", "method": "irv"}]}')
    result = councils("poll", "create", str(bad))
    assert result.returncode == 2
    assert "title: missing" in result.stderr
    assert "questions[1].options: give at least two options" in result.stderr
    missing = councils("poll", "create", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
