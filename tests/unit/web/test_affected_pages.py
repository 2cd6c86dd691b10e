"""The poll page states each affected chapter's weight with its reason, lists the challenges
and lets a member of the scope file one while the poll is scheduled (issue 18)."""

from __future__ import annotations

from tests.support.webfakes import POLL, RESULTS, RoutedGateway, csrf, log_in, web_client

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


# A weighted poll's results (issue 18): 4 of 7 members voted, the 2 of Rennes counting 3 times.
WEIGHTED_RESULTS = {
    **RESULTS,
    "voters": 4,
    "electors": 7,
    "electorate": 11,
    "turnout": 0.7273,
    "turnout_people": 0.5714,
    "turnout_weight": 0.7273,
    "final": True,
}


class ClosedSite(Site):
    def routes(self) -> dict:
        closed = {**SCHEDULED, "status": "closed", "counted": True, "electorate": 7}
        return {
            **super().routes(),
            ("GET", f"/api/v1/polls/{PID}"): (200, closed),
            ("GET", f"/api/v1/polls/{PID}/results"): (200, WEIGHTED_RESULTS),
        }


def test_weighted_results_give_turnout_by_people_and_by_weight():
    html = web_client(ClosedSite()).get(f"/polls/{PID}").get_data(as_text=True)
    assert "4 of 7 members voted." in html  # people, not the electorate's weight (11)
    assert "Turnout: 57.1% of the members voted; 72.7% of the electorate by weight" in html
    french = web_client(ClosedSite()).get(f"/polls/{PID}", headers={"Accept-Language": "fr"})
    assert "57,1" in french.get_data(as_text=True) and "Participation" in french.get_data(
        as_text=True
    )


def test_turnout_is_said_once_when_people_and_weight_agree():
    same = {**WEIGHTED_RESULTS, "turnout_people": 0.5, "turnout_weight": 0.5, "voters": 4}

    class Agreeing(ClosedSite):
        def routes(self) -> dict:
            return {**super().routes(), ("GET", f"/api/v1/polls/{PID}/results"): (200, same)}

    html = web_client(Agreeing()).get(f"/polls/{PID}").get_data(as_text=True)
    assert "4 of 7 members voted." in html and "Turnout:" not in html
