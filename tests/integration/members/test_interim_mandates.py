"""Issue 18: an appointed coordinator or admin mandate is interim — it always ends (by default and
at the latest INTERIM_MANDATE_DAYS after it starts), is shown as interim, cannot be stretched or
made endless, and is refused (409 `elected_role`) while the members' elected holders of the role
are live; once their terms end or they are recalled, appointing is possible again. What the
members gave by election only they take back: an elected term is not moved nor cleared (409
`elected_term` naming `ends_at`) and nobody revokes an elected mandate directly, neither an admin
nor a coordinator of a chapter above (409 `elected_mandate`, naming the recall path); a suspension
pauses its use without ending it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.members.app import create_app
from services.members.context import build_context
from services.members.handlers import poll_closed
from services.members.service import mandates as mandates_service
from tests.integration.members.conftest import Api, organisation_runtime
from tests.support import servers

DAYS = 90  # INTERIM_MANDATE_DAYS' default


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _later(days: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def _chapter(api, admin) -> str:
    body = {"name": f"interim {uuid.uuid4().hex[:6]}", "level": "national", "country": "FR"}
    code, chapter = api.call("POST", "/api/v1/chapters", body, token=admin)
    assert code == 201, chapter
    return chapter["id"]


def _member_of(api, chapter_id, tag="in"):
    member_id, _, token = api.active_member(tag)
    assert api.call("POST", f"/api/v1/chapters/{chapter_id}/join", token=token)[0] == 200
    return member_id, token


def _appoint(api, admin, member_id, chapter_id, **extra):
    body = {"member_id": member_id, "role": "coordinator", "chapter_id": chapter_id, **extra}
    return api.call("POST", "/api/v1/mandates", body, token=admin)


def _elect(runtime, purpose: str, elected: list[str], chapter_id=None) -> str:
    """Members records the close of an election held by polls (`polls.poll.closed`)."""
    poll_id = str(uuid.uuid4())
    data = {
        "poll_id": poll_id,
        "purpose": purpose,
        "title": "Election",
        "closed_at": dt.datetime.now(dt.UTC).isoformat(),
        "scope": {"type": "chapter", "id": chapter_id} if chapter_id else {"type": "organisation"},
        "election": {
            "chapter_id": chapter_id,
            "seats": len(elected),
            "term_days": 365,
            "elected": elected,
            "uncontested": True,
            "electorate": "members",
        },
    }
    ctx = build_context(runtime)
    with ctx.db.transaction() as cur:
        poll_closed(ctx, cur, {"id": str(uuid.uuid4()), "type": "polls.poll.closed", "data": data})
    return poll_id


def _petition(api, mandate_id, token) -> None:
    """A member of the mandate's chapter opens a recall petition against it."""
    body = {"mandate_id": mandate_id, "reason": "We did not choose this"}
    code, petition = api.call("POST", "/api/v1/recalls", body, token=token)
    assert code == 201 and petition["role"] == "coordinator", petition


def _end_terms_now(runtime, mandate_ids: list[str]) -> None:
    """Their terms pass: the end is moved to a moment ago and the worker's turn announces it."""
    with runtime.db.transaction() as cur:
        cur.execute(
            "UPDATE mandates SET ends_at = now() - interval '1 second' WHERE id = ANY(%s::uuid[])",
            (mandate_ids,),
        )
    mandates_service.end_due_mandates(build_context(runtime))


