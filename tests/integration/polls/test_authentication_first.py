"""Polls: every route that needs a token answers 401 before it validates its input."""

from __future__ import annotations

from tests.support.auth_first import app_without_database, unauthenticated_mistakes

# The polls entries of tests/e2e/edge/test_edge.py's PUBLIC set.
PUBLIC = {
    ("GET", "/api/v1/polls"),
    ("GET", "/api/v1/polls/methods"),
    ("GET", "/api/v1/polls/{poll_id}"),
    ("GET", "/api/v1/polls/{poll_id}/ballots"),
    ("GET", "/api/v1/polls/{poll_id}/ballots/{receipt}"),
    ("POST", "/api/v1/polls/{poll_id}/ballots/check"),
    ("GET", "/api/v1/polls/{poll_id}/commitments"),
    ("GET", "/api/v1/polls/{poll_id}/results"),
    ("GET", "/api/v1/polls/{poll_id}/export"),
    ("GET", "/api/v1/polls/{subject_id}/comments"),
    ("GET", "/api/v1/polls/{subject_id}/comments/{comment_id}"),
    ("GET", "/api/v1/polls/{poll_id}/roll-call"),
    ("GET", "/api/v1/proposals"),
    ("GET", "/api/v1/proposals/{proposal_id}"),
    ("GET", "/api/v1/proposals/{subject_id}/comments"),
    ("GET", "/api/v1/proposals/{subject_id}/comments/{comment_id}"),
    ("GET", "/api/v1/delegates/{member_id}/votes"),
    ("GET", "/api/v1/polls/upward-requests"),  # issue 18: requests to the level above
    ("GET", "/api/v1/polls/upward-requests/{request_id}"),
    ("GET", "/api/v1/polls/{poll_id}/challenges"),  # challenges to affected weights
    ("GET", "/api/v1/proposals/thresholds/{chapter_id}"),  # member initiative threshold
}


def test_every_route_but_the_public_ones_answers_401_before_validating():
    app = app_without_database("polls")
    assert unauthenticated_mistakes(app, PUBLIC) == []
