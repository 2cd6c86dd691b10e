"""Receipts on the web side (issue 13): never in a URL, and a check that confirms a ballot was
counted unchanged without showing what it says (receipt-free)."""

from __future__ import annotations

import re

import pytest

from gateway.web import WebSettings, create_web_app
from tests.support.webfakes import POLL, FakeGateway, FakeResponse, csrf

RECEIPT = "rcpt-5d1e0c9b7a3f2e48"
ENTRY = "ab" * 32
CLOSED = {**POLL, "status": "closed", "voted": True}


def problem(status: int, code: str) -> FakeResponse:
    return FakeResponse(status, {"error": {"code": code, "message": code}})


class PollsApi(FakeGateway):
    """The polls API as issue 13 shapes it: the receipt only in request bodies."""

    legacy = False  # True: the API before issue 13 (receipt in the path or the query)

    def __init__(self, status="counted"):
        super().__init__()
        self.status = status
        self.urls: list[str] = []

    def request(self, method, url, json=None, params=None, headers=None, **kw):
        self.urls.append(url + repr(sorted((params or {}).items())))
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        base = f"/api/v1/polls/{POLL['id']}"
        if (method, path) == ("GET", base):
            return FakeResponse(200, CLOSED)
        if (method, path) == ("GET", base + "/results"):
            return problem(409, "counting")
        if (method, path) == ("POST", base + "/ballots/check"):
            self.calls.append((method, path, json, headers))
            if self.legacy:
                return problem(405, "method_not_allowed")
            if json.get("receipt") != RECEIPT:
                return problem(404, "receipt_not_found")
            return FakeResponse(
                200, {"status": self.status, "entry": ENTRY if self.status == "counted" else None}
            )
        if (method, path) == ("GET", base + "/commitments"):
            if self.legacy:
                return problem(404, "not_found")
            return FakeResponse(200, {"commitments": [ENTRY, "cd" * 32], "next": None})
        if (method, path) == ("GET", base + "/ballots"):
            if not self.legacy:  # contents only, shuffled, without receipts
                if "receipt" in (params or {}):
                    return problem(410, "use_ballot_check")
                return FakeResponse(
                    200,
                    {
                        "ballots": [
                            {"id": "x1", "answers": [{"question_id": "q1", "ranking": ["B"]}]},
                            {"id": "x2", "answers": []},
                        ],
                        "next": "x2",
                    },
                )
            if (params or {}).get("receipt") == RECEIPT:
                return FakeResponse(
                    200,
                    {
                        "ballots": [
                            {
                                "receipt_hash": ENTRY,
                                "answers": [{"question_id": "q1", "ranking": ["B", "A"]}],
                            }
                        ],
                        "next": None,
                    },
                )
            return FakeResponse(
                200,
                {
                    "ballots": [
                        {
                            "receipt_hash": ENTRY,
                            "answers": [{"question_id": "q1", "ranking": ["B"]}],
                        },
                        {"receipt_hash": "cd" * 32, "answers": []},
                    ],
                    "next": None,
                },
            )
        return super().request(method, url, json, params, headers, **kw)


def client_for(gateway):
    return create_web_app(
        WebSettings(secret_key="t", gateway_url="http://gw"), http=gateway
    ).test_client()


def check(client, receipt: str):
    form = client.get(f"/polls/{POLL['id']}/check")
    assert 'method="post"' in form.get_data(as_text=True)
    return client.post(
        f"/polls/{POLL['id']}/check", data={"csrf_token": csrf(form), "receipt": receipt}
    )


def test_the_check_confirms_counted_and_unchanged_without_the_answers():
    gateway = PollsApi()
    page = check(client_for(gateway), RECEIPT)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Counted, unchanged since you cast it." in text
    assert ENTRY in text
    assert f'href="/polls/{POLL["id"]}/ballots?start={ENTRY[:-1]}#e-{ENTRY}"' in text
    assert "<dd>" not in text and "1. B" not in text  # no content: nothing to show a buyer
    assert RECEIPT not in text  # not echoed into the page either
    assert gateway.calls[-1][2] == {"receipt": RECEIPT}
    assert not any(RECEIPT in url for url in gateway.urls)


def test_a_ballot_of_an_open_poll_is_recorded():
    text = check(client_for(PollsApi(status="recorded")), RECEIPT).get_data(as_text=True)
    assert "Recorded, unchanged since you cast it" in text and "ballots#e-" not in text


def test_an_unknown_receipt_is_said_so():
    text = check(client_for(PollsApi()), "rcpt-nope").get_data(as_text=True)
    assert "No ballot with this receipt was found in this poll." in text


def test_a_receipt_in_the_query_string_is_not_looked_up():
    gateway = PollsApi()
    page = client_for(gateway).get(f"/polls/{POLL['id']}/check?receipt={RECEIPT}")
    assert page.status_code == 200 and RECEIPT not in page.get_data(as_text=True)
    assert not any(c[1].endswith("/check") for c in gateway.calls)
    assert sum(RECEIPT in url for url in gateway.urls) == 0


def test_the_poll_page_checks_by_post():
    text = client_for(PollsApi()).get(f"/polls/{POLL['id']}").get_data(as_text=True)
    form = re.search(r'<form method="(\w+)" action="[^"]*/check"', text)
    assert form and form.group(1) == "post"


@pytest.mark.parametrize("status", ["counted"])
def test_transitional_the_pre_issue_13_polls_api_still_works(status):
    """TRANSITIONAL: until the polls service answers POST .../ballots/check (405 before)."""
    gateway = PollsApi(status)
    gateway.legacy = True
    text = check(client_for(gateway), RECEIPT).get_data(as_text=True)
    assert "Counted, unchanged since you cast it." in text and ENTRY in text
    assert "1. B" not in text


@pytest.mark.parametrize("legacy", [False, True])
def test_the_published_list_shows_commitments_apart_from_contents(legacy):
    gateway = PollsApi()
    gateway.legacy = legacy  # TRANSITIONAL: True is the polls API before issue 13
    text = client_for(gateway).get(f"/polls/{POLL['id']}/ballots").get_data(as_text=True)
    assert f'id="e-{ENTRY}"' in text and f'id="e-{"cd" * 32}"' in text
    assert "1. B" in text and "A blank ballot." in text
    contents = text.split('id="ballots-h"', 1)[1]
    assert ENTRY not in contents  # no ballot's content next to a receipt's commitment
    assert ("after=x2" in contents) is not legacy


def test_the_ballot_page_states_how_live_results_are_published():
    class Live(PollsApi):
        def request(self, method, url, json=None, params=None, headers=None, **kw):
            if method == "GET" and url.endswith(f"/api/v1/polls/{POLL['id']}"):
                return FakeResponse(
                    200,
                    {
                        **POLL,
                        "live_results": True,
                        "live_results_rule": {
                            "kind": "batches",
                            "min_new_voters": 5,
                            "description": "...",
                        },
                    },
                )
            return super().request(method, url, json, params, headers, **kw)

    text = client_for(Live()).get(f"/polls/{POLL['id']}").get_data(as_text=True)
    assert "only once at least 5 members have voted" in text
