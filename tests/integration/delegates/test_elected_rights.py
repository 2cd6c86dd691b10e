"""Issue 18, rights the members give and take back, end to end across members, polls and
notify: a chapter elects its coordinators, the organisation elects its admins (superseding the
bootstrapped interim admin), and both are recalled by petition → vote → revoked, after which
their rights stop working as soon as the revocation event is consumed; a member initiative
reaching its threshold opens as a poll without a coordinator. Each runs in a federation four
levels deep and in one of five levels built from FEDERATION_LEVELS, the chapter ones at the
bottom level and at the level above it (with a sub-chapter)."""

from __future__ import annotations

import math

from services.notify.context import build_context as notify_context
from services.notify.service import admins as notify_admins
from services.polls.service.schedule import scheduler_turn
from services.polls.store import replica as replica_sql
from tests.integration.delegates.conftest import in_an_hour


def mandates_of(world, member_id, role) -> list[dict]:
    return world.sql(
        "members",
        "SELECT id::text, chapter_id::text, ends_at, revoked_at, ended_announced_at, interim, note"
        " FROM mandates WHERE member_id = %s AND role = %s ORDER BY granted_at",
        (member_id, role),
    )


def purpose_of(world, poll_id) -> str:
    [row] = world.sql("polls", "SELECT purpose FROM poll_purposes WHERE poll_id = %s", (poll_id,))
    return row["purpose"]


def launch_chapter_poll(world, member_id, chapter_id) -> int:
    code, _ = world.polls_call(
        "POST",
        "/api/v1/polls",
        {
            "title": "A chapter decision",
            "scope": {"type": "chapter", "id": chapter_id},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "majority", "options": ["yes", "no"]}],
        },
        member_id=member_id,
    )
    return code


def recall(world, holder_mandate_id, signers, voters_for, voters_against, closer_id) -> dict:
    """Petition (first signer opens it), signed until its threshold, vote, close: the decided
    petition."""
    code, petition = world.api.call(
        "POST",
        "/api/v1/recalls",
        {"mandate_id": holder_mandate_id, "reason": "Does not do what we asked"},
        token=signers[0]["token"],
    )
    assert code == 201, petition
    for person in signers[1:]:
        if petition["status"] != "open":
            break
        code, petition = world.api.call(
            "POST", f"/api/v1/recalls/{petition['id']}/signature", token=person["token"]
        )
        assert code == 201, petition
    assert petition["status"] == "threshold_reached", petition
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{petition['id']}")
    assert petition["status"] == "voting", petition
    for person in voters_for:
        world.vote(petition["poll_id"], person["id"], {"choice": "recall"})
    for person in voters_against:
        world.vote(petition["poll_id"], person["id"], {"choice": "keep"})
    code, reply = world.polls_call(
        "POST", f"/api/v1/polls/{petition['poll_id']}/close", member_id=closer_id
    )
    assert code == 200, reply
    return petition


def cohort(world) -> int:
    """How many new members an admin recall needs so that all but two of them sign it to its
    threshold and vote past its quorum (both a fifth of the organisation's active members,
    whatever the tests before left in it)."""
    [row] = world.sql("members", "SELECT count(*)::int AS n FROM members WHERE status = 'active'")
    size = 6
    while size - 2 < math.ceil((row["n"] + size) / 5):
        size += 1
    return size


