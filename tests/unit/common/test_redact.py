"""Access logs never show a secret carried in a path (a receipt in the deprecated PUT)."""

from __future__ import annotations

import uuid

from flask import Flask, request

from services.common.redact import loggable_path, redacted_path

RECEIPT = "Ab3_x-9QzK2mN7pL0sT5vW8y"
POLL = str(uuid.uuid4())


def test_a_matched_route_is_logged_as_its_template_with_uuids_only():
    app = Flask(__name__)
    seen = []

    @app.put("/api/v1/polls/<uuid:poll_id>/ballots/<string:receipt>")
    def change(poll_id, receipt):
        seen.append(loggable_path(request))
        return ""

    app.test_client().put(f"/api/v1/polls/{POLL}/ballots/{RECEIPT}")
    assert seen == [f"/api/v1/polls/{POLL}/ballots/<receipt>"]


def test_an_unmatched_path_keeps_only_uuids_numbers_and_plain_words():
    assert redacted_path(f"/api/v1/polls/{POLL}/ballots/{RECEIPT}") == (
        f"/api/v1/polls/{POLL}/ballots/<…>"
    )
    assert redacted_path("/api/v1/polls/12/ballots/check") == "/api/v1/polls/12/ballots/check"
    for receipt in ("abcdefghijklmnopqrstuvw1", "ABCDEFGHIJKLMNOPQRSTUVWX"):
        assert receipt not in redacted_path(f"/x/{receipt}")
