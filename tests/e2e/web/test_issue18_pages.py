"""Issue 18 in a real Chromium, by keyboard, axe-scanned at 1280 and 390 px: a member supports
a proposal (member initiative); a poll states its affected chapter's weight with the reason and
takes a challenge; a chapter asks the level above for a delegate poll, which refuses in
public; a plain member of a chapter with only an interim coordinator launches its coordinator
election from the chapter's page, and the poll appears."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    MEMBER_PASSWORD,
    active_member,
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


def _member_of(api: str, admin: str, tag: str, chapter_id: str) -> tuple[str, str]:
    """(address, id) of an active member who joined the chapter."""
    address, member_id = active_member(api, admin, tag)
    joined = requests.post(
        f"{api}/api/v1/chapters/{chapter_id}/join",
        headers=bearer(login(api, address, MEMBER_PASSWORD)),
        timeout=10,
    )
    assert joined.status_code == 200, joined.text
    return address, member_id


def _admin_election_page(page, api: str, web_url: str, axe_source, artifacts, name: str) -> None:
    """While no admin is elected (the stack's admin is the bootstrapped, interim one), /delegates
    calls the member to the admin election and its page finds candidates by name."""
    elected = requests.get(
        f"{api}/api/v1/mandates", params={"role": "admin", "elected": "true"}, timeout=10
    ).json()
    if elected:  # an earlier test of the session elected the admins: nothing to call to
        return
    page.goto(f"{web_url}/delegates")
    page.get_by_text("The organisation has no elected admin").wait_for()
    scan_both_widths(page, axe_source, artifacts, "elect18-delegates-call")
    tab_to(page, "#admin-election a.button")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Admin election", exact=True).wait_for()
    tab_to(page, "#q")
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    page.get_by_label(name).wait_for()
    scan_both_widths(page, axe_source, artifacts, "elect18-admin-election")


def test_a_member_launches_the_coordinator_election(page, stack, web_url, axe_source, artifacts):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    _national, local = _tree(api, admin, tag)  # the admin founded it: its interim coordinator
    coordinators = requests.get(f"{api}/api/v1/chapters/{local['id']}", timeout=10).json()
    assert [c["interim"] for c in coordinators["coordinators"]] == [True]
    address, me_id = _member_of(api, admin, f"me{tag}", local["id"])
    _other, other_id = _member_of(api, admin, f"ot{tag}", local["id"])
    log_in_page(page, web_url, address, MEMBER_PASSWORD)
    page.get_by_text("You are logged in.").wait_for()

    page.goto(f"{web_url}/chapters/{local['id']}")
    page.get_by_text("This chapter has no elected coordinator: its members can hold an").wait_for()
    scan_both_widths(page, axe_source, artifacts, "elect18-chapter-call")
    tab_to(page, "#coordinator-election a.button")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Coordinator election of Town {tag}").wait_for()
    for member_id in (me_id, other_id):  # the chapter's members stand
        tab_to(page, f'input[name="candidates"][value="{member_id}"]')
        page.keyboard.press("Space")
    closes = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    tab_to(page, "#closes_at")
    page.keyboard.type(closes.strftime("%m%d%Y"))  # Chromium's fields: month, day, year,
    page.keyboard.press("Tab")  # then the time's
    page.keyboard.type("0900AM")
    assert page.input_value("#closes_at") == closes.strftime("%Y-%m-%dT09:00")
    scan_both_widths(page, axe_source, artifacts, "elect18-coordinator-form")
    deadline = time.monotonic() + 60  # polls learns of the memberships by events
    while True:
        assert page.locator("#election button.primary").count(), page.inner_text("main")[:3000]
        tab_to(page, "#election button.primary", limit=150)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if page.get_by_text("Coordinator election launched.").count():
            break
        assert time.monotonic() < deadline, page.content()[:2000]
        time.sleep(1.5)
    page.get_by_role("heading", name=f"Election of the coordinators of Town {tag}").wait_for()
    poll_url = page.url

    # The election under way is shown on the chapter's page and instead of the form.
    page.goto(f"{web_url}/chapters/{local['id']}")
    page.get_by_text("The members of this chapter are electing its coordinators:").wait_for()
    tab_to(page, "#coordinator-election a")  # also listed among the chapter's polls
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == poll_url
    page.goto(f"{web_url}/chapters/{local['id']}/coordinator-election")
    page.get_by_role("heading", name="An election is under way").wait_for()
    assert not page.locator("#election").count()
    scan_both_widths(page, axe_source, artifacts, "elect18-coordinator-pending")
    _admin_election_page(page, api, web_url, axe_source, artifacts, f"Voucher ot{tag}")
