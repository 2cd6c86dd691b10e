"""Small helpers for the browser tests: API calls for set-up, keyboard moves, scans, shots."""

from __future__ import annotations

import datetime as dt
import json

import requests

from tests.support.wait import wait_for

ADMIN = ("e2e-admin@example.org", "E2e-admin-password-1!")
MEMBER_PASSWORD = "Newcomer-password-1!"
# axe rules at WCAG 2.0/2.1/2.2 A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def login(api: str, email: str, password: str) -> str:
    response = requests.post(
        f"{api}/api/v1/auth/login", json={"email": email, "password": password}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def closes_in(days: int = 1) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def launch_poll_for(
    api: str, admin_token: str, member_token: str, body: dict, wait_s: float = 45
) -> dict:
    """Launch a poll the member can vote in: the electorate is fixed when a poll opens, from
    a replica fed by events, so a member approved a moment ago may need a later poll."""

    def launched():
        created = requests.post(
            f"{api}/api/v1/polls", json=body, headers=bearer(admin_token), timeout=10
        )
        assert created.status_code == 201, created.text
        poll = requests.get(
            f"{api}/api/v1/polls/{created.json()['id']}", headers=bearer(member_token), timeout=10
        ).json()
        if poll.get("eligible"):
            return poll
        requests.post(
            f"{api}/api/v1/polls/{poll['id']}/close", headers=bearer(admin_token), timeout=10
        )
        return None

    return wait_for(launched, wait_s, "the member in a poll's electorate", interval=1.5)


def open_poll(api: str, admin_token: str, title: str, closes_at: str, question: dict) -> dict:
    """An organisation-wide poll of one question, open at once (launched through the API)."""
    created = requests.post(
        f"{api}/api/v1/polls",
        headers=bearer(admin_token),
        timeout=10,
        json={
            "title": title,
            "scope": {"type": "organisation"},
            "closes_at": closes_at,
            "questions": [question],
        },
    )
    assert created.status_code == 201, created.text
    return created.json()


def wait_for_results(api: str, poll_id: str, wait_s: float = 30) -> dict:
    response = wait_for(
        lambda: (
            (r := requests.get(f"{api}/api/v1/polls/{poll_id}/results", timeout=10)).status_code
            == 200
            and r
        ),
        wait_s,
        f"the results of {poll_id}",
        0.5,
    )
    return response.json()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab (keyboard only) until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement === document.querySelector(s)", selector)


def scan(page, axe_source: str, artifacts, name: str) -> None:
    """axe-core on the page as it is; fails on any WCAG A/AA violation (report kept)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # through the devtools protocol: the page's CSP still holds
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        AXE_TAGS,
    )
    (artifacts / f"axe-{name}.json").write_text(json.dumps(found, indent=1))
    assert found == [], f"accessibility problems on {name}: {json.dumps(found, indent=1)}"


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def log_in_page(page, web_url, email, password):
    """Log in through the login page, as a person does."""
    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def too_wide(page) -> list[str]:
    """The elements reaching past the right edge of the window (the widest first), named."""
    return page.evaluate(
        "() => [...document.body.querySelectorAll('*')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)"
        ".slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
        " + (e.className && typeof e.className === 'string' ? '.' + e.className : '')"
        " + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"
    )


def scan_both_widths(page, axe_source, artifacts, name):
    """axe and a screenshot at 1280 px, then at 390 px (where nothing may scroll sideways)."""
    scan(page, axe_source, artifacts, name)
    shot(page, artifacts, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    scan(page, axe_source, artifacts, f"{name}-390")
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"{name} scrolls sideways at 390 px: {too_wide(page)}"
    shot(page, artifacts, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def active_member(api: str, admin: str, tag: str) -> tuple[str, str]:
    address = f"voucher-{tag}@example.org"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={
            "email": address,
            "password": MEMBER_PASSWORD,
            "display_name": f"Voucher {tag}",
            "country": "FR",
        },
        timeout=10,
    )
    assert made.status_code == 201, made.text
    approved = requests.post(
        f"{api}/api/v1/members/{made.json()['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return address, made.json()["id"]


def chapter_tree(api: str, admin: str, tag: str) -> dict:
    made = {}
    for key, level, parent in (
        ("intl", "international", None),
        ("nat", "national", "intl"),
        ("loc", "local", "nat"),
    ):
        body = {
            "name": f"{key.title()} {tag}",
            "level": level,
            "country": "FR",
            "parent_id": made[parent]["id"] if parent else None,
            "place": "Lyon",
        }
        if level == "international":
            body.pop("country")
        response = requests.post(
            f"{api}/api/v1/chapters", json=body, headers=bearer(admin), timeout=10
        )
        assert response.status_code == 201, response.text
        made[key] = response.json()
    return made


def elect_uncontested(api: str, admin: str, chapter_id: str, member_id: str) -> dict:
    """An uncontested delegate election (no vote held); the mandate follows by event. Polls
    learns of the new chapter and its members by events too, so it may refuse at first."""
    body = {
        "chapter_id": chapter_id,
        "title": "Delegate of the chapter",
        "seats": 1,
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
        "candidates": [{"member_id": member_id}],
    }

    def made():
        answer = requests.post(
            f"{api}/api/v1/polls/delegate-elections", headers=bearer(admin), json=body, timeout=10
        )
        assert answer.status_code in (201, 403, 422), answer.text  # refused until it knows
        return answer.json() if answer.status_code == 201 else None

    election = wait_for(made, 90, "polls to accept the delegate election", interval=1)
    wait_for(
        lambda: requests.get(
            f"{api}/api/v1/mandates",
            params={"chapter_id": chapter_id, "role": "delegate"},
            timeout=10,
        ).json(),
        90,
        "the elected delegate's mandate",
        interval=0.5,
    )
    return election
