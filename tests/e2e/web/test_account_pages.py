"""A newcomer's account, walked in a real Chromium with axe on every page: joins with a
country's NAME (kept password and errors beside fields first), verifies by the mailed link,
is vouched in by a member (whose next vouch hits the limit, said in words), forgets the
password and resets it from the mail, logs in, edits the profile and adds a phone, enables
SMS, reads what was sent, downloads their data and deletes the account."""

from __future__ import annotations

import email
import json
import re
import uuid

import requests

from tests.e2e.web.helpers import ADMIN, MEMBER_PASSWORD, active_member, bearer, login, scan
from tests.support.wait import wait_for, within

NEW_PASSWORD = "Reset-password-2-after-mail!"


def mailed_link(stack, address: str, path: str, wait_s: float = 60) -> str:
    """The path and query of the link to `path` in the newest mail to `address` (the mail
    folder the stack writes: tests/support/stack.py)."""
    pattern = re.compile(r"https?://[^\s\"'<>]+(" + re.escape(path) + r"\?token=[^\s\"'<>]+)")

    def links() -> list[str]:
        found = []
        for file in sorted((stack.run_dir / "mail").glob("**/*.eml")):
            message = email.message_from_bytes(file.read_bytes())
            if address not in (message.get("To") or ""):
                continue
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    found += pattern.findall(part.get_payload(decode=True).decode())
        return found

    found = within(links, wait_s, interval=0.5)
    assert found, f"no mail to {address} with a {path} link:\n{stack.log_tail()}"
    return found[-1]


