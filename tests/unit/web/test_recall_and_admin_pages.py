"""Recall petitions, a delegate's record, newsletters, scoped and scheduled polls, results
charts (transfer flow, beat matrix, consensus history) against a fake gateway."""

from __future__ import annotations

import re

import pytest

from gateway.web.i18n import Translator
from gateway.web.results import explain
from gateway.web.transfers import transfer_steps
from tests.support.webfakes import (
    CHAPTER_ID,
    DELEGATE_ID,
    IRV,
    MANDATE_ID,
    PETITION,
    PETITION_ID,
    SCHULZE,
    RoutedGateway,
    csrf,
    log_in,
)

_ = Translator("en")


GREETING = {"en": "Hello", "es": "Hola", "fr": "Bonjour"}


def preview_in(language: str, body: dict) -> dict:
    """The API's preview: counts, and the mail as a reader of `language` gets it."""
    translated = (body.get("translations") or {}).get(language) or body
    return {
        "recipients": {"email": 7, "sms": 1},
        "unreachable": {"email": {"unverified": 2, "opted_out": 1}, "sms": {"no_phone": 8}},
        "mail": {
            "language": language,
            "subject": translated.get("subject"),
            "text": f"{GREETING[language]} Ad,\n\n{translated.get('body')}",
        },
    }


class Gateway(RoutedGateway):
    admin = False
    test_answer = (202, {"queued": 1})

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/me" and self.admin and (headers or {}).get("Authorization"):
            return 200, {"id": "a", "display_name": "Ad", "status": "active", "admin": True}
        if path == "/api/v1/chapters" and method == "GET" and (params or {}).get("limit") == 500:
            return 200, [{"id": CHAPTER_ID, "name": "Lyon"}]
        if path == "/api/v1/newsletters/preview":
            return 200, preview_in((json or {}).get("language") or "en", json or {})
        return {
            ("GET", f"/api/v1/chapters/{CHAPTER_ID}"): (200, {"id": CHAPTER_ID, "name": "Lyon"}),
            ("GET", "/api/v1/recalls"): (200, [PETITION]),
            ("POST", "/api/v1/recalls"): (201, {**PETITION, "signatures": 1}),
            ("GET", "/api/v1/mandates"): (
                200,
                [
                    {
                        "id": MANDATE_ID,
                        "member_id": DELEGATE_ID,
                        "member_name": "Dana",
                        "role": "delegate",
                        "starts_at": "2026-01-01T00:00:00+00:00",
                    }
                ],
            ),
            ("GET", f"/api/v1/recalls/{PETITION_ID}"): (200, PETITION),
            ("POST", f"/api/v1/recalls/{PETITION_ID}/signature"): (201, PETITION),
            ("DELETE", f"/api/v1/recalls/{PETITION_ID}/signature"): (200, PETITION),
            ("GET", f"/api/v1/members/{DELEGATE_ID}/record"): (
                200,
                {
                    "member_id": DELEGATE_ID,
                    "display_name": "Dana",
                    "mandates": [
                        {
                            "id": MANDATE_ID,
                            "role": "delegate",
                            "chapter_id": CHAPTER_ID,
                            "chapter_name": "Lyon",
                            "starts_at": "2026-01-01T00:00:00+00:00",
                            "active": True,
                            "members_represented": 20,
                            "recall_petitions": [PETITION],
                        }
                    ],
                },
            ),
            ("GET", f"/api/v1/delegates/{DELEGATE_ID}/votes"): (
                200,
                {
                    "member_id": DELEGATE_ID,
                    "votes": [
                        {
                            "poll_id": "11111111-1111-1111-1111-111111111111",
                            "title": "Budget",
                            "weight": 20,
                            "answers": [{"question_id": "q", "choice": "Yes"}],
                            "cast_at": "2026-11-02T10:00:00+00:00",
                        }
                    ],
                },
            ),
            ("GET", "/api/v1/currents"): (200, [{"id": "c1", "name": "Ecology"}]),
            ("GET", "/api/v1/newsletters"): (
                200,
                [
                    {
                        "id": "n1",
                        "subject": "November news",
                        "scope": {"type": "organisation"},
                        "status": "sending",
                        "recipients": 12,
                        "created_at": "2026-11-20T10:00:00Z",
                        "deliveries": {"sent": 9, "pending": 3},
                        "unreachable": {
                            "email": {"unverified": 2, "opted_out": 1, "no_address": 0},
                            "sms": {"no_phone": 5},
                        },
                    }
                ],
            ),
            # as the API answers: the members are counted as it fans out, later
            ("POST", "/api/v1/newsletters"): (202, {"id": "n2", "recipients": None}),
            ("POST", "/api/v1/newsletters/test"): self.test_answer,
            ("GET", "/api/v1/newsletters/archive"): (
                200,
                [
                    {
                        "id": f"a{i}",
                        "subject": f"Issue {i}",
                        "body": f"Body {i}\n\nSee https://x.org",
                        "translations": {
                            "fr": {"subject": f"Numéro {i}", "body": "Texte"},
                            "es": {"subject": f"Número {i}", "body": MARKED},
                        },
                        "sent_at": "2026-11-20T10:00:00Z",
                    }
                    for i in range(11, 0, -1)
                ],
            ),
            ("POST", "/api/v1/polls"): (
                201,
                {
                    "id": "11111111-1111-1111-1111-111111111111",
                    "status": "scheduled",
                    "opens_at": "2031-01-01T09:00:00+00:00",
                },
            ),
        }.get((method, path))


