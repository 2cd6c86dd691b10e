"""`councils poll edit` and `councils poll cancel` against a running stack: a scheduled poll
changed from a file, then cancelled with a public reason; once cancelled, the server refuses."""

from __future__ import annotations

import json
import uuid

from tests.e2e.cli.conftest import ADMIN


def test_edit_then_cancel_a_scheduled_poll(councils, tmp_path):
    login = councils("login", "--email", ADMIN[0], "--password-stdin", stdin=ADMIN[1] + "\n")
    assert login.returncode == 0, login.stderr
    poll_file = tmp_path / "poll.yaml"
    poll_file.write_text("""
title: Venue
opens_in: 2d
closes_in: 9d
questions:
  - text: Where?
    method: plurality
    options: [Hall, Park]
""")
    created = councils("poll", "create", str(poll_file), "--quiet")
    assert created.returncode == 0, created.stderr
    poll_id = created.stdout.strip()

    title = f"Venue {uuid.uuid4().hex[:6]}"
    change = tmp_path / "change.yaml"
    change.write_text(f"""
title: {title}
closes_in: 10d
questions:
  - text: Where shall we meet?
    method: approval
    options: [Hall, Park, Library]
""")
    edited = councils("poll", "edit", poll_id, str(change))
    assert edited.returncode == 0, edited.stderr
    assert f"Changed poll {poll_id}: {title} (scheduled" in edited.stdout
    shown = json.loads(councils("poll", "show", poll_id, "--json").stdout)
    assert shown["title"] == title
    assert [q["method"] for q in shown["questions"]] == ["approval"]

    refused = tmp_path / "scope.yaml"
    refused.write_text("scope: organisation\n")
    local = councils("poll", "edit", poll_id, str(refused))
    assert local.returncode == 2 and "cannot change: scope" in local.stderr

    cancelled = councils("poll", "cancel", poll_id, "--reason", "Booked twice")
    assert cancelled.returncode == 0, cancelled.stderr
    assert "Cancelled poll" in cancelled.stdout and "Booked twice" in cancelled.stdout
    shown = json.loads(councils("poll", "show", poll_id, "--json").stdout)
    assert shown["status"] == "cancelled"

    late = councils("poll", "edit", poll_id, str(change))
    assert late.returncode == 1 and "409" in late.stderr
