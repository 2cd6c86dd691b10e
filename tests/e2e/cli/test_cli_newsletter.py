"""`councils newsletter send --dry-run` against the stack (issue 16): it prints the very counts
the API's preview gives, sends nothing; a file with an unknown key is refused before any call."""

from __future__ import annotations

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
