"""Issue 18: every step of the upward-request and challenge mails renders in every language,
translated, with its links (the events' handling is tested in
tests/integration/notify/test_upward_and_challenge_mail.py)."""

from __future__ import annotations

import pytest

from services.notify.handlers.challenges import challenge_context
from services.notify.handlers.upward import upward_context
from services.notify.render import render_email, render_sms
from tests.support.bus_samples import SAMPLES

PUBLIC = "https://councils.example.org"


def _rendered(kind: str, context: dict, language: str):
    email = render_email(kind, language, "polls", context, name="Zoé", unsubscribe_url="u")
    return email, render_sms(kind, language, "polls", context, name="Zoé")


def _translated(kind: str, context: dict, language: str, link: str) -> None:
    english, english_sms = _rendered(kind, context, "en")
    rendered, sms = _rendered(kind, context, language)
    assert link in english.text and link in rendered.text and f'href="{link}"' in rendered.html
    assert "<b>" not in rendered.html  # the names are escaped
    if language != "en":
        assert rendered.subject != english.subject
        body = rendered.text.split("\n\n")[1]
        assert body not in english.text, body
        assert sms != english_sms


@pytest.mark.parametrize("step", ["filed", "opened", "refused", "overdue"])
@pytest.mark.parametrize("language", ["en", "es", "fr"])
@pytest.mark.parametrize("late", [False, True])
def test_every_upward_request_step_renders_translated(step, language, late):
    data = {
        **SAMPLES["polls.upward_request.answered"],
        "chapter_name": "Leeds <b>",
        "poll_id": "p-1" if step == "opened" else None,
        "answered_late": late,
    }
    context = upward_context(PUBLIC, step, data)
    link = f"{PUBLIC}/requests/{data['request_id']}"
    _translated("upward_request", context, language, link)
    if step == "opened":
        assert (
            f"{PUBLIC}/polls/p-1"
            in render_email(
                "upward_request", language, "polls", context, name="Zoé", unsubscribe_url="u"
            ).text
        )


@pytest.mark.parametrize("step", ["filed", "set_aside", "weights_apply"])
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_challenge_step_renders_translated(step, language):
    data = {**SAMPLES["polls.challenge.filed"], "title": "Venue <b>", "count": 2}
    context = challenge_context(PUBLIC, step, data)
    link = f"{PUBLIC}/polls/{data['poll_id']}#challenges-h"
    _translated("challenge", context, language, link)
