"""Kept chapter figures (issue 15): exact across every change of a member's chapters, status or
gender and every move of a chapter; the recount corrects (and logs) a broken row; the working
chapters come a page at a time with their total."""

from __future__ import annotations

import logging
import uuid

import pytest

from services.members.context import build_context
from services.members.service import figures
from services.members.store import figures as figures_store
from services.members.store import memberships as memberships_store
from tests.integration.members.conftest import Api

TREE = (
    ("intl", "international", None, None),
    ("nat_a", "national", "intl", "FR"),
    ("reg_a", "regional", "nat_a", None),
    ("loc_a1", "local", "reg_a", None),
    ("loc_a2", "local", "reg_a", None),
    ("nat_b", "national", "intl", "IT"),
    ("reg_b", "regional", "nat_b", None),
    ("loc_b", "local", "reg_b", None),
)


@pytest.fixture()
def tree(app, members_runtime):
    """(api, admin token, chapter ids by key, their figures as founded: the admin founded the
    local chapters, and so is a member of each)."""
    api = Api(app.test_client(), members_runtime)
    admin = api.admin()
    tag = uuid.uuid4().hex[:6]
    ids: dict[str, str] = {}
    for key, level, parent, country in TREE:
        body = {
            "name": f"{key} {tag}",
            "level": level,
            "country": country,
            "parent_id": ids[parent] if parent else None,
        }
        code, chapter = api.call("POST", "/api/v1/chapters", body, token=admin)
        assert code == 201, chapter
        ids[key] = chapter["id"]
    founded, counted = kept_and_counted(api, ids)
    assert founded == counted and founded["reg_a"][0] == 1 and founded["intl"][0] == 1
    return api, admin, {"ids": ids, "founded": founded}


def kept_and_counted(api: Api, ids: dict) -> tuple[dict, dict]:
    """{key: (members, women, stated)} as kept and as counted from the memberships."""
    by_id = {uuid.UUID(cid): key for key, cid in ids.items()}
    with api.runtime.db.transaction() as cur:
        kept = figures_store.kept_figures(cur, list(by_id))
        counted = figures_store.counted_figures(cur, list(by_id))
    return (
        {key: kept.get(cid, figures.NOTHING) for cid, key in by_id.items()},
        {key: counted.get(cid, figures.NOTHING) for cid, key in by_id.items()},
    )


def assert_figures(api: Api, chapters: dict, **added) -> None:
    """The kept figures equal the count, and those as founded plus `added` (key: (members,
    women, stated) more than as founded)."""
    kept, counted = kept_and_counted(api, chapters["ids"])
    assert kept == counted
    expected = {
        key: tuple(f + a for f, a in zip(founded, added.get(key, figures.NOTHING), strict=True))
        for key, founded in chapters["founded"].items()
    }
    assert kept == expected


def join(api: Api, token: str, chapter_id: str, action: str = "join") -> None:
    code, reply = api.call("POST", f"/api/v1/chapters/{chapter_id}/{action}", token=token)
    assert code == 200, reply


def test_figures_stay_exact_across_every_change_of_a_member(tree):
    api, admin, chapters = tree
    ids = chapters["ids"]
    newcomer, email = api.register("fig-w", gender="woman")
    newcomer_token = api.token(email)
    join(api, newcomer_token, ids["loc_a1"])
    assert_figures(api, chapters)  # a pending member counts nowhere yet
    assert api.call("POST", f"/api/v1/members/{newcomer}/approve", token=admin)[0] == 200
    one_woman = (1, 1, 1)
    assert_figures(
        api, chapters, intl=one_woman, nat_a=one_woman, reg_a=one_woman, loc_a1=one_woman
    )

    # A second local chapter under the same regional one: counted once above it.
    join(api, newcomer_token, ids["loc_a2"])
    a_side = {"nat_a": one_woman, "reg_a": one_woman, "loc_a1": one_woman}
    assert_figures(api, chapters, intl=one_woman, loc_a2=one_woman, **a_side)

    other, _, other_token = api.active_member("fig-o")
    join(api, other_token, ids["loc_b"])
    unstated = (1, 0, 0)
    b_side = {"nat_b": unstated, "reg_b": unstated, "loc_b": unstated}
    assert_figures(api, chapters, intl=(2, 1, 1), loc_a2=one_woman, **a_side, **b_side)

    # A gender stated, then changed.
    code, _ = api.call("PATCH", "/api/v1/members/me", {"gender": "man"}, token=other_token)
    assert code == 200
    b_side = {"nat_b": (1, 0, 1), "reg_b": (1, 0, 1), "loc_b": (1, 0, 1)}
    assert_figures(api, chapters, intl=(2, 1, 2), loc_a2=one_woman, **a_side, **b_side)
    code, _ = api.call("PATCH", "/api/v1/members/me", {"gender": "woman"}, token=other_token)
    assert code == 200
    b_side = {"nat_b": one_woman, "reg_b": one_woman, "loc_b": one_woman}
    assert_figures(api, chapters, intl=(2, 2, 2), loc_a2=one_woman, **a_side, **b_side)

    # Leaving one of two local chapters keeps the member in the regional one.
    join(api, newcomer_token, ids["loc_a1"], "leave")
    a_side = {"nat_a": one_woman, "reg_a": one_woman, "loc_a2": one_woman}
    assert_figures(api, chapters, intl=(2, 2, 2), **a_side, **b_side)

    # A suspended account stays a member (its status stays active): the figures do not move.
    assert api.call("POST", f"/api/v1/members/{other}/suspend", token=admin)[0] == 200
    assert_figures(api, chapters, intl=(2, 2, 2), **a_side, **b_side)
    assert api.call("POST", f"/api/v1/members/{other}/restore", token=admin)[0] == 200
    other_token = api.token(api.count("SELECT email FROM members WHERE id = %s", other))

    # A deleted account counts nowhere.
    code, _ = api.call(
        "DELETE", "/api/v1/members/me", {"password": "Correct-horse-battery-9"}, token=other_token
    )
    assert code == 204
    assert_figures(api, chapters, intl=one_woman, **a_side)
    code, status = api.call("GET", f"/api/v1/chapters/{ids['intl']}/status")
    admin_alone = chapters["founded"]["intl"]
    assert (status["members"], status["women"], status["gender_stated"]) == (
        admin_alone[0] + 1,
        admin_alone[1] + 1,
        admin_alone[2] + 1,
    )


