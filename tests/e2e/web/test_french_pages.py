"""A French reader sees French dates, plurals and lists, not English ones (screenshots kept)."""

from __future__ import annotations

import datetime as dt
import uuid

import requests
from babel.dates import format_date

from .helpers import ADMIN, bearer, login, shot


def test_french_home_and_poll_pages(browser, stack, web_url, artifacts):
    admin = login(stack.url, *ADMIN)
    closes = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=40)
    title = f"Date du congrès {uuid.uuid4().hex[:4]}"
    created = requests.post(
        f"{stack.url}/api/v1/polls",
        headers=bearer(admin),
        timeout=10,
        json={
            "title": title,
            "scope": {"type": "organisation"},
            "closes_at": closes.isoformat(),
            "questions": [
                {"text": "Quel mois ?", "method": "plurality", "options": ["Mars", "Avril", "Mai"]}
            ],
        },
    )
    assert created.status_code == 201, created.text
    french_day = format_date(closes.date(), format="medium", locale="fr")  # '11 janv. 2027'
    english_month = closes.strftime("%b")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(web_url + "/")
        item = page.locator("li", has=page.get_by_role("link", name=title))
        text = item.inner_text()
        assert "1 question ·" in text and "1 questions" not in text
        assert f"clôture le {french_day}," in text and english_month + " " not in text
        shot(page, artifacts, "fr-home-1280")
        page.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title).wait_for()
        main = page.locator("main").inner_text()
        assert f"Ouvert jusqu'au {french_day}," in main
        assert " membre sur " in main or " membres sur " in main
        shot(page, artifacts, "fr-poll-1280")
    finally:
        context.close()
