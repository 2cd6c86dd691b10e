"""Chapters put matters upward (issue 18): the chapter page lists the requests sent up and
received, a member files one from a form, the level above answers on the request's page."""

from __future__ import annotations

from tests.support.webfakes import (
    CHAPTER,
    CHAPTER_ID,
    REQUEST_ID,
    RoutedGateway,
    csrf,
    log_in,
    web_client,
)
from tests.support.webfakes import UPWARD_REQUEST as REQUEST

REQUESTS = "/api/v1/polls/upward-requests"


class Site(RoutedGateway):
    def answer(self, method, path, json=None, params=None, headers=None):
        if method == "GET" and path == REQUESTS:
            sent = (params or {}).get("chapter_id") == CHAPTER_ID
            return 200, {"requests": [REQUEST] if sent else []}
        if method == "GET" and path.startswith(f"/api/v1/chapters/{CHAPTER_ID}/"):
            return 200, []
        if method == "GET" and path == "/api/v1/chapters":
            return 200, []
        if method == "GET" and path == "/api/v1/mandates":
            return 200, []
        return super().answer(method, path, json, params, headers)

    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (200, CHAPTER),
            ("GET", f"{REQUESTS}/{REQUEST_ID}"): (200, REQUEST),
            ("POST", REQUESTS): (201, REQUEST),
            ("POST", f"{REQUESTS}/{REQUEST_ID}/refuse"): (200, REQUEST),
            ("POST", f"{REQUESTS}/{REQUEST_ID}/open"): (
                422,
                {"error": {"code": "validation_failed", "message": "closes_at must be later."}},
            ),
        }


def test_the_chapter_page_lists_its_requests_as_overdue():
    client = web_client(Site())
    log_in(client)
    html = client.get(f"/chapters/{CHAPTER_ID}").get_data(as_text=True)
    assert "Matters put upward" in html and "A national rent campaign" in html
    assert "Overdue" in html and f"/chapters/{CHAPTER_ID}/requests/new" in html


def test_filing_a_request_checks_the_form_then_sends_it():
    gateway = Site()
    client = web_client(gateway)
    log_in(client)
    form = client.get(f"/chapters/{CHAPTER_ID}/requests/new")
    assert form.status_code == 200
    token = csrf(form)
    empty = client.post(f"/chapters/{CHAPTER_ID}/requests/new", data={"csrf_token": token})
    assert empty.status_code == 422 and 'id="title-error"' in empty.get_data(as_text=True)
    sent = client.post(
        f"/chapters/{CHAPTER_ID}/requests/new",
        data={
            "csrf_token": token,
            "title": "A national rent campaign",
            "question": "Campaign?",
            "method": "majority",
            "options": "Yes\nNo",
        },
    )
    assert sent.status_code == 302
    body = next(c[2] for c in gateway.calls if c[:2] == ("POST", REQUESTS))
    assert body["chapter_id"] == CHAPTER_ID and "decided_by_poll_id" not in body
    assert body["questions"][0]["options"] == ["Yes", "No"]


def test_the_level_above_answers_on_the_request_page_in_french():
    gateway = Site()
    client = web_client(gateway)
    log_in(client)
    page = client.get(f"/requests/{REQUEST_ID}", headers={"Accept-Language": "fr"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "En retard" in html and "Ouvrir le vote des délégués" in html
    token = csrf(page)
    assert (
        client.post(f"/requests/{REQUEST_ID}/refuse", data={"csrf_token": token}).status_code == 422
    )
    done = client.post(
        f"/requests/{REQUEST_ID}/refuse", data={"csrf_token": token, "reason": "Decided already"}
    )
    assert done.status_code == 302
    failed = client.post(
        f"/requests/{REQUEST_ID}/open", data={"csrf_token": token, "closes_at": "2020-01-01T00:00"}
    )
    assert failed.status_code == 422 and "closes_at must be later." in failed.get_data(as_text=True)
