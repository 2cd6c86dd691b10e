"""Issue 13 through the whole stack (`make run`'s processes): reset by mail end to end with no
token at rest, and revocation biting within seconds in every service."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from urllib.parse import unquote

import requests

from tests.support.e2e import ADMIN, PASSWORD, call, login, mails_to, register
from tests.support.wait import wait_for, within

NEW_PASSWORD = "Brand-new-horse-battery-4"


def _mail(stack, address, subject, wait_s=60):
    found = within(
        lambda: [m for m in mails_to(stack, address, wait_s=5) if m["Subject"] == subject],
        wait_s,
        interval=0.5,
    )
    assert found, f"no mail {subject!r} to {address}:\n{stack.log_tail()}"
    return found[-1]


def _link(message, page) -> tuple[str, str]:
    """(the link to the web page `page`, its token) in a mail's text."""
    text = next(
        p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
        for p in message.walk()
        if p.get_content_type() == "text/plain"
    )
    match = re.search(rf"https?://\S+/{page}\?token=([^\s\"<]+)", text)
    assert match, text
    return match.group(0), unquote(match.group(1))


def _everything_at_rest(stack) -> str:
    """A pg_dump of every schema, and every log of the run (the mail folder aside)."""
    dump = subprocess.run(
        ["pg_dump", "--data-only", stack.env["DATABASE_URL"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    logs = [
        p.read_text(errors="replace")
        for p in stack.run_dir.rglob("*")
        if p.is_file() and p.suffix != ".eml" and "mail" not in p.parts
    ]
    return dump + "\n".join(logs)


def test_reset_by_mail_end_to_end_leaves_no_token_at_rest(stack):
    _, address = register(stack, "reset")
    link, verify = _link(_mail(stack, address, "Confirm your email address"), "verify")
    assert link.startswith(stack.url + "/verify?token=")
    assert requests.get(link, timeout=30).status_code == 200  # the web page verifies
    me = call(stack, "GET", "/api/v1/members/me", token=login(stack, address, PASSWORD))
    assert me.json()["email_verified"] is True

    assert (
        call(stack, "POST", "/api/v1/auth/password/forgot", {"email": address}).status_code == 202
    )
    link, token = _link(_mail(stack, address, "Reset your password"), "reset")
    assert link.startswith(stack.url + "/reset?token=")
    reset = call(
        stack, "POST", "/api/v1/auth/password/reset", {"token": token, "password": NEW_PASSWORD}
    )
    assert reset.status_code == 200, reset.text
    assert (
        call(
            stack, "POST", "/api/v1/auth/login", {"email": address, "password": PASSWORD}
        ).status_code
        == 401
    )
    assert login(stack, address, NEW_PASSWORD)

    at_rest = _everything_at_rest(stack)
    assert token not in at_rest and verify not in at_rest


PROBES = [
    ("GET", "/api/v1/members/me", None),
    ("POST", "/api/v1/polls", {}),  # 422 while the token holds, 401 after
    ("GET", "/api/v1/notifications/preferences", None),
]


def _active_member(stack, tag):
    admin = login(stack, *ADMIN)
    member_id, address = register(stack, tag)
    assert (
        call(stack, "POST", f"/api/v1/members/{member_id}/approve", token=admin).status_code == 200
    )
    tokens = call(
        stack, "POST", "/api/v1/auth/login", {"email": address, "password": PASSWORD}
    ).json()
    for method, path, body in PROBES:
        assert call(stack, method, path, body, token=tokens["access_token"]).status_code in (
            200,
            422,
        ), path
    return member_id, tokens, admin


def _refused_everywhere(stack, access) -> None:
    for method, path, body in PROBES:
        wait_for(
            lambda m=method, p=path, b=body: call(stack, m, p, b, token=access).status_code == 401,
            20,
            f"a 401 from {path}",
        )


def test_logout_stops_the_old_token_in_every_service_within_seconds(stack):
    _, tokens, _ = _active_member(stack, "logout")
    assert (
        call(
            stack, "POST", "/api/v1/auth/logout", {"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 204
    )
    _refused_everywhere(stack, tokens["access_token"])


def test_a_password_change_stops_the_old_token_everywhere(stack):
    _, tokens, _ = _active_member(stack, "pwchange")
    changed = call(
        stack,
        "POST",
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        token=tokens["access_token"],
    )
    assert changed.status_code == 200, changed.text
    _refused_everywhere(stack, tokens["access_token"])
    fresh = changed.json()["access_token"]
    for method, path, body in PROBES:
        assert call(stack, method, path, body, token=fresh).status_code in (200, 422), path


def test_a_suspension_stops_the_member_everywhere_until_restored(stack):
    member_id, tokens, admin = _active_member(stack, "suspend")
    assert (
        call(
            stack, "POST", f"/api/v1/members/{member_id}/suspend", {"reason": "e2e"}, token=admin
        ).status_code
        == 200
    )
    _refused_everywhere(stack, tokens["access_token"])
    assert (
        call(stack, "POST", f"/api/v1/members/{member_id}/restore", token=admin).status_code == 200
    )


def test_a_revoked_admin_mandate_stops_admin_actions_within_seconds(stack):
    admin = login(stack, *ADMIN)
    member_id, address = register(stack, "exadmin")
    assert (
        call(stack, "POST", f"/api/v1/members/{member_id}/approve", token=admin).status_code == 200
    )
    granted = call(
        stack, "POST", "/api/v1/mandates", {"member_id": member_id, "role": "admin"}, token=admin
    )
    assert granted.status_code == 201, granted.text
    token = login(stack, address, PASSWORD)  # claims admin: true until it expires
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    poll = {
        "title": "Admin check",
        "scope": {"type": "organisation"},
        "closes_at": closes,
        "questions": [{"text": "Yes?", "method": "majority", "options": ["yes", "no"]}],
    }
    wait_for(
        lambda: call(stack, "GET", "/api/v1/notifications/stats", token=token).status_code == 200,
        20,
        "notify to know the admin",
    )
    revoked = call(
        stack,
        "POST",
        f"/api/v1/mandates/{granted.json()['id']}/revoke",
        {"reason": "test"},
        token=admin,
    )
    assert revoked.status_code == 200, revoked.text
    wait_for(
        lambda: call(stack, "GET", "/api/v1/notifications/stats", token=token).status_code == 403,
        20,
        "notify to refuse the ex-admin",
    )
    wait_for(
        lambda: call(stack, "POST", "/api/v1/polls", poll, token=token).status_code == 403,
        20,
        "polls to refuse the ex-admin",
    )
