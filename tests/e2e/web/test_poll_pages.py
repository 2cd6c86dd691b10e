"""A member finds a poll through /polls, reads its questions before voting, votes by keyboard,
changes the vote (the review keeps the edits), reads the results after close (blank answers,
percentages, the two-thirds rule, the CSV) and finds their ballot's commitment among the
published ones. axe on every page and state; screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    closes_in,
    launch_poll_for,
    login,
    scan,
    tab_to,
    wait_for_results,
)
from tests.support.wait import wait_for

PASSWORD = "Member-password-1!"


def shots(page, artifacts, name: str) -> None:
    """The page at 1280 px and at 390 px wide (a phone), full length; back to 1280."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artifacts / f"polls-{name}-{width}.png"), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (
            f"{name} scrolls sideways at {width} px"
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def _member(api: str, admin: str) -> tuple[str, str]:
    email = f"polls-{uuid.uuid4().hex[:8]}@example.org"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Poll Reader", "country": "GB"},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    approved = requests.post(
        f"{api}/api/v1/members/{made.json()['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return email, login(api, email, PASSWORD)


def _launch_when_allowed(api: str, admin: str, member: str, body: dict) -> dict:
    """The admin's mandate reaches polls by an event: wait for it (bounded)."""

    def launched():
        try:
            return launch_poll_for(api, admin, member, body)
        except AssertionError as refused:
            if "mandate" not in str(refused):
                raise
            return None

    return wait_for(launched, 45, "polls to know the admin's mandate", interval=1)


def test_find_read_vote_change_results_and_find_my_commitment(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    email, member = _member(api, admin)
    word = f"Charter{uuid.uuid4().hex[:6]}"
    poll = _launch_when_allowed(
        api,
        admin,
        member,
        {
            "title": f"Adopt the {word}",
            "text": "The draft is short.\r\n\r\nRead it at https://example.org/charter first.",
            "scope": {"type": "organisation"},
            "closes_at": closes_in(1),
            "questions": [
                {
                    "text": "Adopt the charter?",
                    "method": "majority",
                    "threshold": "two_thirds",
                    "options": ["Yes", "No"],
                },
                {
                    "text": "Which day suits you?",
                    "method": "plurality",
                    "options": ["Saturday", "Sunday"],
                },
            ],
        },
    )
    first_q, day_q = (q["id"] for q in poll["questions"])

    # Finds the poll through /polls, before logging in, and reads its questions.
    page.goto(web_url + "/polls")
    scan(page, axe_source, artifacts, "polls")
    page.get_by_label("Words of the title").fill(word.lower())
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Polls found").wait_for()
    scan(page, axe_source, artifacts, "polls-found")
    shots(page, artifacts, "01-search")
    # launch_poll_for may have launched earlier copies (same title) before the member counted.
    page.locator(f'a[href="/polls/{poll["id"]}"]').click()
    page.get_by_role("heading", name=poll["title"]).wait_for()
    reading = page.locator(".questions-read")
    assert "Adopt the charter?" in reading.text_content()
    assert "at least two thirds of the votes" in reading.text_content()
    assert "more than half" not in reading.text_content()
    assert reading.locator(".options li").all_text_contents()[:2] == ["Yes", "No"]
    assert page.locator(".poll-text p").count() == 2  # the paragraphs typed are kept
    assert page.locator('.poll-text a[href="https://example.org/charter"]').count() == 1
    scan(page, axe_source, artifacts, "poll-logged-out")
    shots(page, artifacts, "02-poll-read")

    # Logs in and votes by keyboard: Yes, Saturday.
    page.get_by_role("link", name="Log in to vote").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("form.ballot").wait_for()
    scan(page, axe_source, artifacts, "poll-ballot")
    tab_to(page, f'#q-{first_q} input[value="Yes"]')
    page.keyboard.press("Space")
    tab_to(page, f'#q-{day_q} input[value="Saturday"]')
    page.keyboard.press("Space")
    tab_to(page, "form.ballot button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Review your ballot").wait_for()
    tab_to(page, "form[action$='/cast'] button")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your ballot is cast").wait_for()
    receipt = page.locator("[data-receipt]").text_content().strip()

    # Changes the vote: No, and the day left blank; "Change question 1" keeps the edits.
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.get_by_role("link", name="Change my vote (you need your receipt)").click()
    page.check(f'#q-{first_q} input[value="No"]')
    page.evaluate(
        f"() => document.querySelectorAll('#q-{day_q} input').forEach(i => i.checked = false)"
    )
    page.locator("form.ballot button[type=submit]").click()
    page.get_by_role("heading", name="Review your ballot").wait_for()
    page.get_by_role("link", name="Change question 1").click()
    assert "change=1" in page.url
    page.locator("form.ballot").wait_for()
    assert page.is_checked(f'#q-{first_q} input[value="No"]')  # the edit is kept
    assert not page.is_checked(f'#q-{day_q} input[value="Saturday"]')
    page.locator("form.ballot button[type=submit]").click()
    page.get_by_role("heading", name="Review your ballot").wait_for()
    page.get_by_label("Your receipt").fill(receipt)
    scan(page, axe_source, artifacts, "review-change")
    shots(page, artifacts, "03-review-change")
    page.get_by_role("button", name="Change my vote").click()
    page.get_by_text("Your vote is changed. Your receipt stays the same.").wait_for()

    # After close: the results say blanks, percentages, the rule, and offer the CSV.
    closed = requests.post(
        f"{api}/api/v1/polls/{poll['id']}/close", headers=bearer(admin), timeout=10
    )
    assert closed.status_code == 200, closed.text
    wait_for_results(api, poll["id"])
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.get_by_role("heading", name="Results").wait_for()
    results = page.locator("section.results").text_content()
    assert "1 voted; 0 answered this question, 1 left it blank." in results
    assert "1 voted; 1 answered this question, 0 left it blank." in results
    assert "No: 1 vote (100%)" in results
    assert "at least two thirds of the votes" in results
    scan(page, axe_source, artifacts, "results")
    shots(page, artifacts, "04-results")
    csv_link = page.get_by_role("link", name="Download the results (CSV)")
    download = requests.get(web_url + csv_link.get_attribute("href"), timeout=10)
    assert download.status_code == 200 and "text/csv" in download.headers["Content-Type"]
    assert "Adopt the charter?" in download.text

    # Finds their commitment among the published ones (the receipt is posted, not in a URL).
    page.get_by_role("link", name="Published ballots, and find mine").first.click()
    page.get_by_role("heading", name="Published ballots").wait_for()
    scan(page, axe_source, artifacts, "ballots")
    page.get_by_label("Your receipt").fill("not-a-receipt")
    page.get_by_role("button", name="Find my commitment").click()
    page.locator("#receipt-error").wait_for()
    scan(page, axe_source, artifacts, "ballots-error")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Find my commitment").click()
    page.locator(".mine mark").wait_for()
    assert receipt not in page.url and receipt not in page.content()
    assert re.fullmatch(r"[0-9a-f]{64}", page.locator(".mine mark").text_content())
    scan(page, axe_source, artifacts, "ballots-found")
    shots(page, artifacts, "05-ballots-found")
    # The one error the console saw is the refused receipt's answer (422, on purpose).
    assert [e for e in page.console_errors if "status of 422" not in e] == []
