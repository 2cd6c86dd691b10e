"""A chapter's coordinator at work in a browser (issue 16): an admin grants the coordinator
mandate from the member's page (the audit entry shows), the coordinator opens the chapter's
management page from the chapter, records a meeting with its place, attendance, agenda and
minutes, and opens a member's proposal as a poll. Pages scanned with axe and shot at 1280 and
390 px."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    chapter_tree,
    elect_uncontested,
    login,
    scan,
    scan_both_widths,
    shot,
)

PASSWORD = "Coordinator-pass-7!"


def _log_in(page, web_url, email, password):
    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("You are logged in.").wait_for()


def _both_widths(page, axe_source, artifacts, name):
    page.set_viewport_size({"width": 1280, "height": 900})
    scan(page, axe_source, artifacts, name)
    shot(page, artifacts, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    scan(page, axe_source, artifacts, f"{name}-390")
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"{name} scrolls sideways at 390 px"
    shot(page, artifacts, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def _active_member(api: str, admin: str, name: str) -> tuple[str, str]:
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.org"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        timeout=10,
        json={"email": email, "password": PASSWORD, "display_name": name, "country": "FR"},
    )
    assert made.status_code == 201, made.text
    token = login(api, email, PASSWORD)
    member_id = requests.get(f"{api}/api/v1/members/me", headers=bearer(token), timeout=10).json()[
        "id"
    ]
    approved = requests.post(
        f"{api}/api/v1/members/{member_id}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return email, member_id


def _chapter(api: str, admin: str, tag: str) -> dict:
    parent = None
    for level in ("national", "local"):
        body = {
            "name": f"{level.title()} {tag}",
            "level": level,
            "country": "FR",
            "parent_id": parent,
            "place": "Lyon",
        }
        made = requests.post(f"{api}/api/v1/chapters", json=body, headers=bearer(admin), timeout=10)
        assert made.status_code == 201, made.text
        parent = made.json()["id"]
    return made.json()


def _proposal(api: str, token: str, chapter_id: str, title: str) -> str:
    """A member's proposal for the chapter; polls learns of new chapters by events."""
    body = {
        "title": title,
        "scope": {"type": "chapter", "id": chapter_id},
        "questions": [{"text": "Install them?", "method": "plurality", "options": ["Yes", "No"]}],
    }
    deadline = time.monotonic() + 60
    while True:
        made = requests.post(
            f"{api}/api/v1/proposals", json=body, headers=bearer(token), timeout=10
        )
        if made.status_code == 201:
            return made.json()["id"]
        assert time.monotonic() < deadline, made.text
        time.sleep(1)


def test_a_coordinator_records_a_meeting_and_opens_a_proposal(
    page, browser, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    chapter = _chapter(api, admin, tag)
    email, member_id = _active_member(api, admin, f"Cora{tag}")
    _author_email, _author_id = _active_member(api, admin, f"Ali{tag}")
    author = login(api, _author_email, PASSWORD)
    for token in (login(api, email, PASSWORD), author):
        joined = requests.post(
            f"{api}/api/v1/chapters/{chapter['id']}/join", headers=bearer(token), timeout=10
        )
        assert joined.status_code == 200, joined.text

    # The admin grants the mandate from the member's page; the audit log shows it.
    _log_in(page, web_url, *ADMIN)
    page.goto(f"{web_url}/admin/members/{member_id}")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_label("Chapter (for a coordinator)").select_option(chapter["id"])
    page.get_by_label("Note (public, in the audit log)").fill("Chosen at the June meeting")
    page.get_by_role("button", name="Grant the mandate").click()
    page.get_by_text("Mandate granted; the audit log records it.").wait_for()
    audit = page.locator("#audit-heading + ul").text_content()
    assert "Mandate granted" in audit and chapter["name"] in audit
    _both_widths(page, axe_source, artifacts, "admin-member-mandates")

    proposal_id = _proposal(api, author, chapter["id"], f"Bike racks {tag}")

    coordinator = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    ).new_page()
    _log_in(coordinator, web_url, email, PASSWORD)
    coordinator.goto(f"{web_url}/chapters/{chapter['id']}")
    coordinator.get_by_role("link", name="Manage this chapter (coordinators)").click()
    coordinator.get_by_role("heading", name=f"Manage {chapter['name']}").wait_for()
    coordinator.get_by_role("link", name=f"Bike racks {tag}").wait_for()

    today = dt.date.today().isoformat()
    coordinator.get_by_label("Date").fill(today)
    coordinator.get_by_label("Place", exact=True).fill("Café du Nord, Lyon")
    coordinator.get_by_label("Number of people present").fill("12")
    coordinator.get_by_label("Agenda", exact=True).fill("1. Budget\n2. Bike racks")
    coordinator.get_by_label("Minutes", exact=True).fill("The budget is adopted.")
    coordinator.get_by_role("button", name="Record the meeting").click()
    coordinator.get_by_text("Meeting recorded.").wait_for()
    recorded = coordinator.locator("#meetings-h ~ ul").last.text_content()
    assert "Café du Nord, Lyon" in recorded and "The budget is adopted." in recorded
    assert "12 people present" in recorded
    _both_widths(coordinator, axe_source, artifacts, "chapter-manage")

    # The proposal waiting for the chapter: the coordinator opens it as a poll from its page
    # (polls learns of the mandate by event, so the page may need a reload or two).
    coordinator.get_by_role("link", name=f"Bike racks {tag}").click()
    deadline = time.monotonic() + 60
    while not coordinator.get_by_role("button", name="Open as a poll").count():
        assert time.monotonic() < deadline, "the coordinator may never open the proposal"
        time.sleep(1.5)
        coordinator.goto(f"{web_url}/proposals/{proposal_id}")
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    coordinator.get_by_label("Closes at (UTC)").fill(closes)
    coordinator.get_by_role("button", name="Open as a poll").click()
    coordinator.get_by_text("The proposal is open as a poll.").wait_for()
    coordinator.context.close()


