"""The admin's poll pages against a fake gateway: the ballot previewed as members see it
before launching, duplicating an earlier poll, a delegate poll's roll-call, the next
consensus round with the amended text."""

from __future__ import annotations

import pytest

from tests.support.webfakes import AdminGateway, csrf, logged_in_client

POLL_ID = "11111111-1111-4111-8111-111111111111"
NEXT_ID = "12121212-1212-4212-8212-121212121212"
QUESTION_ID = "13131313-1313-4313-8313-131313131313"
DELEGATE = "55555555-5555-4555-8555-555555555555"
CHAPTER = "22222222-2222-4222-8222-222222222222"
CLOSED = {
    "id": POLL_ID,
    "title": "Charter",
    "status": "closed",
    "counted": True,
    "opens_at": "2026-01-01T00:00:00Z",
    "closes_at": "2026-01-08T00:00:00Z",
    "scope": {"type": "chapter", "id": CHAPTER},
    "live_results": False,
    "questions": [
        {
            "id": QUESTION_ID,
            "text": "Adopt the charter?",
            "method": "consensus",
            "max_rounds": 3,
            "fallback": 0.75,
            "max_stand_asides": 2,
        }
    ],
}


class Gateway(AdminGateway):
    roll_status = 200
    round_answer = (201, {"id": NEXT_ID})

    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/polls/{POLL_ID}"): (200, CLOSED),
            ("GET", f"/api/v1/polls/{POLL_ID}/roll-call"): (
                self.roll_status,
                {
                    "poll_id": POLL_ID,
                    "electors": [
                        {
                            "member_id": DELEGATE,
                            "members_represented": 40,
                            "weight": 40,
                            "voted": True,
                            "answers": [{"question_id": QUESTION_ID, "response": "agree"}],
                            "cast_at": "2026-01-02T10:00:00Z",
                        }
                    ],
                },
            ),
            ("GET", "/api/v1/mandates"): (200, [{"member_id": DELEGATE, "member_name": "Dana"}]),
            ("GET", f"/api/v1/polls/{POLL_ID}/results"): (
                200,
                {
                    "questions": [
                        {
                            "question_id": QUESTION_ID,
                            "method": "consensus",
                            "status": "needs_amendment",
                        }
                    ]
                },
            ),
            (
                "POST",
                f"/api/v1/polls/{POLL_ID}/questions/{QUESTION_ID}/next_round",
            ): self.round_answer,
            ("GET", "/api/v1/polls"): (200, {"polls": [CLOSED]}),
            ("GET", "/api/v1/chapters"): (200, [{"id": CHAPTER, "name": "Lyon"}]),
            ("GET", "/api/v1/currents"): (200, []),
            ("POST", "/api/v1/polls"): (
                200,
                {
                    "questions": [
                        {"text": "Which colour?", "method": "irv", "options": ["Red", "Blue"]}
                    ]
                },
            ),
        }


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    return logged_in_client(gateway)


def test_a_delegate_polls_desk_shows_the_roll_call(client, gateway):
    text = client.get(f"/admin/polls/{POLL_ID}").get_data(as_text=True)
    assert "Roll-call of the delegates" in text and "Dana" in text and "agree" in text
    assert 'aria-current="page">Charter<' in text
    gateway.roll_status = 404
    assert "Roll-call" not in client.get(f"/admin/polls/{POLL_ID}").get_data(as_text=True)


def test_the_next_consensus_round_starts_with_the_amended_text(client, gateway):
    page = client.get(f"/admin/polls/{POLL_ID}")
    assert "Start the next round" in page.get_data(as_text=True)
    url = f"/admin/polls/{POLL_ID}/questions/{QUESTION_ID}/next-round"
    undated = client.post(url, data={"csrf_token": csrf(page), "text": "Amended"})
    assert undated.status_code == 422
    assert "Give the closing date and time." in undated.get_data(as_text=True)
    started = client.post(
        url, data={"csrf_token": csrf(page), "text": "Amended", "closes_at": "2099-01-01T09:00"}
    )
    assert started.headers["Location"].endswith(f"/admin/polls/{NEXT_ID}")
    body = next(c[2] for c in gateway.calls if c[1].endswith("/next_round"))
    assert body == {"text": "Amended", "closes_at": "2099-01-01T09:00:00+00:00"}
    gateway.round_answer = (
        422,
        {
            "error": {
                "code": "validation_failed",
                "message": "The next round needs the amended text.",
                "fields": {"text": ["Required for a new round."]},
            }
        },
    )
    refused = client.post(url, data={"csrf_token": csrf(page), "closes_at": "2099-01-01T09:00"})
    assert refused.status_code == 422
    assert "Required for a new round." in refused.get_data(as_text=True)


def test_duplicating_an_earlier_poll_fills_in_every_field(client):
    page = client.get(f"/admin/polls/new?from={POLL_ID}")
    text = page.get_data(as_text=True)
    assert 'value="Charter"' in text and "Adopt the charter?" in text
    assert f'<option value="{CHAPTER}" selected' in text
    assert 'name="question-0-fallback"' in text and 'value="75"' in text
    assert 'name="from"' in text  # the earlier polls to copy, on the page itself


def test_the_review_shows_the_ballot_as_members_will_see_it(client):
    page = client.get("/admin/polls/new")
    form = {
        "csrf_token": csrf(page),
        "title": "Colour",
        "closes_at": "2099-02-01T09:00",
        "scope_type": "organisation",
        "question_count": "1",
        "question-0-text": "Which colour?",
        "question-0-method": "irv",
        "question-0-options": "Red\nBlue",
    }
    review = client.post("/admin/polls/new", data=form)
    text = review.get_data(as_text=True)
    assert review.status_code == 200 and "The ballot as members will see it" in text
    assert '<fieldset disabled class="ballot">' in text
    assert 'name="rank-preview-0-1"' in text and "Not ranked" in text
