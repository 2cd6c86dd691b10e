"""The `councils` command as a busy admin meets it (issue 16): a Yes/No poll keeps its words, a
dry run that passes means the launch passes, members import with country names, chapters and a
working first login, and every error says what to do."""

from __future__ import annotations

import json
import re
import uuid
from email import message_from_bytes, policy

import pytest
import requests

from tests.e2e.cli.conftest import ADMIN
from tests.support.wait import wait_for

POLLS = {
    "yes-no": """
title: Statutes {tag}
closes_in: 7d
questions:
  - text: Do you adopt the statutes?
    method: majority
    options: [Yes, No]
    threshold: two_thirds
    quorum: 0.25
""",
    "every-method": """
title: Every method {tag}
opens_in: 2d
closes_in: 9d
live_results: false
questions:
  - {{text: Venue, method: plurality, options: [Lyon, Porto, On]}}
  - {{text: Workshops, method: approval, options: [Housing, Energy, Off], seats: 2}}
  - {{text: First project, method: irv, options: [Library, Garden]}}
  - {{text: Board, method: stv, seats: 2, options: [Ana, Bo, Cy]}}
  - {{text: Themes, method: schulze, options: [Climate, Health]}}
  - {{text: Order, method: borda, options: [A, B, C]}}
  - text: We adopt the code of conduct.
    method: consensus
    max_stand_asides: 2
    max_rounds: 3
    fallback: "9/10"
    fallback_quorum: 0.3
""",
}


def _login(councils):
    done = councils("login", "--email", ADMIN[0], "--password-stdin", stdin=ADMIN[1] + "\n")
    assert done.returncode == 0, done.stderr


def _titles(councils, tag):
    listed = councils("poll", "list", "--search", tag, "--json", "--limit", "200")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.mark.parametrize("name", sorted(POLLS))