# A newsletter marked as admins write them (the mail renders the marks; so does the archive).
MARKED = (
    "Our **big** news, the _assembly_: [the agenda](https://example.org/a?x=1&y=2), "
    "[mail us](mailto:office@example.org).\n<script>alert(1)</script> [no](javascript:alert(1))"
)


@pytest.fixture()
def gateway():
    return Gateway()


def test_petitions_of_a_chapter_and_opening_one_with_a_reason(client, gateway):
    log_in(client)
    page = client.get(f"/chapters/{CHAPTER_ID}/recalls")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Recall of Dana" in text and "3 of 5 signatures" in text
    assert f"/members/{DELEGATE_ID}/record" in text
    empty = client.post(
        f"/chapters/{CHAPTER_ID}/recalls", data={"csrf_token": csrf(page), "mandate_id": MANDATE_ID}
    )
    assert empty.status_code == 422 and "Say why" in empty.get_data(as_text=True)
    opened = client.post(
        f"/chapters/{CHAPTER_ID}/recalls",
        data={"csrf_token": csrf(page), "mandate_id": MANDATE_ID, "reason": " Never reports back "},
    )
    assert opened.status_code == 302 and opened.headers["Location"].endswith(PETITION_ID)
    assert (
        "POST",
        "/api/v1/recalls",
        {"mandate_id": MANDATE_ID, "reason": "Never reports back"},
    ) == gateway.calls[-1][:3]


def test_a_quorum_of_one_voter_is_singular(client, monkeypatch):
    """Found walking the pages: a five-member chapter read "1 voters needed"."""
    monkeypatch.setitem(PETITION, "quorum_needed", 1)
    log_in(client)
    text = client.get(f"/recalls/{PETITION_ID}").get_data(as_text=True)
    assert "1 voter needed (20% of the chapter&#39;s members)" in text
    french = client.get(f"/recalls/{PETITION_ID}", headers={"Accept-Language": "fr"})
    assert "1 votant nécessaire" in french.get_data(as_text=True)


