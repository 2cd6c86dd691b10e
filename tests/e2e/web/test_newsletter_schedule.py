"""Scheduling a newsletter from /admin/newsletters in a browser (issue 16): the admin writes it,
gives a time, previews it, schedules it, finds it listed with its time, moves it, then cancels
it; a time in the past is refused beside its field; the public archive never shows it. Buttons
are reached and pressed by keyboard; pages scanned with axe at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import uuid

import requests

from tests.e2e.web.helpers import ADMIN, bearer, log_in_page, login, scan_both_widths, tab_to


def _field(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_an_admin_schedules_moves_and_cancels_a_newsletter(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    subject = f"Christmas news {tag}"
    at = (dt.datetime.now(dt.UTC) + dt.timedelta(days=20)).replace(hour=9, minute=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(web_url + "/admin/newsletters")

    tab_to(page, "#subject")
    page.keyboard.type(subject)
    tab_to(page, "#body")
    page.keyboard.type("See you in January.")
    tab_to(page, "#send_at")
    page.locator("#send_at").fill("2001-01-01T09:00")  # a time gone by
    tab_to(page, "button[value=preview]")
    page.keyboard.press("Enter")
    page.locator("#send_at-error").wait_for()
    assert page.locator("#send_at-error").text_content() == (
        "The time to send it must be in the future."
    )
    assert page.locator("#send_at").get_attribute("aria-invalid") == "true"
    scan_both_widths(page, axe_source, artifacts, "newsletter-schedule-refused")

    tab_to(page, "#send_at")
    page.locator("#send_at").fill(_field(at))
    tab_to(page, "button[value=preview]")
    page.keyboard.press("Enter")
    schedule = page.get_by_role("button", name="Schedule it for")
    schedule.wait_for()
    assert page.get_by_role("button", name="Send now").count() == 0
    page.get_by_text("counted again when it goes").wait_for()
    scan_both_widths(page, axe_source, artifacts, "newsletter-schedule-preview")
    schedule.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Newsletter scheduled for").wait_for()

    card = page.locator(".scheduled-newsletter", has_text=subject)
    card.wait_for()
    assert card.get_by_text("Goes out").count() == 1
    field = card.get_by_label(f"New time (UTC) for “{subject}”")
    assert field.input_value() == _field(at)
    scan_both_widths(page, axe_source, artifacts, "newsletter-scheduled")

    admin = login(api, *ADMIN)

    def mine() -> dict:
        listed = requests.get(f"{api}/api/v1/newsletters", headers=bearer(admin), timeout=10)
        [found] = [n for n in listed.json() if n["subject"] == subject]
        return found

    desk = f"/admin/newsletters/{mine()['id']}"
    later = at + dt.timedelta(days=1, hours=2)
    field.focus()
    field.fill(_field(later))
    tab_to(page, f"form[action='{desk}/time'] button")
    page.keyboard.press("Enter")
    page.get_by_text("Newsletter moved: it goes").wait_for()
    card = page.locator(".scheduled-newsletter", has_text=subject)
    assert card.get_by_label(f"New time (UTC) for “{subject}”").input_value() == _field(later)
    assert mine()["status"] == "scheduled" and mine()["send_at"].startswith(_field(later))

    assert card.get_by_role("button", name=f"Cancel it “{subject}”").count() == 1
    tab_to(page, f"form[action='{desk}/cancel'] button")
    page.keyboard.press("Enter")
    page.get_by_text("Newsletter cancelled: nobody will get it.").wait_for()
    assert page.locator(".scheduled-newsletter", has_text=subject).count() == 0
    row = page.locator("table.directory tr", has_text=subject)
    assert row.get_by_text("Cancelled").count() == 1 and mine()["status"] == "cancelled"
    scan_both_widths(page, axe_source, artifacts, "newsletter-cancelled")
    archive = requests.get(f"{api}/api/v1/newsletters/archive", timeout=10).json()
    assert subject not in [n["subject"] for n in archive]
