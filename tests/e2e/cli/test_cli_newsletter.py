"""`councils newsletter send --dry-run` against the stack (issue 16): it prints the very counts
the API's preview gives, sends nothing; a file with an unknown key is refused before any call;
`--at` schedules one, which `list`, `reschedule` and `cancel` then act on."""

from __future__ import annotations

import re

import requests

from tests.e2e.cli.conftest import ADMIN

NEWSLETTER = """\
subject: Yes
body: |
  On the agenda: the convention.
translations:
  fr: {subject: Oui, body: "À l'ordre du jour : la convention."}
channels: [email, sms]
"""


def test_a_dry_run_prints_the_previews_counts_and_sends_nothing(councils, tmp_path, stack):
    done = councils("login", "--email", ADMIN[0], "--password-stdin", stdin=ADMIN[1] + "\n")
    assert done.returncode == 0, done.stderr
    file = tmp_path / "news.yaml"
    file.write_text(NEWSLETTER)
    token = requests.post(
        f"{stack.url}/api/v1/auth/login", timeout=10, json={"email": ADMIN[0], "password": ADMIN[1]}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    before = requests.get(f"{stack.url}/api/v1/newsletters", headers=headers, timeout=10).json()
    preview = requests.post(
        f"{stack.url}/api/v1/newsletters/preview",
        headers=headers,
        timeout=10,
        json={
            "subject": "Yes",
            "body": "x",
            "scope": {"type": "organisation"},
            "channels": ["email", "sms"],
        },
    ).json()

    dry = councils("newsletter", "send", str(file), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    email = preview["recipients"]["email"]
    assert f"by email: {email} member{'s' if email != 1 else ''} will get it" in dry.stdout
    assert f"by sms: {preview['recipients']['sms']} member" in dry.stdout
    assert "nothing was sent" in dry.stderr
    after = requests.get(f"{stack.url}/api/v1/newsletters", headers=headers, timeout=10).json()
    assert len(after) == len(before)

    file.write_text(NEWSLETTER + "sender: me\n")
    unknown = councils("newsletter", "send", str(file), "--dry-run")
    assert unknown.returncode != 0 and "unknown key(s) sender" in unknown.stderr


def test_a_newsletter_scheduled_with_at_is_listed_moved_and_cancelled(councils, tmp_path, stack):
    """`--at` schedules it on the real server, which refuses a time gone by naming send_at;
    `list`, `reschedule` and `cancel` act on it before it goes (issue 16)."""
    done = councils("login", "--email", ADMIN[0], "--password-stdin", stdin=ADMIN[1] + "\n")
    assert done.returncode == 0, done.stderr
    file = tmp_path / "news.yaml"
    file.write_text("subject: Scheduled from the CLI\nbody: See you in January.\n")
    past = councils("newsletter", "send", str(file), "--at", "2001-01-01T09:00", "--yes")
    assert past.returncode != 0 and "send_at: must be in the future" in past.stderr

    sent = councils("newsletter", "send", str(file), "--at", "2031-12-24T09:00", "--yes")
    assert sent.returncode == 0, sent.stderr
    assert "scheduled for 2031-12-24T09:00:00+00:00" in sent.stdout
    newsletter_id = re.search(r"Newsletter (\S+) scheduled", sent.stdout).group(1)
    listed = councils("newsletter", "list")
    assert f"{newsletter_id}  scheduled  goes 2031-12-24T09:00:00+00:00" in listed.stdout

    moved = councils("newsletter", "reschedule", newsletter_id, "--at", "2031-12-25T10:30")
    assert moved.returncode == 0 and "now goes 2031-12-25T10:30:00+00:00" in moved.stdout
    cancelled = councils("newsletter", "cancel", newsletter_id)
    assert cancelled.returncode == 0 and "nobody will get it" in cancelled.stdout
    again = councils("newsletter", "cancel", newsletter_id)
    assert again.returncode != 0 and "Only a scheduled newsletter" in again.stderr
    assert f"{newsletter_id}  cancelled" in councils("newsletter", "list").stdout