def test_an_appointment_without_an_end_is_interim_for_the_default_term(api):
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    member_id, holder = _member_of(api, chapter_id)
    before = _later(DAYS)
    code, mandate = _appoint(api, admin, member_id, chapter_id)
    assert code == 201, mandate
    assert mandate["interim"] is True and mandate["elected"] is False and mandate["active"]
    ends = _at(mandate["ends_at"])
    assert before <= ends <= _later(DAYS)
    assert ends - _at(mandate["starts_at"]) == dt.timedelta(days=DAYS)
    # Shown as interim wherever the mandate is: the list, the record, the chapter page.
    code, listed = api.call("GET", f"/api/v1/mandates?member_id={member_id}")
    assert code == 200 and listed[0]["interim"] is True, listed
    code, record = api.call("GET", f"/api/v1/members/{member_id}/record")
    assert code == 200 and record["mandates"][0]["interim"] is True, record
    code, chapter = api.call("GET", f"/api/v1/chapters/{chapter_id}")
    [coordinator] = chapter["coordinators"]
    assert coordinator["interim"] is True and coordinator["until"], coordinator
    [entry] = [
        e
        for e in api.call("GET", f"/api/v1/audit?member_id={member_id}", token=holder)[1]
        if e["action"] == "mandate.granted"
    ]
    assert entry["detail"]["interim"] is True and entry["detail"]["ends_at"], entry


def test_an_appointment_ends_at_most_the_interim_term_after_it_starts(api):
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    member_id, _ = _member_of(api, chapter_id)
    code, body = _appoint(api, admin, member_id, chapter_id, ends_at=_later(DAYS + 1).isoformat())
    assert code == 422 and "ends_at" in body["error"]["fields"], body
    starts = _later(10)
    code, body = _appoint(
        api,
        admin,
        member_id,
        chapter_id,
        starts_at=starts.isoformat(),
        ends_at=(starts + dt.timedelta(days=DAYS + 1)).isoformat(),
    )
    assert code == 422 and "ends_at" in body["error"]["fields"], body
    code, body = _appoint(api, admin, member_id, chapter_id, starts_at="9999-12-30T00:00:00Z")
    assert code == 422 and "starts_at" in body["error"]["fields"], body
    shorter = _later(30)
    code, mandate = _appoint(api, admin, member_id, chapter_id, ends_at=shorter.isoformat())
    assert code == 201 and mandate["interim"], mandate
    assert _at(mandate["ends_at"]) == shorter


def test_an_interim_term_is_never_cleared_nor_stretched_past_its_cap(api):
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    member_id, _ = _member_of(api, chapter_id)
    code, mandate = _appoint(api, admin, member_id, chapter_id, ends_at=_later(20).isoformat())
    assert code == 201, mandate
    path = f"/api/v1/mandates/{mandate['id']}"
    code, body = api.call("PATCH", path, {"ends_at": None}, token=admin)
    assert code == 422 and "ends_at" in body["error"]["fields"], body
    code, body = api.call("PATCH", path, {"ends_at": _later(DAYS + 2).isoformat()}, token=admin)
    assert code == 422 and "ends_at" in body["error"]["fields"], body
    # Within the cap it may move later or earlier, in the open.
    later = _later(DAYS - 1)
    code, moved = api.call("PATCH", path, {"ends_at": later.isoformat()}, token=admin)
    assert code == 200 and _at(moved["ends_at"]) == later and moved["interim"], moved
    sooner = _later(5)
    code, moved = api.call("PATCH", path, {"ends_at": sooner.isoformat()}, token=admin)
    assert code == 200 and _at(moved["ends_at"]) == sooner, moved
    assert len(api.events("members.mandate.term_changed", mandate_id=mandate["id"])) == 2


