"""Issue 13's web attacks against the stack as `make run` starts it: a forged Host header, an
open redirect through `next=`, a session cookie read or replayed after logout."""

from __future__ import annotations

import base64
import re

import requests


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_forged_host_header_gets_a_400_not_a_page(stack):
    assert (
        requests.get(stack.url + "/", headers={"Host": "evil.example"}, timeout=10).status_code
        == 400
    )
    assert requests.get(stack.url + "/", timeout=10).status_code == 200


def test_login_redirects_only_to_local_paths_and_logout_ends_the_session(stack):
    browser = requests.Session()
    token = _csrf(browser.get(stack.url + "/login", timeout=10).text)
    answer = browser.post(
        stack.url + "/login",
        allow_redirects=False,
        timeout=10,
        data={
            "csrf_token": token,
            "email": stack.env["COUNCILS_ADMIN_EMAIL"],
            "password": stack.env["COUNCILS_ADMIN_PASSWORD"],
            "next": "/\t/evil.com",
        },
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/"

    cookie = browser.cookies.get("councils_session")
    readable = cookie + "".join(
        base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode("latin-1")
        for p in cookie.lstrip(".").split(".")
    )
    assert "eyJ" not in readable and "token" not in readable  # no JWT, no token field
    home = browser.get(stack.url + "/", timeout=10).text
    assert "Log out" in home
    browser.post(stack.url + "/logout", data={"csrf_token": _csrf(home)}, timeout=10)
    replayed = requests.get(stack.url + "/", cookies={"councils_session": cookie}, timeout=10)
    assert "Log out" not in replayed.text and "Log in" in replayed.text