def test_a_petition_shows_its_reason_progress_and_signs_and_withdraws(client, gateway):
    log_in(client)
    page = client.get(f"/recalls/{PETITION_ID}")
    text = page.get_data(as_text=True)
    assert "Never reports back." in text
    assert '<progress max="5" value="3"' in text
    assert "3 of 5 signatures needed; 2 more to reach the threshold." in text
    assert "4 voters needed (20% of the chapter&#39;s members)" in text  # the recall quorum
    assert "Sign the petition" in text
    token = csrf(page)
    client.post(f"/recalls/{PETITION_ID}/signature", data={"csrf_token": token, "action": "sign"})
    assert gateway.calls[-1][:2] == ("POST", f"/api/v1/recalls/{PETITION_ID}/signature")
    done = client.post(
        f"/recalls/{PETITION_ID}/signature",
        data={"csrf_token": token, "action": "withdraw"},
        follow_redirects=True,
    )
    assert ("DELETE", f"/api/v1/recalls/{PETITION_ID}/signature") in [c[:2] for c in gateway.calls]
    assert "Your signature is withdrawn." in done.get_data(as_text=True)


def test_a_delegates_public_record_lists_mandates_petitions_and_votes(client):
    text = client.get(f"/members/{DELEGATE_ID}/record").get_data(as_text=True)
    assert "Public record of Dana" in text and "represents 20 members" in text
    assert "Collecting signatures" in text and "Budget" in text and "Yes" in text


def test_admin_sends_a_newsletter_to_a_chapter_and_sees_figures(client, gateway):
    gateway.admin = True
    log_in(client)
    page = client.get("/admin/newsletters")
    text = page.get_data(as_text=True)
    assert "November news" in text and "sent: 9" in text and "waiting: 3" in text
    # Issue 13: the admin sees whom a mailing could not reach, and why.
    assert "Email: 2 address not verified" in text and "Email: 1 opted out" in text
    assert "SMS: 5 no phone number" in text and "no email address" not in text
    missing = client.post(
        "/admin/newsletters",
        data={"csrf_token": csrf(page), "subject": "Hi", "body": "Text", "scope_type": "chapter"},
    )
    assert missing.status_code == 422 and "Choose the chapter." in missing.get_data(as_text=True)
    form = {
        "csrf_token": csrf(page),
        "subject": "Hi",
        "body": "Text",
        "scope_type": "chapter",
        "chapter_id": CHAPTER_ID,
        "channels": ["email", "sms"],
    }
    unpreviewed = client.post(
        "/admin/newsletters", data={**form, "action": "send"}, follow_redirects=True
    )
    assert "Nothing was sent" in unpreviewed.get_data(as_text=True)
    preview = client.post("/admin/newsletters", data=form).get_data(as_text=True)
    [key] = re.findall(r'name="preview_key" value="([0-9a-f]{32})"', preview)
    send = {**form, "preview_key": key, "action": "send"}
    sent = client.post("/admin/newsletters", data=send, follow_redirects=True)
    queued = sent.get_data(as_text=True)
    assert "Newsletter queued; the figures below update as it is sent." in queued
    assert "0 members" not in queued  # it used to say "queued for 0 members"
    # The same preview sent again (a reload, the back button, a second click): nothing more.
    again = client.post("/admin/newsletters", data=send, follow_redirects=True)
    assert "Nothing was sent: this preview was sent already." in again.get_data(as_text=True)
    [body] = [c[2] for c in gateway.calls if c[:2] == ("POST", "/api/v1/newsletters")]
    assert body == {
        "subject": "Hi",
        "body": "Text",
        "channels": ["email", "sms"],
        "scope": {"type": "chapter", "id": CHAPTER_ID},
    }


def test_admin_previews_a_newsletter_before_sending_it(client, gateway):
    gateway.admin = True
    log_in(client)
    page = client.get("/admin/newsletters")
    form = {
        "csrf_token": csrf(page),
        "subject": "Hi there",
        "body": "Text",
        "scope_type": "chapter",
        "chapter_id": CHAPTER_ID,
        "channels": ["email", "sms"],
    }
    preview = client.post("/admin/newsletters", data=form)  # the first step is the preview
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert not [c for c in gateway.calls if c[:2] == ("POST", "/api/v1/newsletters")]
    asked = [c[2] for c in gateway.calls if c[1] == "/api/v1/newsletters/preview"]
    assert [a.pop("language") for a in asked] == ["en", "es", "fr"]  # the mail in each
    assert asked[0] == {
        "subject": "Hi there",
        "body": "Text",
        "channels": ["email", "sms"],
        "scope": {"type": "chapter", "id": CHAPTER_ID},
    }
    assert "By email: 7 members will get it" in text and "By SMS: 1 member will get it" in text
    assert "2 members will not get it: address not verified" in text
    assert "1 member will not get it: opted out" in text
    assert "8 members will not get it: no phone number" in text
    assert "Lyon" in text and "Hello Ad," in text and 'value="send"' in text
    assert '<input type="hidden" name="body" value="Text">' in text