def test_a_refused_member_never_counts_and_a_moved_chapter_takes_its_members_along(tree):
    api, admin, chapters = tree
    ids = chapters["ids"]
    refused, email = api.register("fig-r", gender="woman")
    join(api, api.token(email), ids["loc_b"])
    code, _ = api.call(
        "POST", f"/api/v1/members/{refused}/reject", {"reason": "unknown"}, token=admin
    )
    assert code == 200
    assert_figures(api, chapters)

    _, _, token = api.active_member("fig-m", gender="non_binary")
    join(api, token, ids["loc_b"])
    stated = (1, 0, 1)
    assert_figures(api, chapters, intl=stated, nat_b=stated, reg_b=stated, loc_b=stated)
    code, _ = api.call(
        "PATCH", f"/api/v1/chapters/{ids['reg_b']}", {"parent_id": ids["nat_a"]}, token=admin
    )
    assert code == 200
    # The admin (founder of every local chapter) was in the national chapter B only through
    # the moved one; in A already through A's own.
    assert_figures(
        api, chapters, intl=stated, nat_a=stated, nat_b=(-1, 0, 0), reg_b=stated, loc_b=stated
    )


def test_the_recount_corrects_and_logs_a_broken_row(tree, members_runtime, caplog):
    api, _, chapters = tree
    ids = chapters["ids"]
    _, _, token = api.active_member("fig-c", gender="woman")
    join(api, token, ids["loc_a1"])
    with members_runtime.db.transaction() as cur:
        cur.execute(
            "UPDATE chapter_figures SET members = members + 7, women = 0 WHERE chapter_id = %s",
            (ids["nat_a"],),
        )
        cur.execute("DELETE FROM chapter_figures WHERE chapter_id = %s", (ids["loc_a1"],))
    kept, counted = kept_and_counted(api, ids)
    assert kept["nat_a"][0] == counted["nat_a"][0] + 7 and kept["nat_a"][1] == 0
    assert kept["loc_a1"] == figures.NOTHING != counted["loc_a1"]
    with caplog.at_level(logging.WARNING, logger="councils.members.figures"):
        corrected = figures.recount(build_context(members_runtime))
    assert corrected >= 2
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert ids["nat_a"] in logged and ids["loc_a1"] in logged
    one_woman = (1, 1, 1)
    assert_figures(
        api, chapters, intl=one_woman, nat_a=one_woman, reg_a=one_woman, loc_a1=one_woman
    )
    assert figures.recount(build_context(members_runtime)) == 0  # nothing left to correct


def test_working_chapters_come_a_page_at_a_time_with_their_total(tree):
    api, _, _ = tree
    everything = api.client.get("/api/v1/chapters/working?limit=500")
    assert everything.status_code == 200
    total = int(everything.headers["X-Total-Count"])
    assert total == len(everything.get_json())
    page = api.client.get("/api/v1/chapters/working?limit=1&offset=0")
    assert page.headers["X-Total-Count"] == str(total) and len(page.get_json()) == min(total, 1)
    assert page.get_json() == everything.get_json()[:1]
    for bad in ("limit=0", "limit=501", "offset=-1", "limit=x"):
        code, problem = api.call("GET", f"/api/v1/chapters/working?{bad}")
        assert code == 422 and bad.split("=")[0] in str(problem)


def test_a_members_chapters_are_walked_up_from_their_own(tree):
    api, _, chapters = tree
    ids = chapters["ids"]
    _, _, token = api.active_member("fig-e")
    join(api, token, ids["loc_a1"])
    join(api, token, ids["loc_b"])
    code, me = api.call("GET", "/api/v1/members/me", token=token)
    assert code == 200
    expected = {ids[k] for k in ("intl", "nat_a", "reg_a", "loc_a1", "nat_b", "reg_b", "loc_b")}
    assert sorted(me["chapter_ids"]) == sorted(expected)  # each once


def test_a_large_chapters_members_read_in_name_order_are_the_same_page(tree):
    api, _, chapters = tree
    ids = chapters["ids"]
    for tag in ("fig-n1", "fig-n2", "fig-n3"):
        _, _, token = api.active_member(tag)
        join(api, token, ids["loc_a1" if tag != "fig-n3" else "loc_b"])
    with api.runtime.db.transaction() as cur:
        for key in ("intl", "nat_a", "loc_b"):
            for limit, offset in ((100, 0), (2, 1)):
                gathered = memberships_store.members_gathered(cur, ids[key], limit, offset)
                by_name = memberships_store.members_in_name_order(cur, ids[key], limit, offset)
                assert by_name == gathered and gathered
