"""`make run` opens the demo's polls before it says it is up, and the seeded polls show the
date they closed on, not the moment they were recreated."""

from __future__ import annotations

import datetime as dt

from services.polls import demo
from tests.integration.polls.conftest import new_member


def test_the_demo_polls_open_as_soon_as_the_replica_has_settled(runtime, client):
    demo.load_demo(runtime, open_delay=3600)  # as `make run` loads them: opening later
    titles = {title for title, _t, _q in demo.OPEN_POLLS}
    listed = client.get("/api/v1/polls", query_string={"limit": 200}).json["polls"]
    assert {p["status"] for p in listed if p["title"] in titles} == {"scheduled"}
    voters = {new_member(runtime) for _ in range(2)}

    done = demo.open_when_ready(runtime, wait_s=20, settle_s=0.2, pause_s=0.05)

    assert done["opened"] == len(titles) and done["members"] >= len(voters)
    assert done["waited"] < 20
    listed = client.get("/api/v1/polls", query_string={"limit": 200}).json["polls"]
    opened = [p for p in listed if p["title"] in titles]
    assert {p["status"] for p in opened} == {"open"}
    assert all(p["electorate"] >= len(voters) for p in opened)
    assert demo.open_when_ready(runtime, wait_s=5, settle_s=0.1, pause_s=0.05)["opened"] == 0


def test_seeded_polls_closed_on_their_published_date(runtime, client):
    demo.load_demo(runtime, open_delay=3600)
    listed = {
        p["title"]: p
        for p in client.get("/api/v1/polls", query_string={"limit": 200, "status": "closed"}).json[
            "polls"
        ]
    }
    for title, closed_on, _voters, _questions in demo.SEED_POLLS:
        assert dt.datetime.fromisoformat(listed[title]["closed_at"]) == closed_on
