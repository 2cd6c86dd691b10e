"""Working chapters and targets on a generated organisation of 10,000 members in 300 chapters,
checked against figures computed here, independently of the service's SQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from services.members import geo, seed
from services.members.app import create_app
from services.members.store import targets as targets_store
from tests.support.runtime import make_runtime


def expected_figures(org, today, min_members=5, min_women=0.30, days=90):
    def ancestors(cid):
        chain = []
        while cid is not None:
            chain.append(cid)
            cid = org.chapters[cid][0]
        return chain

    effective = defaultdict(set)
    for member_id, chapter_id in org.memberships:
        if org.members[member_id][0] == "active":
            for cid in ancestors(chapter_id):
                effective[cid].add(member_id)
    working = set()
    for cid in org.chapters:
        members = effective[cid]
        women = sum(1 for m in members if org.members[m][1] == "woman")
        last = org.last_meeting.get(cid)
        if (
            len(members) >= min_members
            and women >= min_women * len(members)
            and last is not None
            and last >= today - dt.timedelta(days=days)
        ):
            working.add(cid)
    active = [m for m in org.members.values() if m[0] == "active"]
    countries = {m[2] for m in active}
    return {
        "members": len(active),
        "women_share": round(100 * sum(1 for m in active if m[1] == "woman") / len(active), 1),
        "countries": len(countries),
        "continents": len({geo.continent_of(c) for c in countries}),
        "working": working,
        "effective": effective,
    }


@pytest.fixture(scope="module")
def organisation(pg_admin_url):
    from tests.support import servers

    url = servers.create_database(pg_admin_url)
    runtime = make_runtime("members", url)
    org = seed.generate(10_000, 300, seed=11)
    seed.load(runtime, org)
    with runtime.db.transaction() as cur:
        for position, (kind, target) in enumerate(
            [
                ("members", 3500),
                ("working_chapters", 20),
                ("women_share", 30),
                ("countries", 5),
                ("continents", 7),
            ]
        ):
            targets_store.insert_target(
                cur,
                name=kind,
                kind=kind,
                target=target,
                deadline=None,
                position=position,
                created_by=None,
            )
    yield runtime, org
    runtime.close()
    servers.drop_database(pg_admin_url, url)


def test_targets_and_working_chapters_on_a_large_organisation(organisation):
    runtime, org = organisation
    assert len(org.members) == 10_000 and len(org.chapters) == 300
    client = create_app(runtime).test_client()
    expected = expected_figures(org, dt.date.today())
    assert 5 <= len(expected["working"]) < 300  # the generated world has both kinds

    response = client.get("/api/v1/targets")
    assert response.status_code == 200
    by_kind = {t["kind"]: t for t in response.get_json()}
    assert by_kind["members"]["current"] == expected["members"]
    assert by_kind["members"]["met"] is (expected["members"] >= 3500)
    assert by_kind["working_chapters"]["current"] == len(expected["working"])
    assert by_kind["women_share"]["current"] == pytest.approx(expected["women_share"])
    assert by_kind["countries"]["current"] == expected["countries"]
    assert by_kind["continents"]["current"] == expected["continents"]
    assert by_kind["continents"]["met"] is (expected["continents"] >= 7)
    for target in by_kind.values():
        assert set(target) >= {"name", "target", "current", "met", "progress"}
        assert 0 <= target["progress"] <= 1

    first = client.get("/api/v1/chapters/working")  # a page of 50, and how many in all
    assert len(first.get_json()) == min(50, len(expected["working"]))
    assert first.headers["X-Total-Count"] == str(len(expected["working"]))
    working = client.get("/api/v1/chapters/working?limit=500").get_json()
    assert {c["id"] for c in working} == {str(c) for c in expected["working"]}

    for cid in list(org.chapters)[:40]:
        status = client.get(f"/api/v1/chapters/{cid}/status").get_json()
        assert status["members"] == len(expected["effective"][cid])
        assert status["working"] is (cid in expected["working"])
