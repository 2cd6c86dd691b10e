"""Notify: every route that needs a token answers 401 before it validates its input."""

from __future__ import annotations

from tests.support.auth_first import app_without_database, unauthenticated_mistakes

# The notify entries of tests/e2e/edge/test_edge.py's PUBLIC set.
PUBLIC = {
    ("GET", "/api/v1/unsubscribe/{token}"),  # one-click unsubscribe from an email
    ("POST", "/api/v1/unsubscribe/{token}"),
    ("GET", "/api/v1/newsletters/archive"),  # the newsletters sent to everyone
}


def test_every_route_but_the_public_ones_answers_401_before_validating():
    app = app_without_database("notify")
    assert unauthenticated_mistakes(app, PUBLIC) == []
