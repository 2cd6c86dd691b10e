"""The admin's newsletter and moderation desks in a browser (issue 16): a newsletter written in
English, Spanish and French is previewed as the whole mail in each language, then sent, and the
mail folder holds exactly as many mails as the preview promised, each member's in their own
language; a moderator restores a hidden comment on /admin/moderation with a public reason that
members then read beside it. Forms are filled by keyboard; pages scanned with axe and shot at
1280 and 390 px."""

from __future__ import annotations

import email
import re
import uuid
from email import policy

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    MEMBER_PASSWORD,
    bearer,
    closes_in,
    log_in_page,
    login,
    open_poll,
    scan_both_widths,
    tab_to,
)
from tests.e2e.web.test_account_pages import mailed_link
from tests.support.wait import wait_for, within

LANGUAGES = {  # language: (its name in the page, subject, text, the mail's own greeting)
    "en": ("English", "Convention news {tag}", "The convention meets on 12 March.", "Hello "),
    "es": ("Spanish", "Noticias {tag}", "La convención se reúne el 12 de marzo.", "Hola "),
    "fr": ("French", "Nouvelles {tag}", "La convention se réunit le 12 mars.", "Bonjour "),
}


def _member(api: str, admin: str, name: str, language: str | None = None) -> dict:
    address = f"adm16-{uuid.uuid4().hex[:8]}@example.org"
    body = {"email": address, "password": MEMBER_PASSWORD, "display_name": name, "country": "ES"}
    if language:
        body["language"] = language
    made = requests.post(f"{api}/api/v1/auth/register", json=body, timeout=10)
    assert made.status_code == 201, made.text
    approved = requests.post(
        f"{api}/api/v1/members/{made.json()['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return {
        "id": made.json()["id"],
        "email": address,
        "token": login(api, address, MEMBER_PASSWORD),
    }


def _log_in(page, web_url, address, password):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_page(page, web_url, address, password)
    page.get_by_text("You are logged in.").wait_for()


def _type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _mails(stack, subjects: set[str]) -> dict[str, list]:
    """The mails in the stack's mail folder whose subject is one of `subjects`, by subject."""
    found: dict[str, list] = {subject: [] for subject in subjects}
    for file in (stack.run_dir / "mail").glob("**/*.eml"):
        message = email.message_from_bytes(file.read_bytes(), policy=policy.default)
        if message["Subject"] in found:
            found[message["Subject"]].append(message)
    return found


def _by_email(api: str, admin: str) -> int:
    preview = requests.post(
        f"{api}/api/v1/newsletters/preview",
        json={
            "subject": "?",
            "body": "?",
            "scope": {"type": "organisation"},
            "channels": ["email"],
        },
        headers=bearer(admin),
        timeout=10,
    )
    assert preview.status_code == 200, preview.text
    return preview.json()["recipients"]["email"]


def _verified_reader(api: str, admin: str, web_url: str, stack, tag: str) -> dict:
    """A member reading Spanish who verified their address (notify learns of it by event)."""
    before = _by_email(api, admin)
    reader = _member(api, admin, f"Sol {tag}", "es")
    verified = requests.get(web_url + mailed_link(stack, reader["email"], "/verify"), timeout=10)
    assert verified.status_code == 200, verified.text
    wait_for(lambda: _by_email(api, admin) > before, 45, "notify to count the new reader", 0.5)
    return reader


