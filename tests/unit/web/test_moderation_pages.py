"""/admin/moderation against a fake gateway: reported and hidden comments most reported first,
hiding with a public reason (errors beside the field), dismissing reports, restoring a hidden
comment with a public reason, admins only."""

from __future__ import annotations

import pytest

from tests.support.webfakes import AdminGateway, csrf, logged_in_client

POLL_ID = "11111111-1111-4111-8111-111111111111"
PROPOSAL_ID = "22222222-2222-4222-8222-222222222222"
FEW = "33333333-3333-4333-8333-333333333333"
MANY = "44444444-4444-4444-8444-444444444444"
REPORTS = [
    {
        "comment_id": FEW,
        "subject": {"type": "proposal", "id": PROPOSAL_ID},
        "author_id": "x",
        "author_name": "Bo",
        "body": "Mild <b>words</b>\n\nSecond paragraph",
        "created_at": "2026-11-01T10:00:00+00:00",
        "hidden": False,
        "reports": 1,
        "last_reported_at": "2026-11-02T10:00:00+00:00",
        "reasons": ["Off topic"],
    },
    {
        "comment_id": MANY,
        "subject": {"type": "poll", "id": POLL_ID},
        "author_id": "y",
        "author_name": "Cy",
        "body": "Rude words",
        "created_at": "2026-11-01T10:00:00+00:00",
        "hidden": False,
        "reports": 4,
        "last_reported_at": "2026-11-03T10:00:00+00:00",
        "reasons": ["Insulting", "Spam"],
    },
]


HIDDEN = "55555555-5555-4555-8555-555555555555"
HIDDEN_ITEM = {
    "comment_id": HIDDEN,
    "subject": {"type": "poll", "id": POLL_ID},
    "author_id": "z",
    "author_name": "Di",
    "body": "Sharp but fair",
    "created_at": "2026-11-01T10:00:00+00:00",
    "hidden": True,
    "hidden_reason": "Rude",
    "hidden_at": "2026-11-04T10:00:00+00:00",
    "reports": 0,
    "reasons": [],
}


class Gateway(AdminGateway):
    hide_status = 200
    restore_answer = (200, {"id": HIDDEN, "hidden": False})

    def routes(self) -> dict:
        return {
            ("GET", "/api/v1/comment-reports"): (
                200,
                {"reports": REPORTS, "total": 2, "limit": 50, "offset": 0},
            ),
            ("GET", "/api/v1/comment-reports/hidden"): (
                200,
                {"hidden": [HIDDEN_ITEM], "total": 1, "limit": 50, "offset": 0},
            ),
            ("POST", f"/api/v1/polls/{POLL_ID}/comments/{HIDDEN}/restore"): self.restore_answer,
            ("POST", f"/api/v1/comment-reports/{MANY}/dismiss"): (
                200,
                {"comment_id": MANY, "dismissed": 4},
            ),
            ("POST", f"/api/v1/polls/{POLL_ID}/comments/{MANY}/hide"): (
                (200, {"id": MANY, "hidden": True})
                if self.hide_status == 200
                else (
                    422,
                    {
                        "error": {
                            "code": "validation_failed",
                            "message": "Invalid.",
                            "fields": {"reason": ["Too long, say it shorter."]},
                        }
                    },
                )
            ),
        }


@pytest.fixture()
def gateway():
    return Gateway()


@pytest.fixture()
def client(gateway):
    return logged_in_client(gateway)


def test_lists_reports_most_reported_first_quoted_and_linked(client, gateway):
    page = client.get("/admin/moderation")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Rude words") < html.index("Mild")
    assert "Mild &lt;b&gt;words&lt;/b&gt;" in html and "<p>Second paragraph</p>" in html
    assert f'href="/polls/{POLL_ID}#c-{MANY}"' in html
    assert f'href="/proposals/{PROPOSAL_ID}#c-{FEW}"' in html
    assert "Insulting" in html and "Spam" in html and "Off topic" in html
    assert "Hide with a public reason" in html and "Dismiss the reports" in html
    assert 'maxlength="2000"' in html
    assert ("GET", "/api/v1/comment-reports", None, {"limit": 50, "offset": 0}) in gateway.calls


