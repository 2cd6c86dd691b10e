"""A member's home in a real Chromium with axe, at 1280 and 390 px: this device among their
sessions, the pending members of their chapter with their introductions, a poll's live results
with their warning, and the site installed by its service worker, offline page included."""

from __future__ import annotations

import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    MEMBER_PASSWORD,
    active_member,
    bearer,
    closes_in,
    login,
    scan,
    shot,
)


def _active_member_in(api: str, admin: str, chapter_id: str, tag: str) -> str:
    address, _member_id = active_member(api, admin, f"home-{tag}")
    joined = requests.post(
        f"{api}/api/v1/chapters/{chapter_id}/join",
        headers=bearer(login(api, address, MEMBER_PASSWORD)),
        timeout=10,
    )
    assert joined.status_code == 200, joined.text
    return address


def _pending_in(api: str, chapter_id: str | None, name: str) -> None:
    address = f"{name.lower().replace(' ', '-')}@example.org"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={
            "email": address,
            "password": MEMBER_PASSWORD,
            "display_name": name,
            "country": "DE",
            "introduction": "I keep bees.\nAnd I sing.",
        },
        timeout=10,
    )
    assert made.status_code == 201, made.text
    if chapter_id:
        joined = requests.post(
            f"{api}/api/v1/chapters/{chapter_id}/join",
            headers=bearer(login(api, address, MEMBER_PASSWORD)),
            timeout=10,
        )
        assert joined.status_code == 200, joined.text


def _both_widths(page, axe_source, artifacts, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        scan(page, axe_source, artifacts, f"{name}-{width}")
        shot(page, artifacts, f"{name}-{width}")


def test_a_members_home_sessions_pending_live_results_and_offline(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    chapter = requests.post(
        f"{api}/api/v1/chapters",
        headers=bearer(admin),
        json={"name": f"Home {tag}", "level": "international"},
        timeout=10,
    )
    assert chapter.status_code == 201, chapter.text
    chapter_id = chapter.json()["id"]
    address = _active_member_in(api, admin, chapter_id, tag)
    _pending_in(api, chapter_id, f"Near {tag}")
    _pending_in(api, None, f"Far {tag}")
    poll = requests.post(
        f"{api}/api/v1/polls",
        headers=bearer(admin),
        json={
            "title": f"Live {tag}",
            "scope": {"type": "organisation"},
            "closes_at": closes_in(1),
            "live_results": True,
            "questions": [{"text": "Picnic?", "method": "majority", "options": ["Yes", "No"]}],
        },
        timeout=10,
    )
    assert poll.status_code == 201, poll.text

    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password").fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("You are logged in.").wait_for()

    page.goto(web_url + "/me#sessions")
    assert page.locator("tr.current").get_by_text("This device").is_visible()
    assert page.get_by_role("button", name="Log out everywhere").is_visible()
    _both_widths(page, axe_source, artifacts, "home-me-sessions")

    page.goto(web_url + "/members/pending")
    page.get_by_role("button", name=f"Vouch for Near {tag}").wait_for()
    assert page.get_by_text("I keep bees.").first.is_visible()
    assert page.get_by_text(f"Far {tag}").count() == 0
    _both_widths(page, axe_source, artifacts, "home-pending-mine")
    page.get_by_role("link", name="Everyone").click()
    page.get_by_role("heading", name=f"Far {tag}").wait_for()

    page.goto(web_url + f"/polls/{poll.json()['id']}")
    page.get_by_role("heading", name="Live results").wait_for()
    assert page.get_by_text("Not final.").is_visible()
    _both_widths(page, axe_source, artifacts, "home-live-results")

    # Installed: the worker keeps the styles and the offline page, shown without a connection.
    assert page.locator('link[rel="manifest"]').count() == 1
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.context.set_offline(True)
    try:
        page.goto(web_url + "/polls")
        page.get_by_role("heading", name="You are offline").wait_for()
        _both_widths(page, axe_source, artifacts, "home-offline")
    finally:
        page.context.set_offline(False)
