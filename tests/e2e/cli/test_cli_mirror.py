"""The `councils` command mirrors the admin pages (issue 16): `poll create --help` and the README
give an example for every method the server offers, and those examples pass the server's own
check; `members approve` and `members reject` (the member reads the reason when logging in);
`poll export` of a closed poll."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import requests

from tests.e2e.cli.conftest import ADMIN, ROOT
from tests.support.wait import wait_for

PASSWORD = "Pending-member-pass-3!"


def _login(councils):
    done = councils("login", "--email", ADMIN[0], "--password-stdin", stdin=ADMIN[1] + "\n")
    assert done.returncode == 0, done.stderr


def _examples(help_text: str) -> list[str]:
    """Each question example of the help ("- text: ..." with its indented lines)."""
    found = re.finditer(r"^(( +)- text: .*\n(?:\2 {2}\S.*\n)*)", help_text, flags=re.M)
    return [match.group(1) for match in found]


def test_the_help_and_readme_show_every_method_with_an_example_that_passes(
    councils, tmp_path, stack
):
    methods = requests.get(f"{stack.url}/api/v1/polls/methods", timeout=10).json()["methods"]
    names = [m["method"] for m in methods if m["launchable"]]
    shown = councils("poll", "create", "--help")
    assert shown.returncode == 0, shown.stderr
    readme = (ROOT / "README.md").read_text()
    for name in names:
        assert f"method: {name}" in shown.stdout, f"no example of {name} in --help"
        assert f"method: {name}" in readme, f"no example of {name} in the README"

    questions = []
    for example in _examples(shown.stdout):
        indent = len(example) - len(example.lstrip())
        questions.append("\n".join("  " + line[indent:] for line in example.splitlines()))
    assert len(questions) >= len(names), questions
    file = tmp_path / "every-example.yaml"
    title = f"title: The help's examples {uuid.uuid4().hex[:6]}\ncloses_in: 7d\nquestions:\n"
    file.write_text(title + "\n".join(questions) + "\n")
    _login(councils)
    dry = councils("poll", "create", str(file), "--dry-run")
    assert dry.returncode == 0, dry.stderr + file.read_text()
    assert "the server accepted the poll" in dry.stderr


def _pending(api: str, name: str) -> tuple[str, str]:
    address = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.org"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        timeout=10,
        json={"email": address, "password": PASSWORD, "display_name": name, "country": "IT"},
    )
    assert made.status_code == 201, made.text
    return address, made.json()["id"]


def test_members_approve_and_reject_from_the_command_line(councils, stack):
    _login(councils)
    tag = uuid.uuid4().hex[:6]
    approved_mail, approved_id = _pending(stack.url, f"Gio{tag}")
    refused_mail, refused_id = _pending(stack.url, f"Lia{tag}")
    listed = councils("members", "list", "--status", "pending", "--search", tag, "--json")
    assert listed.returncode == 0, listed.stderr
    assert {m["id"] for m in json.loads(listed.stdout)} == {approved_id, refused_id}

    done = councils("members", "approve", approved_id)
    assert done.returncode == 0, done.stderr
    no_reason = councils("members", "reject", refused_id)
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    refused = councils("members", "reject", refused_id, "--reason", "We only admit Romans.")
    assert refused.returncode == 0, refused.stderr
    again = councils("members", "approve", refused_id)
    assert again.returncode == 1, again  # it used to answer 200 and print "approved"
    assert "Only a pending member can be approved; this one is refused." in again.stderr

    active = councils("members", "list", "--status", "active", "--search", tag, "--json")
    assert [m["id"] for m in json.loads(active.stdout)] == [approved_id]
    answer = requests.post(
        f"{stack.url}/api/v1/auth/login",
        timeout=10,
        json={"email": refused_mail, "password": PASSWORD},
    )
    assert "We only admit Romans." in answer.text, answer.text
    assert approved_mail  # logs in as an active member
    assert (
        requests.post(
            f"{stack.url}/api/v1/auth/login",
            timeout=10,
            json={"email": approved_mail, "password": PASSWORD},
        ).status_code
        == 200
    )


def test_a_closed_poll_is_exported_as_csv_and_json(councils, tmp_path, stack):
    _login(councils)
    file = tmp_path / "poll.yaml"
    file.write_text(f"""
title: Export {uuid.uuid4().hex[:6]}
closes_in: 2d
questions:
  - text: Which day?
    method: plurality
    options: [Saturday, Sunday]
""")
    poll_id = councils("poll", "create", str(file), "-q").stdout.strip()
    assert councils("poll", "close", poll_id, "--yes").returncode == 0
    out = tmp_path / "export.csv"

    def exported():
        done = councils("poll", "export", poll_id, "--format", "csv", "-o", str(out))
        return done.returncode == 0 and out.exists() and out.read_text()

    rows = list(csv.DictReader(io.StringIO(wait_for(exported, 60, "the export", 1))))
    assert {r["option"] for r in rows} >= {"Saturday", "Sunday"}, rows
    as_json = councils("poll", "export", poll_id, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)