def test_elected_coordinators_refuse_appointments_until_their_terms_end(api, members_runtime):
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    interim_id, _ = _member_of(api, chapter_id, "interim")
    code, interim = _appoint(api, admin, interim_id, chapter_id)
    assert code == 201, interim
    elected_id, _ = _member_of(api, chapter_id, "elected")
    poll_id = _elect(members_runtime, "coordinator_election", [elected_id], chapter_id)

    # The next election supersedes the interim appointment.
    code, mandates = api.call("GET", f"/api/v1/mandates?chapter_id={chapter_id}&all=true")
    by_member = {m["member_id"]: m for m in mandates}
    assert not by_member[interim_id]["active"], by_member
    ended = api.events("members.mandate.ended", mandate_id=interim["id"])
    assert [e["reason"] for e in ended] == ["superseded"]
    elected = by_member[elected_id]
    assert elected["elected"] and not elected["interim"] and elected["active"], elected
    code, listed = api.call("GET", f"/api/v1/mandates?chapter_id={chapter_id}&elected=true")
    assert [m["id"] for m in listed] == [elected["id"]]

    # While they hold it, nobody appoints: 409 naming the election path.
    other_id, _ = _member_of(api, chapter_id, "other")
    code, body = _appoint(api, admin, other_id, chapter_id)
    assert code == 409 and body["error"]["code"] == "elected_role", body
    assert "elected: launch an election" in body["error"]["message"]
    assert "/api/v1/polls/coordinator-elections" in body["error"]["message"]
    assert api.events("members.mandate.granted", member_id=other_id) == []
    # Another chapter's coordinators are not elected: appointing there still works.
    elsewhere = _chapter(api, admin)
    outsider_id, _ = _member_of(api, elsewhere, "elsewhere")
    assert _appoint(api, admin, outsider_id, elsewhere)[0] == 201

    # The elected terms end: the chapter is not left without a coordinator.
    _end_terms_now(members_runtime, [elected["id"]])
    code, again = _appoint(api, admin, other_id, chapter_id)
    assert code == 201 and again["interim"], again
    assert poll_id  # the election stays on the record


def test_a_gone_elected_coordinator_makes_room_for_an_interim_one(api, members_runtime):
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    elected_id, elected_token = _member_of(api, chapter_id, "elected")
    _elect(members_runtime, "coordinator_election", [elected_id], chapter_id)
    other_id, other_token = _member_of(api, chapter_id, "other")
    assert _appoint(api, admin, other_id, chapter_id)[1]["error"]["code"] == "elected_role"
    [elected] = api.call("GET", f"/api/v1/mandates?member_id={elected_id}")[1]
    # An admin does not take back what the members gave: they recall; the holder may resign.
    code, body = api.call(
        "POST", f"/api/v1/mandates/{elected['id']}/revoke", {"reason": "recalled"}, token=admin
    )
    assert code == 409 and body["error"]["code"] == "elected_mandate", body
    code, body = api.call(
        "POST",
        f"/api/v1/mandates/{elected['id']}/resign",
        {"reason": "moving"},
        token=elected_token,
    )
    assert code == 200, body
    code, interim = _appoint(api, admin, other_id, chapter_id)
    assert code == 201 and interim["interim"], interim
    # An interim coordinator is recalled like any other: the members may petition at once.
    _petition(api, interim["id"], elected_token)


def test_a_founder_is_the_interim_coordinator_of_their_local_chapter(api, members_runtime):
    admin = api.admin()
    levels = build_context(members_runtime).settings.federation.levels
    parent = None
    for level in levels[:-1]:
        body = {"name": f"f {uuid.uuid4().hex[:6]}", "level": level, "country": "FR"}
        if parent:
            body["parent_id"] = parent
        code, chapter = api.call("POST", "/api/v1/chapters", body, token=admin)
        assert code == 201, chapter
        parent = chapter["id"]
    founder_id, _, token = api.active_member("founder")
    body = {"name": f"local {uuid.uuid4().hex[:6]}", "level": levels[-1], "parent_id": parent}
    code, local = api.call("POST", "/api/v1/chapters", {**body, "country": "FR"}, token=token)
    assert code == 201, local
    [mandate] = api.call("GET", f"/api/v1/mandates?member_id={founder_id}")[1]
    assert mandate["role"] == "coordinator" and mandate["interim"], mandate
    assert _at(mandate["ends_at"]) - _at(mandate["starts_at"]) == dt.timedelta(days=DAYS)