def test_coordinator_elected_then_recalled_loses_the_right_at_once(place):
    world = place.world
    chapter_id, people = place.chapter(5)  # with its first coordinator, the founder (or not)
    founder, cleo, *others = people
    world.rename(founder, "Founder")
    world.rename(cleo, "Cleo")
    world.pump()
    [appointed] = mandates_of(world, founder["id"], "coordinator")

    # Bad input names the field.
    code, reply = world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {"title": "Coordinators", "candidates": [{"member_id": cleo["id"], "name": "Cleo"}]},
        member_id=founder["id"],
    )
    assert code == 422 and {"chapter_id", "closes_at"} <= set(reply["error"]["fields"])
    outsider = world.member("outsider")
    code, reply = world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "Coordinators",
            "candidates": [{"member_id": outsider["id"], "name": "Out"}],
            "closes_at": in_an_hour(),
        },
        member_id=founder["id"],
    )
    assert code == 422 and "candidates[0].member_id" in reply["error"]["fields"]
    code, reply = world.polls_call(  # neither a coordinator nor a member of the chapter: 403
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "Coordinators",
            "candidates": [{"member_id": cleo["id"], "name": "Cleo"}],
            "closes_at": in_an_hour(),
        },
        member_id=outsider["id"],
    )
    assert code == 403, reply
    # The ballot shows the member's own name: Cleo's id under another name is refused.
    code, reply = world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "Coordinators",
            "candidates": [
                {"member_id": founder["id"]},
                {"member_id": cleo["id"], "name": "Carol"},
            ],
            "closes_at": in_an_hour(),
        },
        member_id=founder["id"],
    )
    assert code == 422, reply
    assert reply["error"]["fields"]["candidates.1.name"] == [
        "The ballot shows the member's own name: Cleo"
    ]

    # The chapter elects Cleo: a coordinator mandate with a term; the appointed one ends.
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "Coordinators",
            "term_days": 180,
            "candidates": [
                {"member_id": cleo["id"], "name": "Cleo"},
                {"member_id": founder["id"], "name": "Founder"},
            ],
            "closes_at": in_an_hour(),
        },
        member_id=founder["id"],
    )
    assert code == 201 and purpose_of(world, poll["id"]) == "coordinator_election", poll
    for person in people:
        world.vote(poll["id"], person["id"], {"ranking": ["Cleo", "Founder"]})
    world.close(poll["id"])
    world.pump()
    [elected] = mandates_of(world, cleo["id"], "coordinator")
    assert elected["ends_at"] and elected["revoked_at"] is None
    assert elected["note"] == f"elected by poll {poll['id']}"
    [ended] = mandates_of(world, founder["id"], "coordinator")
    assert ended["id"] == appointed["id"] and ended["ended_announced_at"] is not None
    assert launch_chapter_poll(world, founder["id"], chapter_id) == 403
    assert launch_chapter_poll(world, cleo["id"], chapter_id) == 201
    settings_path = f"/api/v1/chapters/{chapter_id}/recall-settings"
    code, _ = world.api.call("PUT", settings_path, {"vote_hours": 240}, token=cleo["token"])
    assert code == 200

    # Recalled: petition → vote → revoked; her rights stop as soon as the event is consumed.
    petition = recall(world, elected["id"], [founder, *others[:2]], people[2:], [cleo], cleo["id"])
    assert petition["role"] == "coordinator"
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{petition['id']}")
    assert petition["status"] == "revoked", petition
    [revoked] = mandates_of(world, cleo["id"], "coordinator")
    assert revoked["revoked_at"] is not None
    assert launch_chapter_poll(world, cleo["id"], chapter_id) == 403
    code, _ = world.api.call("PUT", settings_path, {"vote_hours": 24}, token=cleo["token"])
    assert code == 403
    # The coordinator-less chapter may now elect one on its own members' initiative.
    code, reply = world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "New coordinators",
            "candidates": [{"member_id": founder["id"], "name": "Founder"}],
            "closes_at": in_an_hour(),
        },
        member_id=others[0]["id"],
    )
    assert code == 201 and reply["status"] == "closed", reply  # uncontested: closed at once
    world.pump()
    assert mandates_of(world, founder["id"], "coordinator")[-1]["revoked_at"] is None


def test_a_member_initiative_reaching_its_threshold_opens_as_a_poll(place):
    """Supporters reaching the threshold of the chapter's active members (sub-chapters
    included; 5 %, at least 3) open the proposal as a poll once its discussion period is over,
    without its coordinator (people[0]) doing anything."""
    world = place.world
    chapter_id, people = place.chapter(4)
    author, first, second = people[1:]
    code, proposal = world.polls_call(
        "POST",
        "/api/v1/proposals",
        {
            "title": "A community fridge",
            "scope": {"type": "chapter", "id": chapter_id},
            "questions": [{"text": "Set one up?", "method": "majority", "options": ["yes", "no"]}],
        },
        member_id=author["id"],
    )
    assert code == 201, proposal
    path = f"/api/v1/proposals/{proposal['id']}"
    code, view = world.polls_call("GET", path, member_id=author["id"])
    assert code == 200 and view["threshold"]["active_members"] == 4, view
    assert view["threshold"]["needed"] == 3 and view["supporters_count"] == 1
    code, _ = world.polls_call("POST", f"{path}/support", member_id=first["id"])
    assert code == 200
    world.sql(
        "polls",
        "UPDATE proposals SET discussion_ends_at = now() - interval '1 minute' WHERE id = %s",
        (proposal["id"],),
    )
    assert scheduler_turn(world.polls_ctx)["initiatives"] == 0  # 2 of 3: not yet
    code, _ = world.polls_call("POST", f"{path}/support", member_id=second["id"])
    assert code == 200
    assert scheduler_turn(world.polls_ctx)["initiatives"] == 1
    code, opened = world.polls_call("GET", path, member_id=author["id"])
    assert opened["status"] == "opened" and opened["initiative_opened_at"], opened
    code, poll = world.polls_call("GET", f"/api/v1/polls/{opened['poll_id']}")
    assert code == 200 and poll["status"] == "open", poll
    assert poll["electorate"] == 4 and poll["created_by"] == author["id"]
    assert poll["scope"]["id"] == chapter_id and poll["proposal_id"] == proposal["id"]