def test_admin_sends_a_newsletter_test_to_themselves(client, gateway):
    gateway.admin = True
    log_in(client)
    page = client.get("/admin/newsletters")
    form = {
        "csrf_token": csrf(page),
        "subject": "Hi there",
        "body": "Text",
        "scope_type": "organisation",
        "action": "test",
    }
    sent = client.post("/admin/newsletters", data=form)
    assert "A test is on its way to your own address." in sent.get_data(as_text=True)
    assert gateway.calls[-2][:3] == (
        "POST",
        "/api/v1/newsletters/test",
        {"subject": "Hi there", "body": "Text"},
    )
    assert 'value="Hi there"' in sent.get_data(as_text=True)  # the draft stays
    gateway.test_answer = (422, {"error": {"code": "no_verified_address", "message": "x"}})
    refused = client.post("/admin/newsletters", data=form)
    assert refused.status_code == 422
    assert "You have no verified email address" in refused.get_data(as_text=True)


def test_anyone_reads_the_newsletter_archive_in_pages_in_their_language(client, gateway):
    page = client.get("/newsletters")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.index("Issue 11") < text.index("Issue 10")  # newest first, as the API gives
    assert "Issue 1<" not in text and "page=2" in text  # ten a page, the 11th says more
    assert "<p>Body 11</p>" in text and 'href="https://x.org"' in text
    assert gateway.calls[-1][:2] == ("GET", "/api/v1/newsletters/archive")
    second = client.get("/newsletters?page=2")
    assert second.status_code == 200
    french = client.get("/newsletters", headers={"Accept-Language": "fr"})
    assert "Numéro 11" in french.get_data(as_text=True)


