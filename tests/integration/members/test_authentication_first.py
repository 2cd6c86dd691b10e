"""Members: every route that needs a token answers 401 before it validates its input."""

from __future__ import annotations

from tests.support.auth_first import app_without_database, unauthenticated_mistakes

# The members entries of tests/e2e/edge/test_edge.py's PUBLIC set.
PUBLIC = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),  # proves itself with the refresh token in the body
    ("POST", "/api/v1/auth/refresh"),
    ("GET", "/api/v1/auth/verify"),
    ("POST", "/api/v1/auth/verify"),
    ("POST", "/api/v1/auth/password/forgot"),
    ("POST", "/api/v1/auth/password/reset"),
    ("GET", "/api/v1/chapters"),
    ("GET", "/api/v1/chapters/working"),
    ("GET", "/api/v1/chapters/{chapter_id}"),
    ("GET", "/api/v1/chapters/{chapter_id}/status"),
    ("GET", "/api/v1/chapters/{chapter_id}/recall-settings"),
    ("GET", "/api/v1/currents"),
    ("GET", "/api/v1/currents/{current_id}"),
    ("GET", "/api/v1/mandates"),
    ("GET", "/api/v1/targets"),
    ("GET", "/api/v1/targets/figures"),
    ("GET", "/api/v1/members/{member_id}/record"),
    ("GET", "/api/v1/recalls"),
    ("GET", "/api/v1/recalls/{petition_id}"),
}


def test_every_route_but_the_public_ones_answers_401_before_validating():
    app = app_without_database("members")
    assert unauthenticated_mistakes(app, PUBLIC) == []