def both_widths(page, artifacts, name: str) -> None:
    """Screenshots at 1280 and 390 px; at 390 nothing is wider than the screen."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / f"acct-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / f"acct-{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 390, f"{name} is {width}px wide on a phone"


def check(page, axe_source, artifacts, name: str) -> None:
    assert page.locator("h1").count() == 1 and page.locator("html").get_attribute("lang")
    scan(page, axe_source, artifacts, f"acct-{name}")
    both_widths(page, artifacts, name)


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def pending_member(api: str, tag: str) -> str:
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={
            "email": f"pending-{tag}@example.org",
            "password": MEMBER_PASSWORD,
            "display_name": f"Pending {tag}",
            "country": "DE",
            "introduction": "I garden.",
        },
        timeout=10,
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def join_with_a_country_name(page, web_url, axe_source, artifacts, address, name):
    page.goto(web_url + "/register")
    check(page, axe_source, artifacts, "register")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Country").fill("Slovenia")
    page.get_by_label("Password").fill(MEMBER_PASSWORD)
    page.get_by_label("A few words about yourself").fill("I cook.\n\nAnd I sing.")
    page.get_by_role("button", name="Join").click()
    # The name was forgotten: the error is beside it, it has the focus, the rest is kept.
    page.locator("#display_name-error").wait_for()
    assert focused_id(page) == "display_name"
    assert page.get_by_label("Password").input_value() == MEMBER_PASSWORD
    assert page.get_by_label("Country").input_value() == "Slovenia"
    assert (
        page.get_by_label("Your name, as other members will see it").get_attribute("maxlength")
        == "80"
    )
    check(page, axe_source, artifacts, "register-errors")
    page.get_by_label("Your name, as other members will see it").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("link", name="What comes next").click()
    page.get_by_role("heading", name="Your membership is pending").wait_for()
    assert page.get_by_label("Country").input_value() == "Slovenia"  # stored as SI
    check(page, axe_source, artifacts, "me-pending")


def vouch_in(browser, web_url, axe_source, artifacts, voucher, name, extra_pending):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(voucher)
    page.get_by_label("Password").fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="New members").click()
    page.get_by_role("heading", name="New members to welcome").wait_for()
    check(page, axe_source, artifacts, "pending-members")
    page.get_by_role("button", name=f"Vouch for {name}").click()
    page.get_by_text(f"you vouched for {name}, who is now an active member").wait_for()
    page.get_by_role("button", name=f"Vouch for {extra_pending}").click()
    limit = page.get_by_role("alert").filter(has_text="as many new members as one member may")
    limit.wait_for()
    check(page, axe_source, artifacts, "pending-limit")
    context.close()


def test_a_newcomers_account_from_joining_to_deleting_it(
    page, browser, stack, web_url, axe_source, artifacts
):
    api = stack.url
    tag = uuid.uuid4().hex[:6]
    address, name = f"newcomer-{tag}@example.org", f"Newcomer {tag}"
    admin = login(api, *ADMIN)
    voucher, voucher_id = active_member(api, admin, tag)
    pending = [pending_member(api, f"{tag}-{i}") for i in range(3)]
    voucher_token = login(api, voucher, MEMBER_PASSWORD)
    for member_id in pending[:2]:  # two of the three vouches a member may give a month
        given = requests.post(
            f"{api}/api/v1/members/{member_id}/vouch",
            headers=bearer(voucher_token),
            json={},
            timeout=10,
        )
        assert given.status_code == 200, given.text

    join_with_a_country_name(page, web_url, axe_source, artifacts, address, name)

    page.goto(web_url + mailed_link(stack, address, "/verify"))
    page.get_by_role("heading", name="Your email address is verified").wait_for()
    check(page, axe_source, artifacts, "verified")

    vouch_in(browser, web_url, axe_source, artifacts, voucher, name, f"Pending {tag}-2")

    # Forgets the password: asks for a mail, sets a new one from its link, logs in.
    page.goto(web_url + "/logout")
    check(page, axe_source, artifacts, "logout")
    page.get_by_role("button", name="Log out of this device").click()
    page.get_by_text("You are logged out.").wait_for()
    page.goto(web_url + "/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Forgotten password").wait_for()
    check(page, axe_source, artifacts, "forgot")
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("status").filter(has_text="is on its way").wait_for()
    check(page, axe_source, artifacts, "forgot-sent")
    page.goto(web_url + mailed_link(stack, address, "/reset"))
    check(page, axe_source, artifacts, "reset")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    page.get_by_text("Your new password is set").wait_for()
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("You are logged in.").wait_for()

    edit_profile_and_enable_sms(page, axe_source, artifacts)
    download_and_delete(page, api, axe_source, artifacts, address)


def edit_profile_and_enable_sms(page, axe_source, artifacts):
    page.get_by_role("link", name="My account").first.click()
    page.get_by_role("heading", name="My account").wait_for()
    assert page.locator("#pending-heading").count() == 0  # active now
    check(page, axe_source, artifacts, "me")
    # A new email address needs the current password: said beside that field.
    page.get_by_label("Email address").fill("elsewhere@example.org")
    page.get_by_role("button", name="Save my profile").click()
    page.locator("#current_password-error").wait_for()
    assert focused_id(page) == "current_password"
    check(page, axe_source, artifacts, "me-errors")
    page.goto(page.url.split("/me")[0] + "/me")
    page.get_by_label("Mobile phone number").fill("+33 6 12 34 56 78")
    page.get_by_role("button", name="Save my profile").click()
    page.get_by_role("status").filter(has_text="Your profile is saved.").wait_for()
    assert page.get_by_label("Mobile phone number").input_value() == "+33612345678"

    page.get_by_role("link", name="My notifications").first.click()
    sms = page.get_by_role("checkbox", name="Newsletters by text message")

    def sms_available() -> bool:  # notify learns the phone from the members' event
        if sms.is_disabled():
            page.reload()
            return False
        return True

    wait_for(sms_available, 60, "SMS to become available", interval=0.5)
    sms.check()
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_text("Your notification choices are saved.").wait_for()
    assert page.get_by_role("checkbox", name="Newsletters by text message").is_checked()
    assert "not verified yet" not in page.content()  # adding a phone kept the address verified
    inbox = page.locator("section[aria-labelledby=inbox-heading]").text_content()
    assert "Link to verify your email address" in inbox and "Link to set a new password" in inbox
    check(page, axe_source, artifacts, "notifications")


def download_and_delete(page, api, axe_source, artifacts, address):
    page.get_by_role("link", name="My account").first.click()
    page.get_by_role("heading", name="My account").wait_for()
    with page.expect_download() as download:
        page.locator("#data-heading ~ p a", has_text="Download my data").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["profile"]["email"] == address and data["profile"]["phone"] == "+33612345678"

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_role("heading", name="Delete my account").wait_for()
    check(page, axe_source, artifacts, "delete")
    page.get_by_label("Your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.locator("#confirm-error").wait_for()  # the box was not ticked
    assert focused_id(page) == "confirm"
    check(page, axe_source, artifacts, "delete-errors")
    page.get_by_label("I understand: delete my account for good.").check()
    page.get_by_label("Your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account is deleted.").wait_for()
    gone = requests.post(
        f"{api}/api/v1/auth/login", json={"email": address, "password": NEW_PASSWORD}, timeout=10
    )
    assert gone.status_code == 401
    # Forms sent back with errors answer 422, which the console reports; nothing else may.
    assert all("status of 422" in error for error in page.console_errors), page.console_errors


def test_account_pages_in_french_take_a_french_country_name(
    browser, stack, web_url, axe_source, artifacts
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    for path, heading in (
        ("/login", "Se connecter"),
        ("/forgot", "Mot de passe oublié"),
        ("/logout", None),
        ("/reset?token=x", None),
    ):
        page.goto(web_url + path)
        assert page.locator("html").get_attribute("lang") == "fr"
        if heading:
            page.get_by_role("heading", name=heading).wait_for()
        check(page, axe_source, artifacts, "fr" + path.split("?")[0].replace("/", "-"))
    page.goto(web_url + "/register")
    address = f"francais-{uuid.uuid4().hex[:6]}@example.org"
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_label("Pays").fill("Slovénie")
    page.get_by_label("Mot de passe").fill("court")
    page.locator("#display_name").fill("Francine")
    page.locator("form.stack button[type=submit]").click()
    page.locator("#password-error").wait_for()
    assert focused_id(page) == "password" and page.get_by_label("Pays").input_value() == "Slovénie"
    check(page, axe_source, artifacts, "fr-register-errors")
    page.get_by_label("Mot de passe").fill(MEMBER_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.get_by_role("link", name="La suite").click()
    assert page.get_by_label("Pays").input_value() == "Slovénie"
    admin = login(stack.url, *ADMIN)
    found = requests.get(
        f"{stack.url}/api/v1/members", params={"q": address}, headers=bearer(admin), timeout=10
    ).json()
    assert [m["country"] for m in found] == ["SI"]
    context.close()
