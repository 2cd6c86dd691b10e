"""Recall mail says whose mandate is at stake (issue 18): a delegate's, a coordinator's or an
admin's, in the member's language."""

from __future__ import annotations

import pytest

from services.notify.render import render_email, render_sms
from tests.support.mail_contexts import CONTEXT, KIND_CONTEXT


@pytest.mark.parametrize(
    ("role", "language", "office"),
    [
        ("delegate", "en", "delegate of Leeds"),
        ("coordinator", "en", "coordinator of Leeds"),
        ("admin", "en", "admin of the organisation"),
        ("coordinator", "fr", "coordinateur·rice de Leeds"),
        ("admin", "es", "administrador/a de la organización"),
    ],
)
def test_recall_mail_names_the_office(role, language, office):
    context = {**CONTEXT, **KIND_CONTEXT["recall"], "step": "petition_opened", "role": role}
    rendered = render_email(
        "recall", language, "recall", context, name="Zoé", unsubscribe_url="https://x/u"
    )
    assert office in rendered.subject and office in rendered.text
    assert office in render_sms("recall", language, "recall", context, name="Zoé")
