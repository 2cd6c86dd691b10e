"""The admin's desk in a browser (issue 16): the overview, the member directory as cards, one
member's page; an admin refuses a pending member with a reason, who reads it when logging in.
Every page scanned with axe and shot at 1280 and 390 px."""

from __future__ import annotations

import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    MEMBER_PASSWORD,
    active_member,
    bearer,
    chapter_tree,
    log_in_page,
    login,
    scan,
    scan_both_widths,
    shot,
)

PASSWORD = "Pending-member-pass-9!"


def test_an_admin_refuses_a_pending_member_who_reads_the_reason(
    page, stack, web_url, axe_source, artifacts
):
    tag = uuid.uuid4().hex[:6]
    email = f"pending-{tag}@example.org"
    joined = requests.post(
        f"{stack.url}/api/v1/auth/register",
        timeout=10,
        json={
            "email": email,
            "password": PASSWORD,
            "display_name": f"Pat {tag}",
            "country": "PT",
            "introduction": "I organise the Porto food bank.",
        },
    )
    assert joined.status_code == 201, joined.text

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("heading", name="What needs your attention").wait_for()
    page.get_by_role("link", name=f"Pat {tag}").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-home")

    page.get_by_role("link", name="Member directory").click()
    page.get_by_label("Name or email address").fill(tag)
    page.get_by_label("Status").select_option("pending")
    page.get_by_label("Country").select_option("PT")
    page.get_by_role("button", name="Show members").click()
    page.get_by_role("heading", name="Members found: 1").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-directory")

    page.get_by_role("link", name=f"Pat {tag}", exact=True).click()
    page.get_by_text("I organise the Porto food bank.").wait_for()
    page.get_by_role("button", name="Refuse the request").click()
    page.locator("#reason-error").wait_for()
    assert page.get_by_label("Reason for refusing").get_attribute("aria-invalid") == "true"
    scan(page, axe_source, artifacts, "admin-member-error")
    page.get_by_label("Reason for refusing").fill("We only admit members living in Lyon.")
    page.get_by_role("button", name="Refuse the request").click()
    page.get_by_text("Request refused").wait_for()
    page.get_by_text("We only admit members living in Lyon.").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-member")

    page.get_by_role("button", name="Log out").click()
    log_in_page(page, web_url, email, PASSWORD)
    page.get_by_text(
        "Your request to join was not accepted. The admins said: We only admit "
        "members living in Lyon."
    ).wait_for()
    shot(page, artifacts, "admin-refused-login")
    # the refusals answer 422 and 403 on purpose; nothing else may fail
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


def test_the_directory_finds_a_chapter_by_name_and_keeps_its_sub_chapters(
    page, stack, web_url, axe_source, artifacts
):
    """The chapter filter asks for the chapters matching a name (never the whole list): one
    match filters at once, several are offered to choose from, none says so."""
    tag = uuid.uuid4().hex[:6]
    admin = login(stack.url, *ADMIN)
    tree = chapter_tree(stack.url, admin, tag)
    email, _member_id = active_member(stack.url, admin, f"dir{tag}")
    joined = requests.post(
        f"{stack.url}/api/v1/chapters/{tree['loc']['id']}/join",
        headers=bearer(login(stack.url, email, MEMBER_PASSWORD)),
        timeout=10,
    )
    assert joined.status_code == 200, joined.text

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(web_url + "/admin/members")
    assert page.locator("select#chapter_id").count() == 0  # no list of every chapter
    page.get_by_label("Chapter").fill(tag)  # Intl, Nat and Loc all match
    page.get_by_role("button", name="Show members").click()
    page.get_by_role("heading", name="Several chapters match: choose one").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin-directory-choose-chapter")
    page.get_by_role("link", name=f"Nat {tag}", exact=True).click()
    page.get_by_role("link", name=f"Voucher dir{tag}", exact=True).wait_for()  # in Loc, below
    assert page.get_by_label("Chapter").input_value() == f"Nat {tag}"
    scan_both_widths(page, axe_source, artifacts, "admin-directory-chapter")

    page.get_by_label("Chapter").fill(f"Loc {tag}")  # one match: filtered at once
    page.get_by_role("button", name="Show members").click()
    page.get_by_role("link", name=f"Voucher dir{tag}", exact=True).wait_for()
    page.get_by_label("Chapter").fill(f"nowhere {tag}")
    page.get_by_role("button", name="Show members").click()
    page.locator("#chapter-error").get_by_text("No chapter has a name like this.").wait_for()
    assert page.get_by_label("Chapter").get_attribute("aria-invalid") == "true"
    scan(page, axe_source, artifacts, "admin-directory-no-chapter")