@pytest.fixture(scope="module")
def own_organisation(pg_admin_url):
    """An organisation of its own: its admins are elected here, which would bind every other
    test of the shared members database."""
    url = servers.create_database(pg_admin_url, prefix="councils_interim_test")
    runtime = organisation_runtime(url, INTERIM_MANDATE_DAYS="30")
    yield Api(create_app(runtime).test_client(), runtime)
    runtime.db.close()
    servers.drop_database(pg_admin_url, url)


def test_elected_admins_refuse_appointed_ones_until_their_terms_end(own_organisation):
    api = own_organisation
    admin = api.admin()
    bea_id, _, _ = api.active_member("bea")
    code, appointed = api.call(
        "POST", "/api/v1/mandates", {"member_id": bea_id, "role": "admin"}, token=admin
    )
    assert code == 201 and appointed["interim"], appointed
    assert _at(appointed["ends_at"]) - _at(appointed["starts_at"]) == dt.timedelta(days=30)
    code, body = api.call(
        "PATCH",
        f"/api/v1/mandates/{appointed['id']}",
        {"ends_at": _later(31).isoformat()},
        token=admin,
    )
    assert code == 422 and "ends_at" in body["error"]["fields"], body

    admin_id = api.call("GET", "/api/v1/members/me", token=admin)[1]["id"]
    cal_id, _, _ = api.active_member("cal")
    _elect(api.runtime, "admin_election", [admin_id, cal_id])
    code, admins = api.call("GET", "/api/v1/mandates?role=admin")
    assert sorted(m["member_id"] for m in admins) == sorted([admin_id, cal_id])
    assert all(m["elected"] and not m["interim"] for m in admins), admins

    dan_id, _, _ = api.active_member("dan")
    code, body = api.call(
        "POST", "/api/v1/mandates", {"member_id": dan_id, "role": "admin"}, token=admin
    )
    assert code == 409 and body["error"]["code"] == "elected_role", body
    assert "Admins of the organisation are elected" in body["error"]["message"]
    assert "/api/v1/polls/admin-elections" in body["error"]["message"]

    # Every elected term ends: the rights end with them, so nobody is left to appoint an admin
    # (403); any active member may launch the next admin election (polls' rule).
    _end_terms_now(api.runtime, [m["id"] for m in admins])
    code, body = api.call(
        "POST", "/api/v1/mandates", {"member_id": dan_id, "role": "admin"}, token=admin
    )
    assert code == 403, body


def _child(api, admin, parent_id) -> str:
    body = {"name": f"child {uuid.uuid4().hex[:6]}", "level": "regional", "parent_id": parent_id}
    code, chapter = api.call("POST", "/api/v1/chapters", {**body, "country": "FR"}, token=admin)
    assert code == 201, chapter
    return chapter["id"]


def _mandate(api, member_id) -> dict:
    code, listed = api.call("GET", f"/api/v1/mandates?member_id={member_id}&all=true")
    assert code == 200, listed
    [mandate] = listed
    return mandate


def test_nobody_moves_or_clears_an_elected_term(api, members_runtime):
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    elected_id, _ = _member_of(api, chapter_id, "elected")
    _elect(members_runtime, "coordinator_election", [elected_id], chapter_id)
    elected = _mandate(api, elected_id)
    assert elected["elected"] and elected["ends_at"], elected
    path = f"/api/v1/mandates/{elected['id']}"
    for ends_at in (None, _later(800), _later(10)):  # cleared, stretched, shortened
        body = {"ends_at": ends_at, "reason": "We know better"}
        code, reply = api.call("PATCH", path, body, token=admin)
        assert code == 409 and reply["error"]["code"] == "elected_term", reply
        assert "ends_at" in reply["error"]["fields"], reply
        assert "election" in reply["error"]["message"]
        assert "recall" in reply["error"]["message"], reply
    assert _mandate(api, elected_id)["ends_at"] == elected["ends_at"]
    assert api.events("members.mandate.term_changed", mandate_id=elected["id"]) == []

    # An appointed (interim) mandate's end still moves, within its cap.
    other = _chapter(api, admin)
    holder_id, _ = _member_of(api, other, "appointed")
    code, appointed = _appoint(api, admin, holder_id, other)
    assert code == 201, appointed
    code, moved = api.call(
        "PATCH", f"/api/v1/mandates/{appointed['id']}", {"ends_at": _later(10)}, token=admin
    )
    assert code == 200 and moved["interim"], moved


