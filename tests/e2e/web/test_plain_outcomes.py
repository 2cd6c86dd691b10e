"""Outcomes said plainly, in a browser with axe, shot at 1280 and 390 px: a newsletter's mail
without markdown markers and sent once however often its preview is sent again; an election
won unopposed without zero-vote rounds; a proposal whose poll was cancelled, a draft again."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import uuid
from urllib.parse import urlsplit

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    chapter_tree,
    elect_uncontested,
    log_in_page,
    login,
    scan_both_widths,
)
from tests.support.wait import wait_for


def _later(hours: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def test_a_newsletter_mail_reads_plainly_and_its_preview_is_sent_once(
    page, stack, web_url, axe_source, artifacts
):
    tag = uuid.uuid4().hex[:6]
    subject = f"Plain news {tag}"
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(web_url + "/admin/newsletters")
    page.get_by_label("Subject", exact=True).fill(subject)
    page.get_by_label("Text", exact=True).fill(
        "Our **assembly** meets on _Monday_.\n\nRead [the agenda](https://example.org/agenda)."
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="The mail in each language").wait_for()
    text = page.locator(".mail-preview .mail-text").first.inner_text()
    assert "Our assembly meets on Monday." in text
    assert "Read the agenda <https://example.org/agenda>." in text
    assert "**" not in text and "](" not in text
    scan_both_widths(page, axe_source, artifacts, "fixes-newsletter-preview")

    # What the Send button posts, kept to post it again after it was sent.
    posted = page.eval_on_selector(
        "#preview form", "f => new URLSearchParams(new FormData(f)).toString()"
    )
    page.get_by_role("button", name="Send now").click()
    page.get_by_text("Newsletter queued").wait_for()
    again = page.request.post(
        web_url + "/admin/newsletters",
        data=posted + "&action=send",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert again.ok and "Nothing was sent: this preview was sent already." in again.text()
    admin = login(stack.url, *ADMIN)
    listed = requests.get(
        f"{stack.url}/api/v1/newsletters", headers=bearer(admin), params={"limit": 50}, timeout=10
    ).json()
    assert [n["subject"] for n in listed].count(subject) == 1

    # The public archive shows the marks as the mail does, not the markers, once it is sent.
    def sent() -> bool:
        answer = requests.get(
            f"{stack.url}/api/v1/newsletters", headers=bearer(admin), params={"limit": 50}
        )
        return any(n["subject"] == subject and n["status"] == "sent" for n in answer.json())

    wait_for(sent, timeout=60, what="the newsletter to be sent")
    page.goto(web_url + "/newsletters")
    article = page.locator("article", has=page.get_by_role("heading", name=subject))
    assert article.locator("strong").inner_text() == "assembly"
    assert article.locator("em").inner_text() == "Monday"
    assert article.get_by_role("link", name="the agenda").get_attribute("href") == (
        "https://example.org/agenda"
    )
    assert "**" not in article.inner_text() and "](" not in article.inner_text()
    scan_both_widths(page, axe_source, artifacts, "links-newsletter-archive")

    # The mail's own unsubscribe link opens a page that asks, then stops that kind of mail.
    link = _unsubscribe_link(stack, subject)
    assert "/api/" not in link
    page.goto(web_url + urlsplit(link).path)
    page.get_by_role("heading", name="Unsubscribe").wait_for()
    assert "Newsletters" in page.locator("main").inner_text()
    scan_both_widths(page, axe_source, artifacts, "links-unsubscribe-ask")
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="Unsubscribed").wait_for()
    scan_both_widths(page, axe_source, artifacts, "links-unsubscribe-done")


def _unsubscribe_link(stack, subject: str) -> str:
    """The unsubscribe link in the text of a mail of `subject` in the stack's mail folder."""

    def found():
        for file in (stack.run_dir / "mail").glob("**/*.eml"):
            message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            if message["Subject"] == subject:
                text = message.get_body(("plain",)).get_content()
                return re.findall(r"https?://\S+/unsubscribe/\S+", text)[-1]
        return None

    return wait_for(found, 60, f"a mail of {subject!r}", 0.5)


def test_an_election_won_unopposed_says_so_without_rounds(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    tree = chapter_tree(api, admin, tag)
    me = requests.get(f"{api}/api/v1/members/me", headers=bearer(admin), timeout=10).json()
    election = elect_uncontested(api, admin, tree["loc"]["id"], me["id"])

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(f"{web_url}/polls/{election['id']}")
    page.get_by_text("Elected unopposed: Admin").wait_for()
    page.get_by_text("No more candidates than seats, so no vote was held.").wait_for()
    results = page.locator("section.results").inner_text()
    assert "Round" not in results and "members voted" not in results
    assert page.locator("section.results table").count() == 0
    assert page.locator("section.results figure").count() == 0
    scan_both_widths(page, axe_source, artifacts, "fixes-unopposed-results")


def test_a_proposal_whose_poll_is_cancelled_is_a_draft_again(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    made = requests.post(
        f"{api}/api/v1/proposals",
        headers=bearer(admin),
        timeout=10,
        json={
            "title": f"Bike racks {tag}",
            "scope": {"type": "organisation"},
            "questions": [
                {"text": "Install them?", "method": "plurality", "options": ["Yes", "No"]}
            ],
        },
    )
    assert made.status_code == 201, made.text
    proposal = made.json()["id"]
    poll = requests.post(
        f"{api}/api/v1/proposals/{proposal}/open",
        headers=bearer(admin),
        timeout=10,
        json={"opens_at": _later(24), "closes_at": _later(48)},
    )
    assert poll.status_code == 201, poll.text
    cancelled = requests.post(
        f"{api}/api/v1/polls/{poll.json()['id']}/cancel",
        headers=bearer(admin),
        timeout=10,
        json={"reason": "The dates clash with the congress."},
    )
    assert cancelled.status_code == 200, cancelled.text

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, *ADMIN)
    page.get_by_text("You are logged in.").wait_for()
    page.goto(f"{web_url}/proposals/{proposal}")
    page.get_by_text("Its poll was cancelled before it opened").wait_for()
    page.get_by_role("button", name="Open as a poll").wait_for()  # it can be opened again
    scan_both_widths(page, axe_source, artifacts, "fixes-proposal-poll-cancelled")
    page.get_by_role("link", name="The cancelled poll and the reason").click()
    page.get_by_text("The dates clash with the congress.").wait_for()
