"""Results charts (transfer flow, beat matrix, consensus history), recall pages, a delegate's
record and the admin's newsletter and scheduled, scoped poll, in a real Chromium with axe."""

from __future__ import annotations

import datetime as dt
import email
import re
import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    closes_in,
    launch_poll_for,
    log_in_page,
    login,
    scan,
    scan_both_widths,
    shot,
    wait_for_results,
)
from tests.support.wait import within


def _member(api: str, admin: str) -> str:
    email = f"web3-{uuid.uuid4().hex[:8]}@example.org"
    password = "Member-password-1!"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={
            "email": email,
            "password": password,
            "display_name": f"Voter {email[5:9]}",
            "country": "FR",
        },
        timeout=10,
    )
    assert made.status_code == 201, made.text
    token = login(api, email, password)
    me = requests.get(f"{api}/api/v1/members/me", headers=bearer(token), timeout=10).json()
    approved = requests.post(
        f"{api}/api/v1/members/{me['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return login(api, email, password)


def _log_in(page, web_url):
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()


def test_results_show_transfers_beat_matrix_and_consensus_rounds(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    voters = [_member(api, admin) for _ in range(5)]
    poll = launch_poll_for(
        api,
        admin,
        voters[-1],
        {
            "title": f"Charts {uuid.uuid4().hex[:4]}",
            "scope": {"type": "organisation"},
            "closes_at": closes_in(1),
            "questions": [
                {"text": "Who cooks?", "method": "irv", "options": ["Ana", "Bo", "Cy"]},
                {"text": "Which day?", "method": "schulze", "options": ["Fri", "Sat", "Sun"]},
                {"text": "Adopt the rota?", "method": "consensus"},
                {"text": "Where do we meet?", "method": "schulze", "options": list(VENUES)},
            ],
        },
    )
    irv, schulze, consensus, venue = (q["id"] for q in poll["questions"])
    rankings = [["Ana"], ["Ana"], ["Bo"], ["Bo"], ["Cy", "Bo"]]
    days = [["Sat", "Fri"], ["Sat", "Sun"], ["Fri", "Sat"], ["Sun", "Sat"], ["Sat"]]
    for token, ranking, day in zip(voters, rankings, days, strict=True):
        cast = requests.post(
            f"{api}/api/v1/polls/{poll['id']}/ballots",
            headers=bearer(token),
            json={
                "answers": [
                    {"question_id": irv, "ranking": ranking},
                    {"question_id": schulze, "ranking": day},
                    {"question_id": consensus, "response": "agree"},
                    {"question_id": venue, "ranking": list(VENUES)[: len(day) + 2]},
                ]
            },
            timeout=10,
        )
        assert cast.status_code in (200, 201), cast.text
    closed = requests.post(
        f"{api}/api/v1/polls/{poll['id']}/close", headers=bearer(admin), timeout=10
    )
    assert closed.status_code == 200, closed.text
    wait_for_results(api, poll["id"])
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.get_by_role("heading", name="How votes moved between rounds").wait_for()
    assert "Cy (1) passed on votes: 1 to Bo" in page.locator(".flow-story").text_content()
    assert page.locator("svg.flow title").text_content() == "How votes moved between rounds"
    assert "Sat beats Fri by 4 to 1." in page.locator(".beat-sentences").first.text_content()
    assert page.locator("svg.matrix").count() == 2  # the days, the venues
    page.get_by_role("heading", name="Consensus rounds").wait_for()
    assert page.locator("svg.stacked").count() == 1
    scan_both_widths(page, axe_source, artifacts, "14-results-charts")
    _tables_scroll_in_focusable_regions(page, artifacts)
    assert page.console_errors == []


# Realistic option names: their beat matrix is wider than a phone.
VENUES = (
    "Community centre, Rue Garibaldi",
    "Library meeting room",
    "Café des Arts back room",
    "Town hall annexe",
    "Union office, 2nd floor",
    "Online (video call)",
)


def _tables_scroll_in_focusable_regions(page, artifacts) -> None:
    """At 390 px a results table wider than the screen scrolls inside a region that is named
    by the table's caption and reached with Tab (its arrow keys scroll it); at least one does
    here (the venues' beat matrix)."""
    page.set_viewport_size({"width": 390, "height": 844})
    wraps = page.evaluate(
        "() => [...document.querySelectorAll('main .table-wrap, main .table-scroll')].map(w => ({"
        "wide: w.scrollWidth > w.clientWidth + 1, role: w.getAttribute('role'),"
        "tabindex: w.getAttribute('tabindex'),"
        "name: (document.getElementById(w.getAttribute('aria-labelledby')) || {}).textContent,"
        "id: w.getAttribute('aria-labelledby')}))"
    )
    wide = [w for w in wraps if w["wide"]]
    assert wide, wraps
    for w in wide:
        assert w["role"] == "region" and w["tabindex"] == "0" and w["name"], w
    region = f"[aria-labelledby='{wide[-1]['id']}']"
    page.focus(region)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f'() => document.querySelector("{region}").scrollLeft > 0')
    shot(page, artifacts, "14-results-matrix-scrolled-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def _mails_with_subject(stack, subject: str, expected: int, wait_s: float = 60) -> int:
    """How many mails in the stack's mail folder carry `subject`, once there are `expected`."""

    def found() -> int:
        return sum(
            1
            for file in (stack.run_dir / "mail").glob("**/*.eml")
            if email.message_from_bytes(file.read_bytes()).get("Subject") == subject
        )

    within(lambda: found() >= expected, wait_s, interval=0.5)
    return found()


def _phone(page, artifacts, name: str) -> None:
    """A screenshot at 390 px; nothing is wider than the screen."""
    before = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(before)
    assert width <= 390, f"{name} is {width}px wide on a phone"


def test_admin_newsletter_scheduled_chapter_poll_recalls_and_record(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    tag = uuid.uuid4().hex[:4]
    chapter = requests.post(
        f"{api}/api/v1/chapters",
        headers=bearer(admin),
        timeout=10,
        json={"name": f"Nantes {tag}", "level": "local", "country": "FR"},
    ).json()
    _log_in(page, web_url)

    page.get_by_role("link", name="Newsletters").click()
    scan(page, axe_source, artifacts, "admin-newsletters")
    page.get_by_label("Subject", exact=True).fill(f"News {tag}")
    page.get_by_label("Text", exact=True).fill("Hello everyone.")
    page.get_by_role("button", name="Send a test to myself").click()
    page.get_by_text("A test is on its way to your own address.").wait_for()
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("By email:").wait_for()  # who gets it, who not and why, the mail itself
    page.get_by_role("heading", name="The mail in each language").wait_for()
    scan(page, axe_source, artifacts, "admin-newsletter-preview")
    shot(page, artifacts, "15-admin-newsletter-preview")
    _phone(page, artifacts, "15-admin-newsletter-preview")
    counts = page.locator("#preview-counts").inner_text()
    will_get = int(re.search(r"By email: (\d+) members? will get it", counts).group(1))
    page.get_by_role("button", name="Send now").click()
    page.get_by_text("Newsletter queued").wait_for()
    # the preview's count is what reaches the mail folder (plus the admin's own test copy)
    assert _mails_with_subject(stack, f"News {tag}", will_get + 1) == will_get + 1
    page.get_by_role("rowheader", name=f"News {tag}").wait_for()
    shot(page, artifacts, "15-admin-newsletters")
    page.get_by_role("link", name="The archive members read").click()
    page.get_by_role("heading", name="Newsletter archive").wait_for()
    scan(page, axe_source, artifacts, "newsletter-archive")
    shot(page, artifacts, "15-newsletter-archive")
    _phone(page, artifacts, "15-newsletter-archive")

    page.get_by_role("link", name="Create a poll").click()
    page.get_by_label("Title").fill(f"Nantes rota {tag}")
    page.get_by_label("A chapter (with its sub-chapters)").check()
    page.get_by_label("Chapter", exact=True).select_option(label=f"Nantes {tag}")
    opens = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    page.get_by_label("Opens at (UTC; optional)").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#closes_at").fill((opens + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#question-0-text").fill("Tuesdays or Thursdays?")
    page.locator("#question-0-options").fill("Tuesdays\nThursdays")
    page.get_by_role("button", name="Review the poll").click()
    page.get_by_text(f"Members of the chapter Nantes {tag} and its sub-chapters").wait_for()
    page.get_by_role("button", name="Schedule the poll").click()
    page.get_by_text("Poll scheduled").wait_for()
    poll_id = page.url.rstrip("/").split("/")[-1]
    poll = requests.get(f"{api}/api/v1/polls/{poll_id}", headers=bearer(admin), timeout=10).json()
    assert poll["status"] == "scheduled" and poll["scope"]["id"] == chapter["id"]

    page.goto(f"{web_url}/chapters/{chapter['id']}")
    page.get_by_role("link", name="Delegates and recall petitions of this chapter").click()
    page.get_by_role("heading", name="Petitions", exact=True).wait_for()
    scan(page, axe_source, artifacts, "recalls")
    shot(page, artifacts, "16-recalls")
    me = requests.get(f"{api}/api/v1/members/me", headers=bearer(admin), timeout=10).json()
    page.goto(f"{web_url}/members/{me['id']}/record")
    page.get_by_role("heading", name="Votes as a delegate").wait_for()
    scan(page, axe_source, artifacts, "record")
    shot(page, artifacts, "17-record")
    assert page.console_errors == []
