"""The admin's polls in a browser (issue 16): a two-thirds majority question with a quorum and
an STV question, checked by the server before launch; the polls list; a deadline extended with
a reason members see; an early close only through the confirmation page."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from tests.e2e.web.helpers import ADMIN, log_in_page, scan, scan_both_widths, shot


def test_an_admin_creates_extends_and_closes_a_poll(page, stack, web_url, axe_source, artifacts):
    tag = uuid.uuid4().hex[:6]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(web_url + "/admin/polls/new")
    page.get_by_label("Title").fill(f"Statutes {tag}")
    page.locator("#question-0-text").fill("Do you adopt the statutes?")
    page.locator("#question-0-method").select_option("majority")
    page.locator("#question-0-options").fill("Yes\nNo")
    page.locator("#question-0-threshold").select_option("two_thirds")
    page.locator("#question-0-quorum").fill("lots")
    page.get_by_role("button", name="Add a question").click()
    page.locator("#question-1-text").fill("Elect the board")
    page.locator("#question-1-method").select_option("stv")
    page.locator("#question-1-options").fill("Ana\nBo\nCy\nDee")
    page.locator("#question-1-seats").fill("2")
    page.get_by_role("button", name="Review the poll").click()
    page.locator("#question-0-quorum-error").wait_for()
    scan(page, axe_source, artifacts, "admin-poll-new-error")
    page.locator("#question-0-quorum").fill("20")
    page.get_by_role("button", name="Review the poll").click()
    page.get_by_text("The server checked this poll: launching it will work.").wait_for()
    page.get_by_text("Majority needed: Two thirds of the votes cast").wait_for()
    page.get_by_text("Quorum: 20% of the electorate must vote.").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-poll-review")
    page.get_by_role("button", name="Launch the poll now").click()
    page.get_by_text("Poll launched").wait_for()

    page.goto(web_url + "/admin/polls?q=" + tag)
    page.get_by_role("heading", name="Polls found: 1").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-polls")
    page.get_by_role("link", name=f"Statutes {tag}").click()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    page.get_by_label("New closing time (UTC)").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Extend the deadline").click()
    page.locator("#reason-error").wait_for()
    page.get_by_label("Reason (members see it with the poll)").fill(
        "The general assembly moved a week later."
    )
    page.get_by_role("button", name="Extend the deadline").click()
    page.get_by_text("Deadline moved").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-poll-desk")

    page.get_by_role("link", name="See the poll as members see it").click()
    page.get_by_text("The general assembly moved a week later.").wait_for()
    page.get_by_role("link", name="Manage this poll: extend, close early, export").click()
    page.get_by_role("link", name="Close this poll early…").click()
    page.get_by_text(re.compile(r"^\d+ members? (has|have) not voted yet\.$")).wait_for()
    page.get_by_text("Time left before the planned close: 9 days").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-poll-close")
    page.get_by_role("button", name="Yes, close it now").click()
    page.get_by_text("The poll is closed; results appear once counted.").wait_for()
    page.get_by_role("link", name="Results as CSV").wait_for()
    shot(page, artifacts, "admin-poll-closed")
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []
