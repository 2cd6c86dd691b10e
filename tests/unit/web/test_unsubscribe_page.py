"""The page a mail's unsubscribe link opens (every link in a mail opens a page): it says what
stops in the reader's language, changes nothing until its button is pressed (mail scanners
follow links), then stops it through notify's API; a bad link says so. No login needed."""

from __future__ import annotations

import pytest

from tests.support.webfakes import RoutedGateway, csrf, web_client

TOKEN = "eyJtIjoibSIsImMiOiJwb2xscyJ9.Y5tZ7RRvh6gS4ZG5MJCftbhCZL8"
API = f"/api/v1/unsubscribe/{TOKEN}"


class Notify(RoutedGateway):
    def routes(self) -> dict:
        return {
            ("GET", API): (200, {"category": "newsletters", "subscribed": True}),
            ("POST", API): (200, {"category": "newsletters", "subscribed": False}),
            ("GET", "/api/v1/unsubscribe/forged"): (
                404,
                {
                    "error": {
                        "code": "invalid_link",
                        "message": "This unsubscribe link is not valid.",
                    }
                },
            ),
        }


@pytest.mark.parametrize(
    ("language", "asked", "done"),
    [
        ("en", "Stop receiving email of this kind: Newsletters?", "You will no longer receive"),
        ("es", "Boletines", "Ya no recibirás"),
        ("fr", "Lettres d&#39;information", "Vous ne recevrez plus"),
    ],
)
def test_the_link_asks_then_stops_the_mail_of_its_kind(language, asked, done):
    gateway = Notify()
    client = web_client(gateway)
    headers = {"Accept-Language": language}
    page = client.get(f"/unsubscribe/{TOKEN}", headers=headers)
    assert page.status_code == 200
    assert asked in page.get_data(as_text=True)
    assert [c[:2] for c in gateway.calls] == [("GET", API)]  # nothing changed yet
    stopped = client.post(f"/unsubscribe/{TOKEN}", data={"csrf_token": csrf(page)}, headers=headers)
    assert stopped.status_code == 200
    assert done in stopped.get_data(as_text=True)
    assert ("POST", API) in [c[:2] for c in gateway.calls]


def test_a_forged_link_says_it_did_not_work():
    page = web_client(Notify()).get("/unsubscribe/forged")
    assert page.status_code == 404
    assert "This unsubscribe link is not valid." in page.get_data(as_text=True)
