"""What an admin changes after the fact, in a browser (issue 16): a scheduled poll (a two-thirds
majority question with a quorum and an STV question, its ballot previewed) is edited, then
cancelled through its confirmation page with a public reason members read; a coordinator's
mandate is granted, given an end, then revoked with a public reason, each in the audit log that
every active member can read. The forms are filled by keyboard; every page is scanned with axe
and shot at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import uuid

import requests

from services.common.bus import make_event
from tests.e2e.web.helpers import (
    ADMIN,
    MEMBER_PASSWORD,
    active_member,
    bearer,
    log_in_page,
    login,
    open_poll,
    scan,
    scan_both_widths,
    shot,
    tab_to,
)
from tests.support.wait import wait_for


def _type_into(page, selector: str, text: str) -> None:
    """Reach a field with Tab and type into it, as a keyboard user does."""
    tab_to(page, selector)
    page.keyboard.type(text)


def _minute(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _new_scheduled_poll(page, web_url, axe_source, artifacts, tag: str) -> None:
    opens = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    page.goto(web_url + "/admin/polls/new")
    page.get_by_label("Title").fill(f"Assembly {tag}")
    page.get_by_label("Opens at (UTC; optional)").fill(_minute(opens))
    page.locator("#closes_at").fill(_minute(opens + dt.timedelta(days=7)))
    page.locator("#question-0-text").fill("Do you adopt the statutes?")
    page.locator("#question-0-method").select_option("majority")
    page.locator("#question-0-options").fill("Yes\nNo")
    page.locator("#question-0-threshold").select_option("two_thirds")
    page.locator("#question-0-quorum").fill("25")
    page.get_by_role("button", name="Add a question").click()
    page.locator("#question-1-text").fill("Elect the board")
    page.locator("#question-1-method").select_option("stv")
    page.locator("#question-1-options").fill("Ana\nBo\nCy")
    page.locator("#question-1-seats").fill("2")
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-new")  # a phone's width too
    page.get_by_role("button", name="Review the poll").click()
    page.get_by_text("Majority needed: Two thirds of the votes cast").wait_for()
    page.get_by_text("Quorum: 25% of the electorate must vote.").wait_for()
    preview = page.locator("section.ballot-preview")
    assert preview.locator("fieldset[disabled]").count() == 1  # nothing can be chosen
    for words in ("Do you adopt the statutes?", "Elect the board", "Ana", "Cy"):
        assert words in preview.text_content(), words
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-review")
    page.get_by_role("button", name="Schedule the poll").click()
    page.get_by_text("Poll scheduled").wait_for()


def test_a_scheduled_poll_is_edited_then_cancelled_with_a_reason(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    _new_scheduled_poll(page, web_url, axe_source, artifacts, tag)
    poll_id = page.url.rstrip("/").split("/")[-1]

    page.goto(f"{web_url}/admin/polls/{poll_id}")
    assert "Scheduled" in page.locator("dl.summary").text_content()
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-desk-scheduled")
    page.get_by_role("link", name="Edit the poll").click()
    assert page.get_by_label("Title").input_value() == f"Assembly {tag}"
    assert page.locator("#question-0-threshold").input_value() == "two_thirds"
    assert page.locator("#question-1-seats").input_value() == "2"
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-edit")
    page.get_by_label("Title").fill("")
    _type_into(page, "#title", f"Assembly {tag}, amended")
    page.locator("#question-1-options").press("End")
    page.locator("#question-1-options").press("Control+End")
    page.keyboard.type("\nDee")
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    page.get_by_text("The poll is changed.").wait_for()
    admin = login(api, *ADMIN)
    changed = requests.get(f"{api}/api/v1/polls/{poll_id}", headers=bearer(admin), timeout=10)
    assert changed.json()["title"] == f"Assembly {tag}, amended"
    assert changed.json()["questions"][1]["options"] == ["Ana", "Bo", "Cy", "Dee"]
    assert changed.json()["questions"][0]["threshold"] in ("two_thirds", "2/3")

    page.get_by_role("link", name="Cancel the poll…").click()
    page.get_by_role("button", name="Cancel the poll").click()  # no reason, not confirmed
    page.locator("#reason-error").wait_for()
    page.locator("#confirm-error").wait_for()
    assert page.locator("#confirm").get_attribute("aria-invalid") == "true"
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-cancel-error")
    _type_into(page, "#reason", "The assembly is postponed to the autumn.")
    tab_to(page, "#confirm")
    page.keyboard.press("Space")
    assert page.locator("#confirm").is_checked()
    tab_to(page, "form.stack button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("The poll is cancelled; members see your reason with it.").wait_for()
    assert "Cancelled" in page.locator("dl.summary").text_content()
    page.get_by_text("The assembly is postponed to the autumn.").wait_for()
    assert page.get_by_role("link", name="Edit the poll").count() == 0
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-desk-cancelled")

    # A member reads the reason with the poll; the desk refuses to edit it any more.
    email, _member_id = active_member(api, admin, tag)
    page.get_by_role("button", name="Log out").click()
    log_in_page(page, web_url, email, MEMBER_PASSWORD)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(f"{web_url}/polls/{poll_id}")
    page.get_by_text("This poll was cancelled before it opened.").wait_for()
    page.get_by_text("The assembly is postponed to the autumn.").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin16-poll-cancelled-member")
    page.get_by_role("button", name="Log out").click()
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(f"{web_url}/admin/polls/{poll_id}/edit")
    page.get_by_text("Only a scheduled poll can be edited or cancelled.").wait_for()
    assert page.url.rstrip("/").endswith(f"/admin/polls/{poll_id}")
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


def _chapter(api: str, admin: str, tag: str) -> dict:
    made = requests.post(
        f"{api}/api/v1/chapters",
        json={"name": f"Grenoble {tag}", "level": "local", "country": "FR", "place": "Grenoble"},
        headers=bearer(admin),
        timeout=10,
    )
    assert made.status_code == 201, made.text
    return made.json()


def _audit_as_a_member(api: str, reader: str, member_id: str) -> list:
    """The audit log as any active member reads it."""
    answer = requests.get(
        f"{api}/api/v1/audit", params={"member_id": member_id}, headers=bearer(reader), timeout=10
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["items"] if isinstance(body, dict) else body


def _revoke_stands_apart(page, mandate_id: str) -> None:
    """At 390 px the Revoke button is full size, inside the screen, and set apart from the
    form above it (it used to sit tight against the next form's label)."""
    page.set_viewport_size({"width": 390, "height": 844})
    boxes = page.evaluate(
        """id => {
          const revoke = document.querySelector(`form[action$='/${id}/revoke']`);
          const term = document.querySelector(`form[action$='/${id}/term']`);
          const box = e => e.getBoundingClientRect().toJSON();
          return {form: box(revoke), button: box(revoke.querySelector('button')),
                  above: box(term), danger: revoke.querySelector('button.danger') !== null};
        }""",
        mandate_id,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    assert boxes["danger"], "the Revoke button looks like any other"
    assert boxes["button"]["height"] >= 44 and boxes["button"]["right"] <= 390
    assert boxes["form"]["top"] - boxes["above"]["bottom"] >= 16, boxes


def test_a_mandate_is_granted_given_an_end_and_revoked_in_the_public_audit(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    chapter = _chapter(api, admin, tag)
    email, member_id = active_member(api, admin, f"mandate-{tag}")
    joined = requests.post(
        f"{api}/api/v1/chapters/{chapter['id']}/join",
        headers=bearer(login(api, email, MEMBER_PASSWORD)),
        timeout=10,
    )
    assert joined.status_code == 200, joined.text
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(f"{web_url}/admin/members/{member_id}")

    # Grant, by keyboard: the role and chapter chosen with the arrow keys.
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_label("Chapter (for a coordinator)").select_option(chapter["id"])
    _type_into(page, "#mandate-note", "Chosen at the spring meeting")
    tab_to(page, "#grant button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Mandate granted; the audit log records it.").wait_for()
    audit = page.locator("#audit-heading + ul")
    assert "Mandate granted: Coordinator" in audit.text_content()
    assert "Chosen at the spring meeting" in audit.text_content()
    scan_both_widths(page, axe_source, artifacts, "admin16-member-mandate-granted")
    mandate_id = next(
        m["id"]
        for m in requests.get(
            f"{api}/api/v1/mandates", params={"member_id": member_id}, timeout=10
        ).json()
        if m["role"] == "coordinator"
    )
    _revoke_stands_apart(page, mandate_id)

    # Its end, set by keyboard with a public reason (an appointment is interim: within 90 days).
    ends = (dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).replace(second=0, microsecond=0)
    page.locator(f"#term-ends_at-{mandate_id}").fill(_minute(ends))
    _type_into(page, f"#term-reason-{mandate_id}", "Until the chapter's next election")
    page.get_by_role("button", name="Set the end of this mandate").press("Enter")
    page.get_by_text("The mandate's end is set; the audit log records it.").wait_for()
    assert "Until the chapter's next election" in audit.text_content()

    # Revoked: a reason is required, and it is public.
    revoke = page.get_by_role("button", name="Revoke this mandate")
    revoke.click()
    page.locator(f"#revoke-{mandate_id}-error").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin16-member-revoke-error")
    _type_into(page, f"#revoke-{mandate_id}", "Moved away from Grenoble")
    tab_to(page, f"form[action$='/{mandate_id}/revoke'] button")
    page.keyboard.press("Enter")
    page.get_by_text("Mandate revoked; the audit log records it with your reason.").wait_for()
    assert "Mandate revoked: Coordinator" in audit.text_content()
    assert "Moved away from Grenoble" in audit.text_content()
    assert page.get_by_role("button", name="Revoke this mandate").count() == 0
    scan_both_widths(page, axe_source, artifacts, "admin16-member-mandate-revoked")

    public = _audit_as_a_member(api, login(api, email, MEMBER_PASSWORD), member_id)
    actions = {entry["action"]: entry for entry in public}
    assert {"mandate.granted", "mandate.term_changed", "mandate.revoked"} <= set(actions)
    assert actions["mandate.revoked"]["detail"]["reason"] == "Moved away from Grenoble"
    shot(page, artifacts, "admin16-member-mandates-final")
    scan(page, axe_source, artifacts, "admin16-member-final")


def _waiting_proposal(api: str, token: str, title: str) -> str:
    """A member's organisation-wide proposal (polls learns of new members by event)."""
    body = {
        "title": title,
        "scope": {"type": "organisation"},
        "questions": [{"text": "Agree?", "method": "plurality", "options": ["Yes", "No"]}],
    }
    made = wait_for(
        lambda: (
            (
                r := requests.post(f"{api}/api/v1/proposals", json=body, headers=bearer(token))
            ).status_code
            == 201
            and r.json()
        ),
        60,
        "the member's proposal",
        interval=1,
    )
    return made["id"]


def _parked_event(stack) -> str:
    """An event notify's consumer cannot take (its data misses what the catalogue requires),
    published on the stack's bus: notify parks it at once. Its id."""
    from services.common.bus.__main__ import _transport

    transport = _transport(stack.env)
    try:
        event = make_event("polls.poll.opened", {"poll_id": "nothing else"}, "polls")
        transport.publish([event])
    finally:
        transport.close()
    admin = login(stack.url, *ADMIN)
    wait_for(
        lambda: (
            event["id"]
            in [
                e["event_id"]
                for e in requests.get(
                    f"{stack.url}/api/v1/parked-events/notify",
                    params={"limit": 50},
                    headers=bearer(admin),
                    timeout=10,
                ).json()["events"]
            ]
        ),
        60,
        "notify to park the bad event",
        interval=0.3,
    )
    return event["id"]


def test_the_admin_home_links_to_what_needs_attention(page, stack, web_url, axe_source, artifacts):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    open_poll(
        api,
        admin,
        f"Closing soon {tag}",
        (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).isoformat(),
        {"text": "Q?", "method": "plurality", "options": ["A", "B"]},
    )
    email, _member_id = active_member(api, admin, f"home-{tag}")
    proposal_id = _waiting_proposal(api, login(api, email, MEMBER_PASSWORD), f"Solar {tag}")

    bad = _parked_event(stack)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(web_url + "/admin")
    soon = page.locator("section[aria-labelledby=closing-heading]")
    soon.get_by_role("link", name=f"Closing soon {tag}").wait_for()
    for heading in ("Open recall petitions", "Failed deliveries", "Members waiting for approval"):
        page.get_by_role("heading", name=heading).wait_for()
    parked = page.locator("section[aria-labelledby=parked-heading]")
    parked.get_by_text("polls.poll.opened").first.wait_for()
    assert parked.get_by_text("Why: invalid event").count() >= 1
    scan_both_widths(page, axe_source, artifacts, "admin16-home")
    tab_to(page, f"form[action='/admin/parked/notify/{bad}/discard'] button")
    page.keyboard.press("Enter")
    page.get_by_text("Event discarded.").wait_for()
    assert page.locator(f"form[action*='{bad}']").count() == 0
    waiting = page.locator("section[aria-labelledby=proposals-heading]")
    waiting.get_by_role("link", name=f"Solar {tag}").click()  # it was plain text: no way on
    assert page.url.rstrip("/").endswith(f"/proposals/{proposal_id}")
    page.get_by_role("heading", name=f"Solar {tag}").first.wait_for()
    page.go_back()
    soon.get_by_role("link", name=f"Closing soon {tag}").click()
    page.get_by_role("heading", name="Close early").wait_for()
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


def test_the_directory_filters_by_chapter_approves_suspends_and_lifts(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    chapter = _chapter(api, admin, tag)
    made = requests.post(
        f"{api}/api/v1/auth/register",
        timeout=10,
        json={
            "email": f"newcomer-{tag}@example.org",
            "password": MEMBER_PASSWORD,
            "display_name": f"Noa {tag}",
            "country": "FR",
        },
    )
    assert made.status_code == 201, made.text
    member_id = made.json()["id"]
    joined = requests.post(  # pending, and already in a chapter
        f"{api}/api/v1/chapters/{chapter['id']}/join",
        headers=bearer(login(api, f"newcomer-{tag}@example.org", MEMBER_PASSWORD)),
        timeout=10,
    )
    assert joined.status_code == 200, joined.text
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(web_url + "/admin/members")
    page.get_by_label("Chapter", exact=True).fill(chapter["name"])  # one match: filtered at once
    page.get_by_label("Status").select_option("pending")
    tab_to(page, "form button.primary")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Members found: 1").wait_for()
    scan_both_widths(page, axe_source, artifacts, "admin16-directory-chapter")
    page.get_by_role("button", name=f"Approve Noa {tag}").click()
    page.get_by_text("Member approved.").wait_for()

    page.goto(f"{web_url}/admin/members/{member_id}")
    _type_into(page, "#suspend_reason", "Spam in every discussion")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Account suspended: the member is logged out and cannot log in.").wait_for()
    audit = page.locator("#audit-heading + ul").text_content()
    assert "Account suspended" in audit
    refused = requests.post(
        f"{api}/api/v1/auth/login",
        json={"email": f"newcomer-{tag}@example.org", "password": MEMBER_PASSWORD},
        timeout=10,
    )
    assert refused.status_code in (401, 403), refused.text
    # A suspended member is offered no mandate: the page says why instead.
    assert page.get_by_role("button", name="Grant the mandate").count() == 0
    assert (
        "lift the suspension before granting a mandate"
        in page.locator("#grant-refused").inner_text()
    )
    scan_both_widths(page, axe_source, artifacts, "admin16-member-suspended")
    page.get_by_role("button", name="Lift the suspension").click()
    page.get_by_text("Suspension lifted: the member may log in again.").wait_for()
    assert "Suspension lifted" in page.locator("#audit-heading + ul").text_content()
    login(api, f"newcomer-{tag}@example.org", MEMBER_PASSWORD)
