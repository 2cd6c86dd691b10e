"""A member and an admin use Councils in a real headless Chromium, through the gateway only."""

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
    shot,
    tab_to,
    wait_for_results,
)

FRUIT = ["Apples", "Bananas", "Cherries", "Dates"]


def test_member_registers_votes_by_keyboard_and_finds_their_ballot(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    email = f"web-{uuid.uuid4().hex[:8]}@example.org"
    password = "Member-password-1!"

    # Joins through the page; pending until approved.
    page.goto(web_url + "/")
    scan(page, axe_source, artifacts, "home-anonymous")
    page.get_by_role("link", name="Join").first.click()
    scan(page, axe_source, artifacts, "register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Your name, as other members will see it").fill("Web Member")
    page.get_by_label("Country").fill("FR")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Join").click()
    page.get_by_text("Your membership is pending").first.wait_for()
    shot(page, artifacts, "01-registered-pending")

    # Approved by the admin (through the API), then a poll opens with them in its electorate.
    admin = login(api, *ADMIN)
    member = login(api, email, password)
    me = requests.get(f"{api}/api/v1/members/me", headers=bearer(member), timeout=10).json()
    approved = requests.post(
        f"{api}/api/v1/members/{me['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    member = login(api, email, password)  # a token that says "active"
    poll = launch_poll_for(
        api,
        admin,
        member,
        {
            "title": f"Fruit for the picnic {uuid.uuid4().hex[:4]}",
            "scope": {"type": "organisation"},
            "closes_at": closes_in(1),
            "questions": [
                {"text": "Which fruit should we bring?", "method": "irv", "options": FRUIT},
                {
                    "text": "Which drinks are fine?",
                    "method": "approval",
                    "options": ["Water", "Juice", "Tea"],
                },
            ],
        },
    )
    ranking_q, approval_q = (q["id"] for q in poll["questions"])

    # Logs in again in the page (the session from joining still says pending).
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{web_url}/login?next=/polls/{poll['id']}")
    scan(page, axe_source, artifacts, "login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=poll["title"]).wait_for()
    scan(page, axe_source, artifacts, "ballot")
    shot(page, artifacts, "02-ballot")

    # Ranks by keyboard only: Cherries, Apples, Bananas; Dates left unranked.
    announce = page.locator(f"#q-{ranking_q} [data-announce]")
    for position, name in enumerate(["Cherries", "Apples", "Bananas"], start=1):
        button = f'#q-{ranking_q} li[data-option="{name}"] .move-up'
        tab_to(page, button)
        page.keyboard.press("Enter")
        page.wait_for_function(
            "([s, t]) => document.querySelector(s).textContent === t",
            arg=[f"#q-{ranking_q} [data-announce]", f"{name} moved to rank {position} of 4"],
        )
        # Focus stays with the option that moved (on its other button if this one is off).
        assert page.evaluate(
            "n => document.activeElement.closest('li') && "
            "document.activeElement.closest('li').dataset.option === n",
            name,
        )
    assert announce.text_content() == "Bananas moved to rank 3 of 4"
    order = page.locator(f"#q-{ranking_q} li.rank-item").evaluate_all(
        "items => items.map(i => [i.dataset.option, i.querySelector('select').value])"
    )
    assert order == [["Cherries", "1"], ["Apples", "2"], ["Bananas", "3"], ["Dates", ""]]

    # Approves two drinks with the space bar; the counter follows.
    for drink in ("Water", "Tea"):
        tab_to(page, f'#q-{approval_q} input[value="{drink}"]')
        page.keyboard.press("Space")
    assert page.locator(f"#q-{approval_q} [data-counter]").text_content() == "2 of 3 selected"
    shot(page, artifacts, "03-ballot-filled")

    tab_to(page, "form.ballot button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Review your ballot").wait_for()
    scan(page, axe_source, artifacts, "review")
    shot(page, artifacts, "04-review")
    assert page.locator(".review-ranking").first.locator("li").all_text_contents() == [
        "Cherries",
        "Apples",
        "Bananas",
    ]
    assert page.get_by_text("1 of 4 options unranked").count() == 1
    tab_to(page, "form[action$='/cast'] button")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Your ballot is cast").wait_for()
    scan(page, axe_source, artifacts, "receipt")
    shot(page, artifacts, "05-receipt")
    receipt = page.locator("[data-receipt]").text_content().strip()
    assert re.fullmatch(r"[A-Za-z0-9_\-]{12,}", receipt), receipt
    page.get_by_role("button", name="Copy receipt").wait_for()  # shown when JS runs

    # Changes their vote before close with the receipt: Juice is fine too after all.
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.get_by_role("link", name="Change my vote (you need your receipt)").click()
    for rank, name in enumerate(["Cherries", "Apples", "Bananas"], start=1):
        page.select_option(f'#q-{ranking_q} li[data-option="{name}"] select', str(rank))
    for drink in ("Water", "Juice", "Tea"):
        page.check(f'#q-{approval_q} input[value="{drink}"]')
    page.locator("form.ballot button[type=submit]").click()
    page.get_by_role("heading", name="Review your ballot").wait_for()
    page.get_by_label("Your receipt").fill(receipt)
    scan(page, axe_source, artifacts, "review-change")
    page.get_by_role("button", name="Change my vote").click()
    page.get_by_text("Your vote is changed. Your receipt stays the same.").wait_for()
    assert page.locator("[data-receipt]").text_content().strip() == receipt

    # The poll closes; the member reads the results and finds their ballot.
    closed = requests.post(
        f"{api}/api/v1/polls/{poll['id']}/close", headers=bearer(admin), timeout=10
    )
    assert closed.status_code == 200, closed.text
    wait_for_results(api, poll["id"])
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.get_by_role("heading", name="Results").wait_for()
    scan(page, axe_source, artifacts, "results")
    shot(page, artifacts, "06-results")
    first_result = page.locator("article.result").first
    assert "Winner: Cherries" in first_result.locator(".headline").text_content()
    assert first_result.locator("svg[role=img] title").count() >= 1
    assert first_result.locator("table").count() == 1

    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Find my ballot").click()
    page.get_by_role("heading", name="Your ballot was found and counted").wait_for()
    assert receipt not in page.url  # the receipt went by POST, not in the address
    scan(page, axe_source, artifacts, "check")
    shot(page, artifacts, "07-ballot-found")
    # Receipt-free: the check says counted and unchanged, and names the published entry,
    # not what the ballot says; the published list shows every entry's content.
    assert page.get_by_text("Counted, unchanged since you cast it.").is_visible()
    assert page.locator(".found dd").count() == 0
    page.get_by_role("link", name="The published list of ballots").click()
    page.get_by_role("heading", name="Published ballots").wait_for()
    entry = page.url.split("#e-", 1)[1]
    assert page.locator(f'li[id="e-{entry}"]').count() == 1  # the receipt's commitment
    found = page.locator('[aria-labelledby="ballots-h"] dd').all_text_contents()  # one voter
    shot(page, artifacts, "07b-published-ballots")
    assert found[0] == "1. Cherries > 2. Apples > 3. Bananas"
    assert "Water" in found[1] and "Tea" in found[1] and "Juice" in found[1]  # as changed
    assert page.console_errors == []


def test_admin_creates_and_launches_an_organisation_wide_poll(
    page, stack, web_url, axe_source, artifacts
):
    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Create a poll").click()
    scan(page, axe_source, artifacts, "admin-new-poll")
    title = f"Founding convention date {uuid.uuid4().hex[:4]}"
    page.get_by_label("Title").fill(title)
    page.locator("#question-0-text").fill("When should we meet?")
    page.locator("#question-0-method").select_option("schulze")
    page.locator("#question-0-options").fill("March\nApril\nMay")
    page.get_by_role("button", name="Add a question").click()
    page.locator("#question-1-text").fill("Adopt the draft statutes?")
    page.locator("#question-1-method").select_option("consensus")
    shot(page, artifacts, "08-admin-new-poll")
    page.get_by_role("button", name="Review the poll").click()
    page.get_by_role("heading", name="Review the poll before launching it").wait_for()
    scan(page, axe_source, artifacts, "admin-review")
    shot(page, artifacts, "09-admin-review")
    page.get_by_role("button", name="Launch the poll now").click()
    page.get_by_role("heading", name=title).wait_for()
    page.get_by_text("Poll launched").wait_for()
    shot(page, artifacts, "10-admin-launched")
    poll_id = page.url.rstrip("/").split("/")[-1]
    poll = requests.get(f"{stack.url}/api/v1/polls/{poll_id}", timeout=10).json()
    assert poll["status"] == "open" and poll["scope"] == {"type": "organisation"}
    assert [q["method"] for q in poll["questions"]] == ["schulze", "consensus"]
    page.goto(web_url + "/")
    page.get_by_role("link", name=title).wait_for()
    assert page.console_errors == []


def test_pages_fit_a_phone(browser, web_url, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(web_url + "/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    shot(page, artifacts, "11-home-phone")
    context.close()
    assert width <= 375


def test_chapter_pages_preferences_and_a_stale_verification_link(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    tag = uuid.uuid4().hex[:4]

    def create(body):
        response = requests.post(
            f"{api}/api/v1/chapters", json=body, headers=bearer(admin), timeout=10
        )
        assert response.status_code == 201, response.text
        return response.json()

    parent = create({"name": f"Rhône {tag}", "level": "regional", "country": "FR"})
    create({"name": f"Lyon {tag}", "level": "local", "country": "FR", "parent_id": parent["id"]})
    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=f"Rhône {tag}").click()
    page.get_by_role("heading", name="Working status").wait_for()
    page.get_by_role("link", name=f"Lyon {tag}").wait_for()
    scan(page, axe_source, artifacts, "chapter")
    shot(page, artifacts, "12-chapter")

    page.get_by_role("link", name="My notifications").click()
    scan(page, axe_source, artifacts, "preferences")
    box = page.get_by_role("checkbox", name="Newsletters by email")
    before = box.is_checked()
    box.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_text("Your notification choices are saved.").wait_for()
    assert page.get_by_role("checkbox", name="Newsletters by email").is_checked() != before
    shot(page, artifacts, "13-preferences")

    assert page.console_errors == []

    # (The page answers 400, which the console reports; nothing else may.)
    page.goto(web_url + "/verify?token=not-a-real-token")
    page.get_by_role("heading", name="This link did not work").wait_for()
    scan(page, axe_source, artifacts, "verify-failed")
    assert all("400" in error for error in page.console_errors), page.console_errors
