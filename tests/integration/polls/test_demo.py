"""The polls of `make run`'s demo: the seeds' two polls closed with their published totals, one
open poll of each method; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from services.polls import demo
from services.polls.answers import METHODS
from services.polls.context import build_context
from services.polls.service import schedule
from tests.integration.polls.conftest import sql


def test_demo_polls_are_loaded_once_with_the_seeds_totals(runtime, client):
    first = demo.load_demo(runtime, open_delay=60)
    assert len(first["created"]) == len(demo.SEED_POLLS) + len(demo.OPEN_POLLS)
    second = demo.load_demo(runtime, open_delay=60)
    assert second == {"created": [], "present": first["created"]}

    polls = client.get("/api/v1/polls", query_string={"limit": 200}).json["polls"]
    mine = {p["title"]: p for p in polls if p["created_by"] == demo.DEMO_ADMIN.member_id}
    assert len(mine) == len(first["created"])  # nothing duplicated

    for title, closed_on, voters, questions in demo.SEED_POLLS:
        poll = mine[title]
        assert poll["status"] == "closed"
        assert dt.datetime.fromisoformat(poll["closes_at"]) == closed_on
        results = client.get(f"/api/v1/polls/{poll['id']}/results").json
        assert results["voters"] == voters  # "Total Number of Voters"
        for got, (_, options) in zip(results["questions"], questions, strict=True):
            assert got["totals"] == dict(options)
            assert got["answered"] == sum(v for _, v in options)

    # The synthetic electors are retired: no later electorate holds them.
    assert not sql(
        runtime,
        "SELECT 1 FROM replica_members WHERE member_id = %s AND NOT deleted",
        (demo._elector(demo.SEED_POLLS[0][0], 0),),
    )

    open_polls = [mine[title] for title, _, _ in demo.OPEN_POLLS]
    methods = {p["questions"][0]["method"] for p in open_polls}
    assert methods == METHODS - {"consensus_vote"}  # that one only follows a consensus round
    assert {p["status"] for p in open_polls} == {"scheduled"}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    # the worker's scheduler, when due
    schedule.open_due(build_context(runtime, clock=lambda: later))
    for poll in open_polls:
        assert client.get(f"/api/v1/polls/{poll['id']}").json["status"] == "open"