def test_admin_election_supersedes_the_interim_admin_and_a_recall_ends_the_right(federation):
    """(Last in this module: the interim admin's right ends here.)"""
    world = federation.world
    interim_id = world.admin_id()
    [interim] = mandates_of(world, interim_id, "admin")
    assert interim["interim"] and interim["ends_at"] is not None
    code, me = world.api.call("GET", "/api/v1/members/me", token=world.admin_token())
    assert code == 200 and me["mandates"][0]["interim"] is True

    people = [world.member(f"org{i}") for i in range(cohort(world))]
    bea, cal, dan = (
        world.rename(p, n) for p, n in zip(people[:3], ["Bea", "Cal", "Dan"], strict=True)
    )
    world.pump()
    code, reply = world.polls_call(
        "POST",
        "/api/v1/polls/admin-elections",
        {"title": "Admins", "seats": 0, "candidates": [], "closes_at": in_an_hour()},
        admin=True,
    )
    assert code == 422 and {"seats", "candidates"} <= set(reply["error"]["fields"])
    # Only an interim admin holds the right: any active member launches the admin election.
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/admin-elections",
        {
            "title": "Admins",
            "seats": 2,
            "candidates": [
                {"member_id": bea["id"], "name": "Bea"},
                {"member_id": cal["id"], "name": "Cal"},
                {"member_id": dan["id"], "name": "Dan"},
            ],
            "closes_at": in_an_hour(),
        },
        member_id=bea["id"],
    )
    assert code == 201 and purpose_of(world, poll["id"]) == "admin_election", poll
    assert poll["scope"]["type"] == "organisation"
    # One at a time: another launch, by a member or the admin, names the one under way.
    one_more = {
        "title": "Admins again",
        "candidates": [{"member_id": dan["id"], "name": "Dan"}],
        "closes_at": in_an_hour(),
    }
    for who in ({"member_id": dan["id"]}, {"admin": True}):
        code, reply = world.polls_call("POST", "/api/v1/polls/admin-elections", one_more, **who)
        assert code == 409 and reply["error"]["code"] == "election_pending", reply
        assert poll["id"] in reply["error"]["message"], reply
    for person in people:
        world.vote(poll["id"], person["id"], {"ranking": ["Bea", "Cal", "Dan"]})
    world.close(poll["id"])
    world.pump()
    [bea_admin] = mandates_of(world, bea["id"], "admin")
    assert bea_admin["ends_at"] and not bea_admin["interim"]
    assert len(mandates_of(world, cal["id"], "admin")) == 1
    assert mandates_of(world, dan["id"], "admin") == []
    [superseded] = mandates_of(world, interim_id, "admin")
    assert superseded["ended_announced_at"] is not None and superseded["ends_at"] is not None
    code, _ = world.api.call("GET", "/api/v1/members", token=world.admin_token())
    assert code == 403  # the interim admin's right ended with the election
    assert world.api.call("GET", "/api/v1/members", token=bea["token"])[0] == 200
    # Elected admins serve: a member who is not one launches no admin election (403).
    code, reply = world.polls_call(
        "POST", "/api/v1/polls/admin-elections", one_more, member_id=dan["id"]
    )
    assert code == 403, reply
    # Nor does anyone revoke or stretch what the members gave: they recall.
    path = f"/api/v1/mandates/{bea_admin['id']}"
    code, reply = world.api.call("POST", f"{path}/revoke", {"reason": "x"}, token=cal["token"])
    assert code == 409 and reply["error"]["code"] == "elected_mandate", reply
    code, reply = world.api.call("PATCH", path, {"ends_at": None}, token=cal["token"])
    assert code == 409 and "ends_at" in reply["error"]["fields"], reply

    # Recall Bea: the organisation's members sign and vote.
    petition = recall(world, bea_admin["id"], people[2:], people[2:], [bea], cal["id"])
    assert petition["role"] == "admin" and petition["chapter_id"] is None
    world.pump()
    code, petition = world.api.call("GET", f"/api/v1/recalls/{petition['id']}")
    assert petition["status"] == "revoked", petition
    assert world.api.call("GET", "/api/v1/members", token=bea["token"])[0] == 403
    with world.polls_rt.db.transaction() as cur:
        assert not replica_sql.has_admin_mandate(cur, bea["id"])
        assert replica_sql.has_admin_mandate(cur, cal["id"])
    notify = notify_context(world.notify_rt)
    assert not notify_admins.is_admin(notify, bea["id"])
    assert notify_admins.is_admin(notify, cal["id"])
    code, reply = world.polls_call(
        "POST",
        "/api/v1/polls",
        {
            "title": "Organisation-wide",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "majority", "options": ["yes", "no"]}],
        },
        member_id=bea["id"],
        admin=True,  # a stale token's claim counts for nothing
    )
    assert code == 403, reply