def test_an_elected_mandate_is_recalled_never_revoked_from_above(api, members_runtime):
    admin = api.admin()
    region = _chapter(api, admin)
    above_id, above_token = _member_of(api, region, "above")
    code, above = _appoint(api, admin, above_id, region)
    assert code == 201, above
    local = _child(api, admin, region)
    elected_id, elected_token = _member_of(api, local, "elected")
    _elect(members_runtime, "coordinator_election", [elected_id], local)
    elected = _mandate(api, elected_id)
    path = f"/api/v1/mandates/{elected['id']}"

    for token in (admin, above_token):  # an admin, a coordinator of the chapter above
        code, reply = api.call("POST", f"{path}/revoke", {"reason": "Too loud"}, token=token)
        assert code == 409 and reply["error"]["code"] == "elected_mandate", reply
        assert "/api/v1/recalls" in reply["error"]["message"], reply
    assert _mandate(api, elected_id)["active"]
    assert api.events("members.mandate.revoked", mandate_id=elected["id"]) == []

    # A suspension pauses the holder's use of the right; it does not end the mandate (the
    # members recall it, or its holder resigns it, or its term ends).
    code, _ = api.call(
        "POST", f"/api/v1/members/{elected_id}/suspend", {"reason": "abuse"}, token=admin
    )
    assert code == 200
    assert api.call("GET", "/api/v1/members/me", token=elected_token)[0] == 401
    assert _mandate(api, elected_id)["active"]
    code, _ = api.call("POST", f"/api/v1/members/{elected_id}/restore", token=admin)
    assert code == 200
    assert _mandate(api, elected_id)["active"]

    # The members' path is open: a member of the chapter petitions to recall it.
    _, neighbour_token = _member_of(api, local, "neighbour")
    _petition(api, elected["id"], neighbour_token)

    # Appointed (interim) mandates stay revocable by who appointed them.
    code, reply = api.call(
        "POST", f"/api/v1/mandates/{above['id']}/revoke", {"reason": "Elected now"}, token=admin
    )
    assert code == 200 and reply["revoked_at"], reply


def test_a_member_who_is_not_active_is_refused_a_mandate_naming_them(api):
    """A suspended member (status still `active`) and a pending one are refused: 409 naming
    `member_id` with the reason; nothing is granted, and once the suspension is lifted the
    appointment goes through."""
    admin = api.admin()
    chapter_id = _chapter(api, admin)
    member_id, _ = _member_of(api, chapter_id)
    code, reply = api.call("POST", f"/api/v1/members/{member_id}/suspend", {}, token=admin)
    assert code == 200, reply
    code, reply = _appoint(api, admin, member_id, chapter_id)
    assert code == 409, reply
    assert reply["error"]["code"] == "member_not_active"
    assert "suspended" in reply["error"]["fields"]["member_id"][0]
    code, reply = _appoint(api, admin, member_id, None, role="admin")
    assert code == 409 and "member_id" in reply["error"]["fields"], reply
    assert api.call("GET", f"/api/v1/mandates?member_id={member_id}")[1] == []
    pending, _ = api.register("pending")
    code, reply = _appoint(api, admin, pending, None, role="admin")
    assert code == 409 and "not active" in reply["error"]["fields"]["member_id"][0], reply
    code, reply = _appoint(api, admin, str(uuid.uuid4()), chapter_id)
    assert code == 422 and "member_id" in reply["error"]["fields"], reply
    assert api.call("POST", f"/api/v1/members/{member_id}/restore", token=admin)[0] == 200
    assert _appoint(api, admin, member_id, chapter_id)[0] == 201