def test_the_desk_and_the_nav_link_to_moderation(client):
    html = client.get("/admin").get_data(as_text=True)
    assert html.count('href="/admin/moderation"') == 2


def _hide(client, reason: str):
    """Hide the most reported comment from the moderation page, with `reason`."""
    page = client.get("/admin/moderation")
    form = {"csrf_token": csrf(page), "subject_type": "poll", "subject_id": POLL_ID}
    return client.post(f"/admin/moderation/{MANY}/hide", data={**form, "reason": reason})


def test_hiding_sends_the_public_reason(client, gateway):
    answer = _hide(client, "Insults a member")
    assert answer.status_code == 302
    assert (
        "POST",
        f"/api/v1/polls/{POLL_ID}/comments/{MANY}/hide",
        {"reason": "Insults a member"},
        None,
    ) in gateway.calls


def test_a_missing_reason_is_shown_beside_its_field(client, gateway):
    answer = _hide(client, " ")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'id="reason-error-{MANY}">Give the reason members will read' in html
    assert not [c for c in gateway.calls if c[0] == "POST" and c[1].endswith("/hide")]


def test_the_apis_refusal_lands_beside_the_field(client, gateway):
    gateway.hide_status = 422
    answer = _hide(client, "Kept reason")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'id="reason-error-{MANY}">Too long, say it shorter.' in html
    assert "Kept reason</textarea>" in html


def test_dismissing_the_reports(client, gateway):
    page = client.get("/admin/moderation")
    answer = client.post(
        f"/admin/moderation/{MANY}/dismiss", data={"csrf_token": csrf(page)}, follow_redirects=True
    )
    assert ("POST", f"/api/v1/comment-reports/{MANY}/dismiss", None, None) in gateway.calls
    assert "The reports on this comment are dismissed." in answer.get_data(as_text=True)


def test_members_who_are_not_admins_are_refused(client, gateway):
    gateway.admin = False
    assert client.get("/admin/moderation").status_code == 403


def test_the_main_nav_folds_behind_a_menu_disclosure_without_script(client):
    html = client.get("/").get_data(as_text=True)
    nav = html[html.index('<nav aria-label="Main"') : html.index("</nav>")]
    menu = nav[nav.index('<details class="menu">') : nav.index("</details>")]
    assert "<summary>Menu</summary>" in menu
    assert 'href="/admin/moderation"' in menu and ">Log out</button>" in menu


def test_a_hidden_comment_is_restored_with_a_public_reason(client, gateway):
    page = client.get("/admin/moderation")
    text = page.get_data(as_text=True)
    assert "Hidden comments" in text and "Sharp but fair" in text and "Hidden because: Rude" in text
    url = f"/admin/moderation/{HIDDEN}/restore"
    form = {"csrf_token": csrf(page), "subject_type": "poll", "subject_id": POLL_ID}
    bare = client.post(url, data={**form, "reason": " "})
    assert bare.status_code == 422
    assert "Give the reason members will read beside it." in bare.get_data(as_text=True)
    done = client.post(url, data={**form, "reason": "Fair on review"}, follow_redirects=True)
    assert "The comment is shown again" in done.get_data(as_text=True)
    sent = next(c for c in gateway.calls if c[1].endswith("/restore"))
    assert sent[2] == {"reason": "Fair on review"}
    gateway.restore_answer = (
        409,
        {"error": {"code": "comment_not_hidden", "message": "This comment is not hidden."}},
    )
    late = client.post(url, data={**form, "reason": "x"})
    assert late.status_code == 422 and "This comment is not hidden." in late.get_data(as_text=True)
