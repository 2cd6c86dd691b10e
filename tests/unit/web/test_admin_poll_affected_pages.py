"""The poll form's affected chapters (docs/governance.md "Affected scopes"): chapters inside who
votes, a weight from 2 to POLLS_AFFECTED_MAX_WEIGHT and a reason; the API's refusals beside the
field; the review states the weights; French and Spanish labels."""

from __future__ import annotations

from gateway.web import WebSettings, create_web_app
from tests.support.webfakes import AdminGateway, csrf, log_in

TOP = "a0000000-0000-4000-8000-000000000001"
CITY = "a0000000-0000-4000-8000-000000000002"
LOCAL = "a0000000-0000-4000-8000-000000000003"
OTHER = "a0000000-0000-4000-8000-000000000004"
CHAPTERS = [
    {"id": TOP, "name": "France", "parent_id": None},
    {"id": CITY, "name": "Rennes", "parent_id": TOP},
    {"id": LOCAL, "name": "Rennes Nord", "parent_id": CITY},
    {"id": OTHER, "name": "Belgique", "parent_id": None},
]
QUESTION = {"text": "Which venue?", "method": "plurality", "options": ["Hall", "Park"]}


class Gateway(AdminGateway):
    dry_run = (200, {"questions": [QUESTION]})

    def routes(self) -> dict:
        return {
            ("GET", "/api/v1/chapters"): (200, CHAPTERS),
            ("GET", "/api/v1/currents"): (200, []),
            ("GET", "/api/v1/polls"): (200, {"polls": []}),
            ("POST", "/api/v1/polls"): self.dry_run,
        }


def _client(gateway, max_weight=4):
    settings = WebSettings(secret_key="t", gateway_url="http://gw", affected_max_weight=max_weight)
    client = create_web_app(settings, http=gateway).test_client()
    log_in(client)
    return client


def _form(page, **rows) -> dict:
    return {
        "csrf_token": csrf(page),
        "title": "Venue",
        "closes_at": "2099-02-01T09:00",
        "opens_at": "2099-01-20T09:00",
        "scope_type": "chapter",
        "chapter_id": TOP,
        "question_count": "1",
        "question-0-text": "Which venue?",
        "question-0-method": "plurality",
        "question-0-options": "Hall\nPark",
        "affected_count": "2",
        "action": "review",
        **rows,
    }


def test_weights_are_chosen_checked_sent_and_reviewed():
    gateway = Gateway()
    client = _client(gateway)
    page = client.get("/admin/polls/new")
    assert 'name="affected-0-chapter_id"' in page.get_data(as_text=True)
    row = {"affected-0-chapter_id": CITY, "affected-0-weight": "3", "affected-0-reason": "Venue"}
    # outside who votes (Belgique is not below France), weight above the most, no reason
    wrong = client.post(
        "/admin/polls/new",
        data=_form(page, **{**row, "affected-0-chapter_id": OTHER, "affected-0-weight": "5"}),
    )
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Choose a chapter inside who votes." in text and "Choose a weight from 2 to 4." in text
    assert 'id="affected-0-weight-error"' in text
    rows = text[text.index('id="affected-0-chapter_id"') : text.index('id="affected-0-reason"')]
    assert f'<option value="{LOCAL}"' in rows and f'<option value="{OTHER}"' not in rows
    assert '<option value="4"' in rows and '<option value="5"' not in rows
    review = client.post("/admin/polls/new", data=_form(page, **row))
    text = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "Members of Rennes: each ballot counts 3 times." in text and "Venue</blockquote>" in text
    body = next(c[2] for c in gateway.calls if c[:2] == ("POST", "/api/v1/polls"))
    assert body["affected"] == [{"chapter_id": CITY, "weight": 3, "reason": "Venue"}]


def test_the_apis_refusal_shows_beside_the_field_in_french():
    gateway = Gateway()
    gateway.dry_run = (
        422,
        {
            "error": {
                "code": "validation_failed",
                "message": "Invalid poll.",
                "fields": {"affected.0.chapter_id": ["Unknown chapter."]},
            }
        },
    )
    client = _client(gateway)
    page = client.get("/admin/polls/new")
    row = {"affected-0-chapter_id": CITY, "affected-0-weight": "2", "affected-0-reason": "Hall"}
    refused = client.post("/admin/polls/new", data=_form(page, **row))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert '<p class="field-error" id="affected-0-chapter_id-error">Unknown chapter.</p>' in text
    french = client.get("/admin/polls/new", headers={"Accept-Language": "fr"})
    assert "Chapitres plus concernés (facultatif)" in french.get_data(as_text=True)
    spanish = client.get("/admin/polls/new", headers={"Accept-Language": "es"})
    assert "Capítulos más afectados (opcional)" in spanish.get_data(as_text=True)


def test_a_currents_poll_weights_no_chapter_and_blank_rows_are_ignored():
    gateway = Gateway()
    client = _client(gateway)
    page = client.get("/admin/polls/new")
    form = {**_form(page), "scope_type": "organisation"}
    review = client.post("/admin/polls/new", data=form)
    assert review.status_code == 200
    body = next(c[2] for c in gateway.calls if c[:2] == ("POST", "/api/v1/polls"))
    assert "affected" not in body
    added = client.post("/admin/polls/new", data={**form, "action": "add_affected"})
    assert 'name="affected-1-chapter_id"' in added.get_data(as_text=True)


def test_row_counts_and_weights_that_are_not_ascii_numbers_are_no_500():
    """A hand-made form: counts of rows that are no number, weights in other digits."""
    client = _client(Gateway())
    page = client.get("/admin/polls/new")
    row = {"affected-0-chapter_id": CITY, "affected-0-weight": "³", "affected-0-reason": "Venue"}
    for counts in ({"affected_count": "x"}, {"question_count": "²"}, {"affected_count": "-1"}):
        answer = client.post("/admin/polls/new", data=_form(page, **counts))
        assert answer.status_code in (200, 422), counts
    refused = client.post("/admin/polls/new", data=_form(page, **row))
    assert refused.status_code == 422
    assert "Choose a weight from 2 to 4." in refused.get_data(as_text=True)
