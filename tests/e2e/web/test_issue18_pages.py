"""Issue 18 in a real Chromium, by keyboard, axe-scanned at 1280 and 390 px: a member supports
a proposal (member initiative); a poll states its affected chapter's weight with the reason and
takes a challenge; a chapter asks the level above for a delegate poll, which refuses in
public."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    log_in_page,
    login,
    scan_both_widths,
    tab_to,
)


def _tree(api: str, admin: str, tag: str) -> tuple[dict, dict]:
    national = requests.post(
        f"{api}/api/v1/chapters",
        headers=bearer(admin),
        timeout=10,
        json={"name": f"Nation {tag}", "level": "national", "country": "FR", "place": "Paris"},
    ).json()
    local = requests.post(
        f"{api}/api/v1/chapters",
        headers=bearer(admin),
        timeout=10,
        json={
            "name": f"Town {tag}",
            "level": "local",
            "country": "FR",
            "parent_id": national["id"],
            "place": "Lyon",
        },
    )
    assert local.status_code == 201, local.text
    joined = requests.post(
        f"{api}/api/v1/chapters/{local.json()['id']}/join", headers=bearer(admin), timeout=10
    )
    assert joined.status_code == 200, joined.text
    return national, local.json()


def _until_created(url: str, admin: str, body: dict) -> dict:
    """Polls learns of new chapters and memberships by events: retry a moment."""
    deadline = time.monotonic() + 60
    while True:
        made = requests.post(url, json=body, headers=bearer(admin), timeout=10)
        if made.status_code == 201:
            return made.json()
        assert made.status_code in (403, 422) and time.monotonic() < deadline, made.text
        time.sleep(1)


def _reload_until(page, url: str, text: str) -> None:
    deadline = time.monotonic() + 60
    page.goto(url)
    while not page.get_by_text(text).count():
        assert time.monotonic() < deadline, f"{text!r} never shows on {url}"
        time.sleep(1.5)
        page.goto(url)


def test_support_challenge_and_ask_upward(page, stack, web_url, axe_source, artifacts):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    national, local = _tree(api, admin, tag)
    question = [{"text": "Agree?", "method": "majority", "options": ["Yes", "No"]}]
    proposal = _until_created(
        f"{api}/api/v1/proposals",
        admin,
        {
            "title": f"Fridge {tag}",
            "scope": {"type": "chapter", "id": local["id"]},
            "questions": question,
        },
    )
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()

    # Member initiative: supporters and the threshold, and the Support button by keyboard.
    _reload_until(page, f"{web_url}/proposals/{proposal['id']}", "needed")
    if page.get_by_role("button", name="Take back my support").count():
        tab_to(page, ".initiative button")
        page.keyboard.press("Enter")
        page.get_by_text("Your support is taken back.").wait_for()
    tab_to(page, ".initiative button.primary")
    page.keyboard.press("Enter")
    page.get_by_text("You support this proposal.").wait_for()
    scan_both_widths(page, axe_source, artifacts, "issue18-proposal-support")

    # Affected scopes: the weight and its reason on the ballot, and a challenge by keyboard.
    now = dt.datetime.now(dt.UTC)
    poll = _until_created(
        f"{api}/api/v1/polls",
        admin,
        {
            "title": f"Venue {tag}",
            "scope": {"type": "chapter", "id": national["id"]},
            "opens_at": (now + dt.timedelta(days=4)).isoformat(),
            "closes_at": (now + dt.timedelta(days=9)).isoformat(),
            "questions": question,
            "affected": [{"chapter_id": local["id"], "weight": 3, "reason": "The venue is here"}],
        },
    )
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.get_by_text(f"Members of Town {tag}: each ballot counts 3 times.").wait_for()
    _reload_until(page, f"{web_url}/polls/{poll['id']}", "Why these weights are wrong")
    tab_to(page, "#challenge-reason")
    page.keyboard.type("Every town uses it")
    page.keyboard.press("Enter")
    page.get_by_text("Your challenge is filed.").wait_for()
    page.get_by_text("Every town uses it").wait_for()
    scan_both_widths(page, axe_source, artifacts, "issue18-poll-affected")

    # Chapters put matters upward: the form, the public request, a refusal with its reason.
    page.goto(f"{web_url}/chapters/{local['id']}/requests/new")
    page.get_by_label("Title").fill(f"Rent campaign {tag}")
    page.get_by_label("The question").fill("Start a rent campaign?")
    page.get_by_label("Options, one per line").fill("Yes\nNo")
    scan_both_widths(page, axe_source, artifacts, "issue18-upward-form")
    deadline = time.monotonic() + 60
    page.get_by_role("button", name="Send the request").click()
    while not page.get_by_text("Your request is sent to the level above.").count():
        assert time.monotonic() < deadline, page.content()[:2000]
        time.sleep(1.5)
        page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Waiting for an answer").wait_for()
    tab_to(page, "#reason")
    page.keyboard.type("The nation decided it last spring.")
    page.get_by_role("button", name="Refuse the request").click()
    page.get_by_text("The request is refused; the reason is public.").wait_for()
    scan_both_widths(page, axe_source, artifacts, "issue18-upward-request")
    page.goto(f"{web_url}/chapters/{local['id']}")
    page.get_by_role("link", name=f"Rent campaign {tag}").wait_for()
    scan_both_widths(page, axe_source, artifacts, "issue18-chapter-upward")
