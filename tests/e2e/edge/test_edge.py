"""The edge of the running stack: no token no entry, floods stopped, one complete OpenAPI."""

from __future__ import annotations

import hashlib
import importlib
import re
import time

import psycopg2
import pytest
import requests

from gateway import routes
from tests.e2e.edge.conftest import key_env
from tests.support.auth_first import operations as rule_operations

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
ANY_ID = "00000000-0000-4000-8000-000000000000"

# Everything a visitor may reach without a token, on purpose (services/*/api.py): joining and
# logging in, links from emails, and what an open organisation shows to anyone (chapters,
# currents, mandates and the audit log, targets, polls with their published ballots and results,
# proposals and their discussions).
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
    ("GET", "/api/v1/currents"),
    ("GET", "/api/v1/currents/{current_id}"),
    ("GET", "/api/v1/mandates"),
    ("GET", "/api/v1/targets"),
    ("GET", "/api/v1/targets/figures"),
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
    ("GET", "/api/v1/proposals"),
    ("GET", "/api/v1/proposals/{proposal_id}"),
    ("GET", "/api/v1/proposals/{subject_id}/comments"),
    ("GET", "/api/v1/proposals/{subject_id}/comments/{comment_id}"),
    ("GET", "/api/v1/members/{member_id}/record"),  # a delegate's public record
    ("GET", "/api/v1/chapters/{chapter_id}/recall-settings"),
    ("GET", "/api/v1/recalls"),
    ("GET", "/api/v1/recalls/{petition_id}"),
    ("GET", "/api/v1/polls/{poll_id}/roll-call"),  # how delegates voted, in public
    ("GET", "/api/v1/delegates/{member_id}/votes"),
    ("GET", "/api/v1/polls/upward-requests"),  # issue 18: requests to the level above
    ("GET", "/api/v1/polls/upward-requests/{request_id}"),
    ("GET", "/api/v1/polls/{poll_id}/challenges"),  # challenges to affected weights
    ("GET", "/api/v1/proposals/thresholds/{chapter_id}"),  # member initiative threshold
    ("GET", "/api/v1/unsubscribe/{token}"),  # one-click unsubscribe from an email
    ("POST", "/api/v1/unsubscribe/{token}"),
    ("GET", "/api/v1/newsletters/archive"),  # the newsletters sent to everyone
}


@pytest.fixture(scope="module")
def document(stack):
    response = requests.get(stack.url + "/api/v1/openapi.json", timeout=10)
    assert response.status_code == 200
    return response.json()


def operations(document) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if method in item
    }


def test_every_route_without_a_token_is_401_except_the_public_ones(stack, document):
    ops = operations(document)
    assert PUBLIC <= ops, f"public routes missing from the document: {sorted(PUBLIC - ops)}"
    wrong = []
    for method, template in sorted(ops):
        path = re.sub(r"\{[^}]+\}", ANY_ID, template)
        body = None if method == "GET" else {}
        response = requests.request(method, stack.url + path, json=body, timeout=15)
        if (method, template) in PUBLIC:
            if response.status_code == 401 or response.status_code >= 500:
                wrong.append(f"{method} {template}: public but {response.status_code}")
        elif response.status_code != 401:
            wrong.append(f"{method} {template}: {response.status_code} without a token")
        else:
            assert response.json()["error"]["message"], response.text
    assert not wrong, "\n".join(wrong)
    secured = {op for op in ops if op not in PUBLIC}
    assert len(secured) > 40  # the check above covered the bulk of the API


def test_a_bad_token_is_401_on_public_routes_too(stack):
    response = requests.get(
        stack.url + "/api/v1/polls", headers={"Authorization": "Bearer not.a.token"}, timeout=10
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_the_openapi_document_lists_every_route_of_every_service(stack, document, monkeypatch):
    for key, value in {**stack.env, **key_env(stack)}.items():
        monkeypatch.setenv(key, value)
    documented = operations(document)
    assert "x-missing-services" not in document["info"]
    for name in ("members", "polls", "notify"):
        app = importlib.import_module(f"services.{name}.app").create_app()
        served = rule_operations(app)
        assert served, name
        missing = sorted(served - documented)
        assert not missing, f"{name} serves routes the merged document lacks: {missing}"
        astray = sorted({path for _, path in served if routes.service_for(path) != name})
        assert not astray, f"the gateway does not send these paths to {name}: {astray}"
    # ...and the document has nothing that no service serves.
    every = set()
    for name in ("members", "polls", "notify"):
        every |= rule_operations(importlib.import_module(f"services.{name}.app").create_app())
    assert not sorted(documented - every)


def test_a_flood_of_logins_is_429_with_retry_after(strict_gateway):
    attempt = {"email": "nobody-flood@example.org", "password": "wrong-password-1"}
    codes = []
    for _ in range(8):  # the strict gateway allows 5 a minute per address
        response = requests.post(strict_gateway + "/api/v1/auth/login", json=attempt, timeout=15)
        codes.append(response.status_code)
        if response.status_code == 429:
            break
    assert codes[0] == 401, codes
    assert codes[-1] == 429, codes
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["error"]["code"]


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def web_login(base: str, client: str, email: str) -> requests.Response:
    """Log in through the web page as a browser at address `client` (behind the web app)."""
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = client
    token = _csrf(browser.get(base + "/login", timeout=15).text)
    response = browser.post(
        base + "/login",
        data={"csrf_token": token, "email": email, "password": "wrong-password-1"},
        timeout=15,
        allow_redirects=False,
    )
    return response


def test_web_users_keep_limits_of_their_own_and_services_see_them(stack, strict_gateway):
    """The web app calls the API over loopback; the gateway trusts loopback's X-Forwarded-For,
    so each browser has its own limit and members counts logins per the browser's address."""
    email = f"nobody-web-{time.time_ns()}@example.org"
    first = [web_login(strict_gateway, "198.51.100.21", email) for _ in range(6)]
    codes = [response.status_code for response in first]
    assert codes == [401] * 5 + [429], codes
    assert int(first[5].headers["Retry-After"]) > 0  # the browser is told how long to wait
    # Another browser, same page, same minute: not limited by the first one's flood.
    assert web_login(strict_gateway, "198.51.100.22", email).status_code == 401
    # members counted the logins per browser address
    # (services/members/service/ratelimits.py check_rate).
    keys = {hashlib.sha256(f"198.51.100.{n}".encode()).hexdigest()[:32]: n for n in (21, 22)}
    with psycopg2.connect(stack.env["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT key, sum(hits) FROM members.rate_counters"
            " WHERE key LIKE 'login:ip:%%' GROUP BY key"
        )
        hits = {
            keys[k.rsplit(":", 1)[1]]: n for k, n in cur.fetchall() if k.rsplit(":", 1)[1] in keys
        }
    conn.close()
    assert hits == {21: 5, 22: 1}, hits
