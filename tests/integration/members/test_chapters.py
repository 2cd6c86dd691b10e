"""Chapters in a federation: the tree, implied membership, cycles, search, working status,
currents, meetings."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.members.store import memberships
from tests.integration.members.conftest import Api


@pytest.fixture(scope="module")
def tree(app, members_runtime):
    api = Api(app.test_client(), members_runtime)
    admin = api.admin()
    tag = uuid.uuid4().hex[:6]
    made = {}
    for key, level, parent, country in (
        ("intl", "international", None, None),
        ("nat", "national", "intl", "DE"),
        ("reg", "regional", "nat", None),
        ("loc", "local", "reg", None),
    ):
        body = {
            "name": f"{key} {tag}",
            "level": level,
            "country": country,
            "parent_id": made[parent]["id"] if parent else None,
        }
        code, chapter = api.call("POST", "/api/v1/chapters", body, token=admin)
        assert code == 201, chapter
        made[key] = chapter
    return {"api": api, "admin": admin, "tag": tag, **made}


def test_tree_inherits_country_and_continent(tree):
    assert tree["reg"]["country"] == "DE" and tree["loc"]["country"] == "DE"
    assert tree["loc"]["continent"] == "EU" and tree["intl"]["country"] is None
    founded = tree["api"].events("members.chapter.founded", chapter_id=tree["loc"]["id"])
    assert founded[0]["ancestors"] == [tree["reg"]["id"], tree["nat"]["id"], tree["intl"]["id"]]


def test_membership_of_a_local_chapter_implies_its_ancestors(tree):
    api = tree["api"]
    member_id, _, token = api.active_member("tree")
    code, joined = api.call("POST", f"/api/v1/chapters/{tree['loc']['id']}/join", token=token)
    assert code == 200 and joined["ancestors"] == [
        tree["reg"]["id"],
        tree["nat"]["id"],
        tree["intl"]["id"],
    ]
    code, me = api.call("GET", "/api/v1/members/me", token=token)
    assert set(me["chapter_ids"]) == {tree[k]["id"] for k in ("loc", "reg", "nat", "intl")}
    code, members = api.call("GET", f"/api/v1/chapters/{tree['nat']['id']}/members", token=token)
    assert code == 200 and any(m["id"] == member_id and not m["direct"] for m in members)
    # Joining twice changes nothing and announces nothing new.
    api.call("POST", f"/api/v1/chapters/{tree['loc']['id']}/join", token=token)
    assert len(api.events("members.membership.joined", member_id=member_id)) == 1
    code, page = api.call("GET", f"/api/v1/chapters/{tree['intl']['id']}?depth=3", token=token)
    assert page["children"][0]["id"] == tree["nat"]["id"]
    assert page["children"][0]["children"][0]["children"][0]["id"] == tree["loc"]["id"]
    code, page = api.call("GET", f"/api/v1/chapters/{tree['intl']['id']}", token=token)
    assert [c["id"] for c in page["children"]] == [tree["nat"]["id"]]  # one level by default
    assert page["children"][0]["children"] == []
    assert "members" in page
    code, few = api.call("GET", f"/api/v1/chapters/{tree['nat']['id']}?members=1", token=token)
    assert code == 200 and len(few["members"]) == 1
    code, bare = api.call("GET", f"/api/v1/chapters/{tree['intl']['id']}?members=0", token=token)
    assert code == 200 and "members" not in bare and bare["children"] == page["children"]
    code, anonymous = api.call("GET", f"/api/v1/chapters/{tree['intl']['id']}")
    assert code == 200 and "members" not in anonymous


def test_a_chapter_s_members_are_found_by_name(tree):
    """Issue 18: any active member picks the candidates of an election among a chapter's
    members by name (names only: what the chapter's member list already shows)."""
    api, tag = tree["api"], tree["tag"]
    found_id, _, token = api.active_member("named", display_name=f"Zelda {tag}")
    api.call("POST", f"/api/v1/chapters/{tree['loc']['id']}/join", token=token)
    for key in ("loc", "intl"):
        code, rows = api.call(
            "GET", f"/api/v1/chapters/{tree[key]['id']}/members?q=zelda%20{tag}", token=token
        )
        assert code == 200 and [r["id"] for r in rows] == [found_id]
        assert set(rows[0]) == {"id", "display_name", "country", "status", "joined_at", "direct"}
    code, rows = api.call(
        "GET", f"/api/v1/chapters/{tree['loc']['id']}/members?q=nobody{tag}", token=token
    )
    assert code == 200 and rows == []
    with api.runtime.db.transaction() as cur:  # the international chapter's way: by name order
        named = memberships.members_in_name_order(cur, tree["intl"]["id"], 10, 0, f"zelda {tag}")
    assert [str(r["id"]) for r in named] == [found_id]
    code, refused = api.call("GET", f"/api/v1/chapters/{tree['loc']['id']}/members?q=", token=token)
    assert code == 422 and "q" in str(refused["error"]["fields"])


def test_cycles_and_level_inversions_are_refused_and_change_nothing(tree):
    api, admin = tree["api"], tree["admin"]
    code, reply = api.call(
        "PATCH",
        f"/api/v1/chapters/{tree['nat']['id']}",
        {"parent_id": tree["loc"]["id"]},
        token=admin,
    )
    assert code == 422 and "parent_id" in reply["error"]["fields"]
    code, reply = api.call(
        "PATCH",
        f"/api/v1/chapters/{tree['reg']['id']}",
        {"parent_id": tree["reg"]["id"]},
        token=admin,
    )
    assert code == 422 and reply["error"]["code"] == "cycle"
    code, reply = api.call(
        "POST",
        "/api/v1/chapters",
        {
            "name": "Upside down",
            "level": "national",
            "parent_id": tree["loc"]["id"],
            "country": "DE",
        },
        token=admin,
    )
    assert code == 422 and "parent_id" in reply["error"]["fields"]
    code, page = api.call("GET", f"/api/v1/chapters/{tree['nat']['id']}")
    assert page["parent_id"] == tree["intl"]["id"]
    assert api.count("SELECT count(*) FROM chapters WHERE name = 'Upside down'") == 0


def test_moving_a_chapter_reannounces_its_subtree(tree):
    api, admin = tree["api"], tree["admin"]
    code, other = api.call(
        "POST",
        "/api/v1/chapters",
        {
            "name": f"Other region {tree['tag']}",
            "level": "regional",
            "parent_id": tree["nat"]["id"],
        },
        token=admin,
    )
    assert code == 201
    code, local = api.call(
        "POST",
        "/api/v1/chapters",
        {"name": f"Mover {tree['tag']}", "parent_id": other["id"]},
        token=admin,
    )
    assert code == 201
    code, moved = api.call(
        "PATCH", f"/api/v1/chapters/{local['id']}", {"parent_id": tree["reg"]["id"]}, token=admin
    )
    assert code == 200 and moved["parent_id"] == tree["reg"]["id"]
    snapshots = api.events("members.chapter.snapshot", chapter_id=local["id"])
    assert snapshots[-1]["ancestors"][0] == tree["reg"]["id"]
    assert api.events(
        "members.member.snapshot",
        member_id=api.count(
            "SELECT id FROM members WHERE lower(email) = 'admin@members-test.example'"
        ),
    )


def test_list_is_newest_first_and_searchable(tree):
    api = tree["api"]
    code, found = api.call("GET", f"/api/v1/chapters?q={tree['tag']}&limit=100")
    assert code == 200 and len(found) >= 4
    dates = [(c["founded_on"], c["created_at"]) for c in found]
    assert dates == sorted(dates, reverse=True)
    code, locals_ = api.call("GET", f"/api/v1/chapters?q={tree['tag']}&level=local")
    assert {c["level"] for c in locals_} == {"local"}
    code, _ = api.call("GET", "/api/v1/chapters?level=planetary")
    assert code == 422


def test_list_sorts_by_name_and_the_page_bounds_its_sub_tree(tree):
    api = tree["api"]
    code, found = api.call("GET", f"/api/v1/chapters?q={tree['tag']}&sort=name&limit=100")
    names = [c["name"].lower() for c in found]
    assert code == 200 and names == sorted(names) and len(names) >= 4
    code, page = api.call("GET", f"/api/v1/chapters/{tree['intl']['id']}?depth=1")
    assert code == 200 and [c["id"] for c in page["children"]] == [tree["nat"]["id"]]
    assert page["children"][0]["children"] == []
    code, page = api.call("GET", f"/api/v1/chapters/{tree['nat']['id']}?depth=0")
    assert code == 200 and page["children"] == [] and page["member_count"] >= 0
    # The ancestors come nearest first: the local chapter's parent, then upwards.
    code, page = api.call("GET", f"/api/v1/chapters/{tree['loc']['id']}?depth=0")
    assert [a["id"] for a in page["ancestors"]] == [tree[k]["id"] for k in ("reg", "nat", "intl")]
    for bad in ("depth=-1", "depth=65", "depth=x", "members=-1", "members=501", "members=x"):
        code, problem = api.call("GET", f"/api/v1/chapters/{tree['intl']['id']}?{bad}")
        assert code == 422 and bad.split("=")[0] in str(problem["error"]["fields"])
    code, problem = api.call("GET", "/api/v1/chapters?sort=size")
    assert code == 422 and "sort" in str(problem)
    # Mandates name their chapter, for pages that list who holds what where.
    code, held = api.call("GET", f"/api/v1/mandates?chapter_id={tree['loc']['id']}")
    assert code == 200 and held and {m["chapter_name"] for m in held} == {tree["loc"]["name"]}


def test_working_status_counts_unstated_gender_in_the_whole(tree):
    api, admin = tree["api"], tree["admin"]
    genders = ["woman", "man", "man", None, None, None]  # 1 of 6: 17 %; 1 of 3 stated: 33 %
    chapter = None
    for index, gender in enumerate(genders):
        extra = {"gender": gender} if gender else {}
        _, _, token = api.active_member(f"w{index}", **extra)
        if chapter is None:  # the first one founds it, and so is its first member
            code, chapter = api.call(
                "POST",
                "/api/v1/chapters",
                {"name": f"Working {tree['tag']}", "parent_id": tree["reg"]["id"]},
                token=token,
            )
            assert code == 201
        api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)
    code, status = api.call("GET", f"/api/v1/chapters/{chapter['id']}/status")
    assert status["members"] == 6 and status["women"] == 1
    assert status["women_share"] == pytest.approx(1 / 6, abs=1e-3)
    assert status["women_share_of_stated"] == pytest.approx(1 / 3, abs=1e-3)
    assert status["criteria"] == {"members": True, "women": False, "active": False}
    _, _, token = api.active_member("w-more", gender="woman")
    api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)
    code, status = api.call("GET", f"/api/v1/chapters/{chapter['id']}/status")
    assert status["women"] == 2 and status["criteria"]["women"] is False  # 2 of 7 < 30 %
    _, _, token = api.active_member("w-third", gender="woman")
    api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)
    code, status = api.call("GET", f"/api/v1/chapters/{chapter['id']}/status")
    assert status["criteria"]["women"] is True  # 3 of 8
    old = (dt.date.today() - dt.timedelta(days=120)).isoformat()
    code, _ = api.call(
        "POST",
        f"/api/v1/chapters/{chapter['id']}/meetings",
        {"held_on": old, "note": "long ago"},
        token=admin,
    )
    assert code == 201
    assert api.call("GET", f"/api/v1/chapters/{chapter['id']}/status")[1]["working"] is False
    code, reply = api.call(
        "POST", f"/api/v1/chapters/{chapter['id']}/meetings", {"held_on": "2999-01-01"}, token=admin
    )
    assert code == 422 and "held_on" in reply["error"]["fields"]
    recent = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    api.call("POST", f"/api/v1/chapters/{chapter['id']}/meetings", {"held_on": recent}, token=admin)
    code, status = api.call("GET", f"/api/v1/chapters/{chapter['id']}/status")
    assert status["working"] is True
    code, working = api.call("GET", "/api/v1/chapters/working")
    assert any(c["id"] == chapter["id"] for c in working)


