"""The proposal page shows its supporters and the threshold (member initiative, issue 18), and
its Support button adds or takes back the member's support."""

from __future__ import annotations

from tests.support.webfakes import (
    PROPOSAL,
    PROPOSAL_ID,
    WHEN,
    RoutedGateway,
    csrf,
    log_in,
    web_client,
)


class Site(RoutedGateway):
    def __init__(self, proposal: dict) -> None:
        super().__init__()
        self.proposal = proposal

    def routes(self) -> dict:
        support = f"/api/v1/proposals/{PROPOSAL_ID}/support"
        return {
            ("GET", f"/api/v1/proposals/{PROPOSAL_ID}"): (200, self.proposal),
            ("GET", f"/api/v1/proposals/{PROPOSAL_ID}/comments"): (
                200,
                {"comments": [], "threads": 0, "total": 0},
            ),
            ("POST", support): (200, {**self.proposal, "supported": True}),
            ("DELETE", support): (200, self.proposal),
        }


def test_the_page_states_supporters_and_threshold_and_supports():
    gateway = Site(PROPOSAL)
    client = web_client(gateway)
    log_in(client)
    page = client.get(f"/proposals/{PROPOSAL_ID}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 supporter of 4 needed" in html and "5% of 61 active members, at least 3" in html
    assert "<li>Ana</li>" in html and "Support this proposal" in html
    # An organisation-wide proposal has no coordinator: the wording names both who could open it.
    assert "without waiting for a coordinator or an admin." in html
    done = client.post(f"/proposals/{PROPOSAL_ID}/support", data={"csrf_token": csrf(page)})
    assert done.status_code == 302
    assert ("POST", f"/api/v1/proposals/{PROPOSAL_ID}/support") in [c[:2] for c in gateway.calls]


def test_a_supporter_takes_their_support_back_in_french():
    gateway = Site({**PROPOSAL, "supported": True})
    client = web_client(gateway)
    log_in(client)
    page = client.get(f"/proposals/{PROPOSAL_ID}", headers={"Accept-Language": "fr"})
    html = page.get_data(as_text=True)
    assert "Retirer mon soutien" in html and "soutien" in html
    assert "5\xa0% de 61" in html  # the share as each language writes it (was "5 %" in English)
    client.post(
        f"/proposals/{PROPOSAL_ID}/support", data={"csrf_token": csrf(page), "withdraw": "1"}
    )
    assert ("DELETE", f"/api/v1/proposals/{PROPOSAL_ID}/support") in [c[:2] for c in gateway.calls]


def test_an_initiative_opened_poll_says_so():
    opened = {**PROPOSAL, "status": "opened", "poll_id": "p", "initiative_opened_at": WHEN}
    html = web_client(Site(opened)).get(f"/proposals/{PROPOSAL_ID}").get_data(as_text=True)
    assert "Opened as a poll on the strength of its 1 supporter" in html
    assert "Support this proposal" not in html