def test_an_admin_previews_a_newsletter_in_each_language(page, web_url, axe_source, artifacts):
    _log_in(page, web_url, *ADMIN)
    page.goto(web_url + "/admin/newsletters")
    page.get_by_label("Subject", exact=True).fill("Convention news")
    page.get_by_label("Text", exact=True).fill("The convention meets on 12 March.")
    page.get_by_text("French translation (optional)").click()  # a <details>, no script
    page.get_by_label("Subject (French)").fill("Nouvelles de la convention")
    page.get_by_label("Text (French)").fill("La convention se réunit le 12 mars.")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="The mail in each language").wait_for()
    page.get_by_text("La convention se réunit le 12 mars.").last.wait_for()
    assert page.get_by_text("no translation, these readers get the English text.").count() == 1
    _both_widths(page, axe_source, artifacts, "admin-newsletter-languages")


def test_a_delegate_polls_desk_shows_the_roll_call(page, stack, web_url, axe_source, artifacts):
    api, tag = stack.url, uuid.uuid4().hex[:5]
    admin = login(api, *ADMIN)
    tree = chapter_tree(api, admin, tag)
    admin_id = requests.get(f"{api}/api/v1/members/me", headers=bearer(admin), timeout=10).json()[
        "id"
    ]
    requests.post(
        f"{api}/api/v1/chapters/{tree['loc']['id']}/join", headers=bearer(admin), timeout=10
    )
    elect_uncontested(api, admin, tree["loc"]["id"], admin_id)
    body = {
        "chapter_id": tree["nat"]["id"],
        "title": f"Budget {tag}",
        "closes_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat(),
        "questions": [
            {"text": "Adopt the budget?", "method": "plurality", "options": ["Yes", "No"]}
        ],
    }
    deadline = time.monotonic() + 90  # polls learns of the delegate's mandate by event
    while True:
        made = requests.post(
            f"{api}/api/v1/polls/delegate-polls", json=body, headers=bearer(admin), timeout=10
        )
        if made.status_code == 201:
            break
        assert made.status_code in (403, 409, 422) and time.monotonic() < deadline, made.text
        time.sleep(1)

    _log_in(page, web_url, *ADMIN)
    page.goto(f"{web_url}/admin/polls/{made.json()['id']}")
    page.get_by_role("heading", name="Roll-call of the delegates").wait_for()
    assert "Not voted yet" in page.locator("table.directory").text_content()
    _both_widths(page, axe_source, artifacts, "admin-poll-roll-call")

    # The delegate votes: the public list of delegates and their record show it, and on a phone
    # their tables are cards (nothing scrolls sideways, axe's scrollable-region rule holds).
    poll = made.json()
    cast = requests.post(
        f"{api}/api/v1/polls/{poll['id']}/ballots",
        json={"answers": [{"question_id": poll["questions"][0]["id"], "choice": "Yes"}]},
        headers=bearer(admin),
        timeout=10,
    )
    assert cast.status_code in (200, 201), cast.text
    page.goto(f"{web_url}/delegates")
    page.get_by_role("link", name=tree["loc"]["name"]).first.wait_for()
    _cards_on_a_phone(page, axe_source, artifacts, "delegates-list")
    page.goto(f"{web_url}/members/{admin_id}/record")
    page.get_by_role("link", name=f"Budget {tag}").wait_for()
    _cards_on_a_phone(page, axe_source, artifacts, "delegate-record")
    page.goto(f"{web_url}/me/notifications")
    page.get_by_role("heading", name="What we sent you").wait_for()
    _cards_on_a_phone(page, axe_source, artifacts, "preferences-inbox", rows_needed=False)


def _cards_on_a_phone(page, axe_source, artifacts, name: str, rows_needed=True) -> None:
    """axe and shots at 1280 and 390 px; at 390 px each row of a table is a card (a block as
    wide as the screen at most), never a region to scroll sideways."""
    scan_both_widths(page, axe_source, artifacts, name)
    page.set_viewport_size({"width": 390, "height": 844})
    rows = page.evaluate(
        "() => [...document.querySelectorAll('main table.directory tbody tr')].map(r => "
        "[getComputedStyle(r).display, Math.round(r.getBoundingClientRect().right)])"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert rows or not rows_needed, f"{name} shows no table"
    assert all(display == "block" and right <= 390 for display, right in rows), (name, rows)