def test_a_dry_run_that_passes_creates_and_words_stay_words(councils, tmp_path, name):
    _login(councils)
    tag = uuid.uuid4().hex[:8]
    file = tmp_path / "poll.yaml"
    file.write_text(POLLS[name].format(tag=tag))
    dry = councils("poll", "create", str(file), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "the server accepted the poll" in dry.stderr and "nothing was created" in dry.stderr
    assert _titles(councils, tag) == []
    created = councils("poll", "create", str(file), "--quiet")
    assert created.returncode == 0, created.stderr
    poll = json.loads(councils("poll", "show", created.stdout.strip(), "--json").stdout)
    options = [o for q in poll["questions"] for o in q["options"]]
    assert "True" not in options and "False" not in options
    if name == "yes-no":
        assert poll["questions"][0]["options"] == ["Yes", "No"]
        assert poll["questions"][0]["threshold"] in ("two_thirds", "2/3")
    else:
        assert poll["status"] == "scheduled" and "On" in options and "Off" in options


def test_a_dry_run_catches_what_the_server_refuses(councils, tmp_path):
    _login(councils)
    tag = uuid.uuid4().hex[:8]
    file = tmp_path / "bad.yaml"
    file.write_text(POLLS["yes-no"].format(tag=tag) + "colour: red\n")
    unknown = councils("poll", "create", str(file), "--dry-run")
    assert unknown.returncode == 1
    assert "colour: Unknown field." in unknown.stderr
    assert "Correct the fields above and run the command again." in unknown.stderr
    file.write_text(
        POLLS["yes-no"].format(tag=tag) + f"scope: {{type: chapter, id: {uuid.uuid4()}}}\n"
    )
    chapter = councils("poll", "create", str(file), "--dry-run")
    assert chapter.returncode == 1 and "scope.id" in chapter.stderr
    assert _titles(councils, tag) == []


def _mails_to(stack, address: str) -> list:
    folder = stack.run_dir / "mail"
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in str(message["To"]):
            found.append(message)
    return found


def _wait_for_mail(stack, address: str):
    return wait_for(lambda: _mails_to(stack, address), 60, f"a mail to {address}", 0.3)[0]


def test_import_with_country_names_chapters_and_a_first_login(councils, tmp_path, stack):
    _login(councils)
    token = requests.post(
        stack.url + "/api/v1/auth/login", timeout=10, json={"email": ADMIN[0], "password": ADMIN[1]}
    ).json()["access_token"]
    chapter = f"Valencia {uuid.uuid4().hex[:6]}"
    made = requests.post(
        stack.url + "/api/v1/chapters",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
        json={"name": chapter, "level": "local", "country": "ES"},
    )
    assert made.status_code == 201, made.text
    tag = uuid.uuid4().hex[:6]
    ana, bo = f"ana-{tag}@example.org", f"bo-{tag}@example.org"
    members = tmp_path / "members.csv"
    members.write_text(
        "email,display_name,country,language,chapter\n"
        f"{ana},Ana,Spain,es,{chapter}\n"
        f"{bo},Bo,se,,\n"
        f"cy-{tag}@example.org,Cy,Narnia,fr,\n"
        f"dee-{tag}@example.org,Dee,FR,fr,No such chapter\n"
    )
    dry = councils("members", "import", str(members), "--dry-run", "--approve")
    assert dry.returncode == 1
    assert f"line 2: would add {ana} (Ana, ES) in chapter {chapter} approved" in dry.stdout
    assert f"line 3: would add {bo} (Bo, SE) approved" in dry.stdout
    assert "line 4: 'Narnia' is not a country name or ISO code" in dry.stderr
    assert "line 5" in dry.stderr and "no chapter is called 'No such chapter'" in dry.stderr
    assert "Dry run: 2 to import, 1 would fail, 1 skipped; nothing was changed." in dry.stdout
    assert _mails_to(stack, ana) == []

    members.write_text("\n".join(members.read_text().splitlines()[:3]) + "\n")
    done = councils("members", "import", str(members), "--approve")
    assert done.returncode == 0, done.stderr
    assert "Imported 2 members (approved); 0 failed, 0 skipped." in done.stdout
    assert "importing: 2/2" in done.stderr  # progress

    mail = _wait_for_mail(stack, ana)
    body = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/reset\?token=(\S+)", body)
    assert link, body
    from urllib.parse import unquote

    reset = requests.post(
        stack.url + "/api/v1/auth/password/reset",
        timeout=10,
        json={"token": unquote(link.group(1)), "password": "Ana-chooses-her-own-9!"},
    )
    assert reset.status_code == 200, reset.text
    login = councils("login", "--email", ana, "--password-stdin", stdin="Ana-chooses-her-own-9!\n")
    assert login.returncode == 0, login.stderr

    _login(councils)
    twice = councils("members", "import", str(members))
    assert twice.returncode == 1 and "failed line 2" in twice.stderr
    assert "already exists" in twice.stderr
    dry_twice = councils("members", "import", str(members), "--dry-run")  # caught by a dry run
    assert dry_twice.returncode == 1 and "already exists" in dry_twice.stderr


def test_every_error_says_what_to_do(councils, tmp_path, stack):
    wrong = councils("login", "--email", ADMIN[0], "--password-stdin", stdin="nope\n")
    assert wrong.returncode == 1
    assert "wrong email address or password" in wrong.stderr
    assert "not logged in" not in wrong.stderr

    absent = councils("poll", "extend", str(uuid.uuid4()), "--to", "2d", "--reason", "x")
    assert absent.returncode == 2 and "not logged in: run `councils login`" in absent.stderr

    away = councils("poll", "list", extra={"COUNCILS_URL": "http://127.0.0.1:9"})
    assert away.returncode == 2 and "cannot reach the gateway" in away.stderr

    _login(councils)
    missing = councils("poll", "show", str(uuid.uuid4()))
    assert missing.returncode == 1 and "not found:" in missing.stderr
    assert "Check the id" in missing.stderr

    expired = councils("members", "list", extra={"COUNCILS_TOKEN": "not-a-token"})
    assert expired.returncode == 1 and "run `councils login` again" in expired.stderr

    tag = uuid.uuid4().hex[:6]
    members = tmp_path / "m.csv"
    members.write_text(f"email,display_name,country\nm-{tag}@example.org,M,DE\n")
    assert councils("members", "import", str(members), "--approve").returncode == 0
    token = requests.post(
        stack.url + "/api/v1/auth/login", timeout=10, json={"email": ADMIN[0], "password": ADMIN[1]}
    ).json()
    assert token
    listed = councils("members", "list", "--search", f"m-{tag}", "--json")
    member_id = json.loads(listed.stdout)[0]["id"]
    suspended = councils("members", "suspend", member_id, "--reason", "spam")
    assert suspended.returncode == 0 and "suspended" in suspended.stdout
    again = councils("members", "suspend", member_id)
    assert again.returncode == 1 and "suspended already" in again.stderr
    assert councils("members", "restore", member_id).returncode == 0


def test_extend_with_a_reason_members_see(councils, tmp_path):
    _login(councils)
    tag = uuid.uuid4().hex[:8]
    file = tmp_path / "poll.yaml"
    file.write_text(POLLS["yes-no"].format(tag=tag))
    poll_id = councils("poll", "create", str(file), "-q").stdout.strip()
    extended = councils("poll", "extend", poll_id, "--to", "2d", "--reason", "The assembly moved")
    assert extended.returncode == 0, extended.stderr
    shown = councils("poll", "show", poll_id)
    assert "The assembly moved" in shown.stdout and "Do you adopt the statutes?" in shown.stdout
    assert "  - Yes" in shown.stdout