def test_the_archive_shows_a_newsletters_marks_as_the_mail_does(client):
    text = client.get("/newsletters", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Our <strong>big</strong> news, the <em>assembly</em>:" in text
    assert '<a href="https://example.org/a?x=1&amp;y=2">the agenda</a>' in text
    assert '<a href="mailto:office@example.org">mail us</a>' in text
    assert "**" not in text and "_assembly_" not in text and "](https" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and 'href="javascript' not in text


def test_admin_schedules_a_poll_for_a_current(client, gateway):
    gateway.admin = True
    log_in(client)
    page = client.get("/admin/polls/new")
    assert "Ecology" in page.get_data(as_text=True)
    form = {
        "csrf_token": csrf(page),
        "title": "Budget",
        "closes_at": "2031-02-01T09:00",
        "opens_at": "2031-03-01T09:00",
        "scope_type": "current",
        "current_id": "c1",
        "question_count": "1",
        "question-0-text": "OK?",
        "question-0-method": "plurality",
        "question-0-options": "Yes\nNo",
        "action": "review",
    }
    late = client.post("/admin/polls/new", data=form)
    assert late.status_code == 422 and "open before it closes" in late.get_data(as_text=True)
    review = client.post("/admin/polls/new", data={**form, "opens_at": "2031-01-01T09:00"})
    text = review.get_data(as_text=True)
    assert "Members of the current Ecology" in text and "Schedule the poll" in text
    launched = client.post(
        "/admin/polls/launch", data={"csrf_token": csrf(page)}, follow_redirects=True
    )
    assert "Poll scheduled" in launched.get_data(as_text=True)
    body = next(c[2] for c in gateway.calls if c[:2] == ("POST", "/api/v1/polls"))
    assert body["scope"] == {"type": "current", "id": "c1"}
    assert body["opens_at"] == "2031-01-01T09:00:00+00:00"


def test_transfers_between_rounds_in_words_and_as_a_flow_chart():
    steps = transfer_steps([(1, {"A": 4, "B": 3, "C": 2}), (2, {"A": 5, "B": 3})], [0, 1])
    assert steps[0]["losses"] == {"C": 2} and steps[0]["gains"] == {"A": 1, None: 1}
    assert ("C", "A", 1.0) in steps[0]["flows"] and ("A", "A", 4) in steps[0]["flows"]
    view = explain(_, IRV)
    assert view["flow"]["sentences"] == [
        "From round 1 to round 2: C (2) passed on votes: 1 to A, 1 to no further choice."
    ]
    chart = view["flow"]["chart"]
    assert 'role="img"' in chart and "<desc" in chart and "style=" not in chart
    assert chart.count('class="flow-band flow-moved"') == 2


def test_beat_matrix_chart_and_consensus_round_history():
    schulze = explain(_, SCHULZE)
    chart = schulze["matrix"]["chart"]
    assert "B beats A by 5 to 2." in schulze["pairwise"] and 'class="matrix-win"' in chart
    assert "✓ 5" in chart and "✗ 2" in chart  # the mark says it, not only the colour
    consensus = explain(
        _,
        {
            "method": "consensus",
            "status": "consensus",
            "totals": {"agree": 2},
            "rounds": [
                {
                    "round": 1,
                    "outcome": "needs_amendment",
                    "why_not": ["1 block"],
                    "responses": {
                        "h1": {"response": "block", "reason": "Too fast"},
                        "h2": {"response": "agree"},
                    },
                },
                {
                    "round": 2,
                    "outcome": "consensus",
                    "why_not": [],
                    "responses": {"h1": {"response": "agree"}, "h2": {"response": "agree"}},
                },
            ],
        },
    )
    history = consensus["history"]
    assert history["sentences"][0].startswith("Round 1: Agree 1, Stand aside 0")
    assert "Why: 1 block." in history["sentences"][0]
    assert history["table"]["rows"][1] == ("Round 2", ["2", "0", "0", "0"])
    assert "<title" in history["chart"]


def test_pages_speak_spanish_and_french(client):
    client.post("/language", data={"lang": "fr", "csrf_token": csrf(client.get("/"))})
    text = client.get(f"/recalls/{PETITION_ID}").get_data(as_text=True)
    assert "Pétitions de révocation" in text and "Collecte des signatures" in text
    client.post("/language", data={"lang": "es", "csrf_token": csrf(client.get("/"))})
    assert "Historial público de Dana" in client.get(f"/members/{DELEGATE_ID}/record").get_data(
        as_text=True
    )


def test_admin_writes_translations_and_previews_each_language(client, gateway):
    gateway.admin = True
    log_in(client)
    page = client.get("/admin/newsletters")
    assert "Spanish translation (optional)" in page.get_data(as_text=True)
    form = {
        "csrf_token": csrf(page),
        "subject": "Hi there",
        "body": "Text",
        "scope_type": "organisation",
        "subject_fr": "Bonjour",
        "body_fr": "Texte",
    }
    half = client.post("/admin/newsletters", data={**form, "subject_es": "Hola"})
    assert half.status_code == 422
    assert "needs both its subject and its text" in half.get_data(as_text=True)
    preview = client.post("/admin/newsletters", data=form)
    text = preview.get_data(as_text=True)
    assert '<span lang="fr">Bonjour</span>' in text and "Bonjour Ad,\n\nTexte" in text
    assert "Spanish: no translation, these readers get the English text." in text
    assert 'name="body_fr" value="Texte"' in text  # sent with the translation
    asked = next(c[2] for c in gateway.calls if c[1] == "/api/v1/newsletters/preview")
    assert asked["translations"] == {"fr": {"subject": "Bonjour", "body": "Texte"}}
    # The whole mail of each language, as the API renders it for a reader of that language.
    assert "Bonjour Ad," in text and "Hola Ad," in text and "Hello Ad," in text