def test_founder_coordinates_until_leaving(tree):
    api = tree["api"]
    member_id, _, token = api.active_member("founder")
    code, chapter = api.call(
        "POST",
        "/api/v1/chapters",
        {"name": f"Founded {tree['tag']}", "parent_id": tree["reg"]["id"]},
        token=token,
    )
    assert code == 201
    granted = api.events("members.mandate.granted", member_id=member_id)
    assert granted and granted[0]["chapter_id"] == chapter["id"]
    assert granted[0]["role"] == "coordinator"
    code, _ = api.call("POST", f"/api/v1/chapters/{chapter['id']}/leave", token=token)
    assert code == 200
    assert api.events("members.mandate.revoked", member_id=member_id)
    code, mandates = api.call("GET", f"/api/v1/mandates?member_id={member_id}")
    assert mandates == []


def test_currents(tree):
    api = tree["api"]
    member_id, _, token = api.active_member("cur")
    name = f"Ecosocialists {tree['tag']}"
    code, current = api.call("POST", "/api/v1/currents", {"name": name}, token=token)
    assert code == 201 and current["member_count"] == 1
    code, reply = api.call("POST", "/api/v1/currents", {"name": name.upper()}, token=token)
    assert code == 409 and "name" in reply["error"]["fields"]
    other_id, other_email = api.register("cur2")
    other = api.token(other_email)
    assert api.call("POST", f"/api/v1/currents/{current['id']}/join", token=other)[0] == 200
    assert api.call("GET", f"/api/v1/currents/{current['id']}")[1]["member_count"] == 2
    assert api.events("members.current_membership.joined", member_id=other_id)
    assert api.call("POST", f"/api/v1/currents/{current['id']}/leave", token=other)[0] == 200
    assert api.events("members.current_membership.left", member_id=other_id)
    code, listed = api.call("GET", f"/api/v1/currents?q={tree['tag']}")
    assert [c["id"] for c in listed] == [current["id"]]
