"""The public API as the end-to-end tests drive it, through the gateway of a running stack:
calls, accounts, polls from launch to results, and the mail the stack wrote."""

from __future__ import annotations

import datetime as dt
import email
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.support.wait import wait_for, within

ADMIN = ("e2e-admin@example.org", "E2e-admin-password-1!")
PASSWORD = "Correct-horse-battery-9"


def call(stack, method, path, body=None, token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(
        method, stack.url + path, json=body, headers=headers, timeout=30, **kwargs
    )


def login(stack, email_address, password):
    response = call(
        stack, "POST", "/api/v1/auth/login", {"email": email_address, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def register(stack, tag):
    address = f"e2e-{tag}-{time.time_ns()}@example.org"
    response = call(
        stack,
        "POST",
        "/api/v1/auth/register",
        {"email": address, "password": PASSWORD, "display_name": f"E2E {tag}", "country": "GB"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"], address


def mails_to(stack, address, wait_s=60) -> list:
    """The mails to `address` once there is one (none after `wait_s` seconds: [])."""
    mail_dir = stack.run_dir / "mail"

    def found():
        paths = sorted(mail_dir.glob("**/*.eml")) if mail_dir.exists() else []
        messages = (email.message_from_bytes(path.read_bytes()) for path in paths)
        return [m for m in messages if address in (m.get("To") or "")]

    return within(found, wait_s, interval=0.5) or []


def later(hours=1) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def approved_voters(stack, admin, count, tag):
    """`count` active members, registered, approved and logged in through the gateway."""

    def one(i):
        member_id, address = register(stack, f"{tag}{i}")
        approved = call(stack, "POST", f"/api/v1/members/{member_id}/approve", token=admin)
        assert approved.status_code == 200, approved.text
        return login(stack, address, PASSWORD)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, range(count)))


def launch_for(stack, admin, poll, voters, wait_s=60):
    """Launch `poll` until every voter is in its electorate (the replica is fed by events and
    fixed when a poll opens); polls launched too early are closed."""

    def launched():
        created = call(stack, "POST", "/api/v1/polls", poll, token=admin)
        assert created.status_code == 201, created.text
        poll_id = created.json()["id"]
        if all(
            call(stack, "GET", f"/api/v1/polls/{poll_id}", token=t).json().get("eligible")
            for t in voters
        ):
            return created.json()
        call(stack, "POST", f"/api/v1/polls/{poll_id}/close", token=admin)
        return None

    return wait_for(launched, wait_s, "the voters in the polls electorate", interval=0.5)


def cast(stack, poll_id, token, answer):
    response = call(
        stack, "POST", f"/api/v1/polls/{poll_id}/ballots", {"answers": [answer]}, token=token
    )
    assert response.status_code == 201, response.text
    return response.json()["receipt"]


def close_and_count(stack, admin, poll_id, wait_s=30):
    closed = call(stack, "POST", f"/api/v1/polls/{poll_id}/close", token=admin)
    assert closed.status_code == 200, closed.text

    def counted():  # 409 while the count runs; any other answer ends the wait
        results = call(stack, "GET", f"/api/v1/polls/{poll_id}/results")
        return [results] if results.status_code != 409 else None

    found = within(counted, wait_s, interval=0.3)
    assert found, f"the results of {poll_id} were still being counted after {wait_s}s"
    [results] = found
    assert results.status_code == 200, results.text
    return results.json()
