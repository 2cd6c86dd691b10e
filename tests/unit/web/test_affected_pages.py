"""The poll page states each affected chapter's weight with its reason, lists the challenges
and lets a member of the scope file one while the poll is scheduled (issue 18)."""

from __future__ import annotations

from tests.support.webfakes import POLL, RoutedGateway, csrf, log_in, web_client

PID = POLL["id"]
SCHEDULED = {
    **POLL,
    "status": "scheduled",
    "opens_at": "2030-01-01T00:00:00+00:00",
    "electorate": None,
    "affected": [
        {
            "chapter_id": "c1",
            "chapter_name": "Rennes",
            "weight": 3,
            "reason": "Its members use the venue",
            "set_aside": False,
        }
    ],
}
CHALLENGES = {
    "challenges": [{"member_id": "x", "name": "Bo", "reason": "Brest uses it too", "at": "t"}],
    "count": 1,
    "threshold": {"share": 0.05, "minimum": 3, "active_members": 7, "needed": 3},
    "open_to_challenge": True,
    "challenged": False,
    "may_challenge": True,
}


class Site(RoutedGateway):
    def routes(self) -> dict:
        return {
            ("GET", f"/api/v1/polls/{PID}"): (200, SCHEDULED),
            ("GET", f"/api/v1/polls/{PID}/challenges"): (200, CHALLENGES),
            ("POST", f"/api/v1/polls/{PID}/challenges"): (201, CHALLENGES),
            ("GET", f"/api/v1/polls/{PID}/comments"): (
                200,
                {"comments": [], "threads": 0, "total": 0},
            ),
        }


def test_the_ballot_states_weights_reasons_and_challenges():
    gateway = Site()
    client = web_client(gateway)
    log_in(client)
    page = client.get(f"/polls/{PID}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Members of Rennes: each ballot counts 3 times." in html
    assert "Its members use the venue" in html and "Brest uses it too" in html
    assert "1 challenge; 3 set the weights aside" in html
    empty = client.post(f"/polls/{PID}/challenges", data={"csrf_token": csrf(page), "reason": ""})
    assert empty.status_code == 422 and "Say why the weights are wrong." in empty.get_data(
        as_text=True
    )
    filed = client.post(
        f"/polls/{PID}/challenges", data={"csrf_token": csrf(page), "reason": "Unfair"}
    )
    assert filed.status_code == 302
    assert ("POST", f"/api/v1/polls/{PID}/challenges", {"reason": "Unfair"}) in [
        c[:3] for c in gateway.calls
    ]


def test_the_weights_in_spanish():
    client = web_client(Site())
    html = client.get(f"/polls/{PID}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Miembros de Rennes: cada papeleta cuenta 3 veces." in html