def test_a_newsletter_previewed_in_each_language_reaches_as_many_as_it_said(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    spanish = _verified_reader(api, admin, web_url, stack, tag)
    _log_in(page, web_url, *ADMIN)
    page.goto(web_url + "/admin/newsletters")
    for lang, (name, subject, text, _greeting) in LANGUAGES.items():
        suffix = "" if lang == "en" else f" ({name})"
        if lang != "en":
            tab_to(page, f"details.translation:has(#subject_{lang}) > summary")
            page.keyboard.press("Enter")  # opens the <details>, no script needed
        _type_into(page, f"#subject{'' if lang == 'en' else '_' + lang}", subject.format(tag=tag))
        _type_into(page, f"#body{'' if lang == 'en' else '_' + lang}", text)
        assert page.get_by_label(f"Text{suffix}", exact=True).input_value() == text
    tab_to(page, "button[value=preview]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="The mail in each language").wait_for()

    mails = page.locator(".mail-preview")
    assert mails.count() == len(LANGUAGES)
    for index, (lang, (name, subject, text, greeting)) in enumerate(LANGUAGES.items()):
        mail = mails.nth(index)
        assert mail.locator("h4").text_content() == name
        assert mail.locator(f"span[lang={lang}]").text_content() == subject.format(tag=tag)
        whole = mail.locator(f"div.mail-text[lang={lang}]").text_content()
        assert whole.startswith(greeting) and text in whole, (lang, whole)
    assert page.get_by_text("no translation, these readers get the English text.").count() == 0
    scan_both_widths(page, axe_source, artifacts, "admin16-newsletter-preview")

    counts = page.locator("#preview-counts").inner_text()
    will_get = int(re.search(r"By email: (\d+) members? will get it", counts).group(1))
    assert will_get >= 2  # the admin and the Spanish reader at least
    page.get_by_role("button", name="Send now").press("Enter")
    page.get_by_text("Newsletter queued").wait_for()
    assert page.get_by_text("queued for 0 members").count() == 0  # it said so before counting
    subjects = {subject.format(tag=tag) for _n, subject, _t, _g in LANGUAGES.values()}
    within(
        lambda: sum(map(len, _mails(stack, subjects).values())) >= will_get,
        90,
        interval=0.5,
    )
    sent = _mails(stack, subjects)
    assert sum(map(len, sent.values())) == will_get, {k: len(v) for k, v in sent.items()}
    to_sol = [m for m in sent[LANGUAGES["es"][1].format(tag=tag)] if spanish["email"] in m["To"]]
    assert len(to_sol) == 1
    body = to_sol[0].get_body(preferencelist=("plain",)).get_content()
    assert body.startswith(f"Hola Sol {tag}") and LANGUAGES["es"][2] in body
    scan_both_widths(page, axe_source, artifacts, "admin16-newsletters-sent")


def _hidden_comment(api: str, admin: str, tag: str) -> tuple[dict, dict, str]:
    """A poll with a member's comment that the moderators hid (through the API)."""
    author = _member(api, admin, f"Rita {tag}")
    poll = open_poll(
        api,
        admin,
        f"Garden {tag}",
        closes_in(2),
        {"text": "Plant trees?", "method": "majority", "options": ["Yes", "No"]},
    )
    base = f"/api/v1/polls/{poll['id']}/comments"
    words = f"The compost should move to the north corner {tag}."
    comment = wait_for(  # polls learns of the new member by event
        lambda: (
            (
                r := requests.post(
                    api + base, json={"body": words}, headers=bearer(author["token"])
                )
            ).status_code
            == 201
            and r.json()
        ),
        45,
        "the member's comment",
        interval=0.5,
    )
    hidden = requests.post(
        f"{api}{base}/{comment['id']}/hide",
        json={"reason": "Looked like an advert"},
        headers=bearer(admin),
        timeout=10,
    )
    assert hidden.status_code == 200, hidden.text
    return poll, comment, words


def test_a_moderator_restores_a_hidden_comment_with_a_public_reason(
    page, stack, web_url, axe_source, artifacts
):
    api, tag = stack.url, uuid.uuid4().hex[:6]
    admin = login(api, *ADMIN)
    poll, comment, words = _hidden_comment(api, admin, tag)
    _log_in(page, web_url, *ADMIN)
    page.goto(web_url + "/admin/moderation")
    entry = page.locator(f"#hidden-{comment['id']}")
    assert words in entry.locator("blockquote").text_content()
    assert "Hidden because: Looked like an advert" in entry.text_content()
    scan_both_widths(page, axe_source, artifacts, "admin16-moderation-hidden")

    key = f"#restore-{comment['id']}"
    entry.get_by_role("button", name="Restore with a public reason").click()
    page.locator(f"{key}-error").wait_for()
    assert page.locator(key).get_attribute("aria-invalid") == "true"
    page.get_by_role("alert").get_by_role("link").wait_for()  # the summary links to the field
    scan_both_widths(page, axe_source, artifacts, "admin16-moderation-restore-error")
    _type_into(page, key, "It is advice about the garden, not an advert")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the form's own button, next in order
    page.get_by_text("The comment is shown again, with your reason beside it.").wait_for()
    assert page.locator(f"#hidden-{comment['id']}").count() == 0
    scan_both_widths(page, axe_source, artifacts, "admin16-moderation-restored")

    page.goto(f"{web_url}/polls/{poll['id']}")
    shown = page.locator(f"#c-{comment['id']}")
    assert words in shown.locator(".comment-body").text_content()
    assert (
        "Shown again by the moderators. Reason: It is advice about the garden, not an advert"
        in shown.locator(".comment-restored").text_content()
    )
    scan_both_widths(page, axe_source, artifacts, "admin16-comment-restored")
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []
