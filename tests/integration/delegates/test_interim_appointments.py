"""Issue 18 across members and polls: an appointed (interim) coordinator does not stand between a
chapter's members and their election; once they elected, nobody appoints (409 `elected_role`)
and no member launches another election while the elected coordinator serves; once the elected
coordinator is gone, an interim one may be appointed again and the members may elect again."""

from __future__ import annotations

from tests.integration.delegates.conftest import in_an_hour


def launch_election(world, chapter_id, candidates, member_id):
    return world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "Coordinators",
            "candidates": [{"member_id": p["id"], "name": p["name"]} for p in candidates],
            "closes_at": in_an_hour(),
        },
        member_id=member_id,
    )


def coordinators(world, chapter_id) -> list[dict]:
    code, listed = world.api.call("GET", f"/api/v1/mandates?chapter_id={chapter_id}")
    assert code == 200, listed
    return [m for m in listed if m["role"] == "coordinator"]


def test_members_elect_past_an_interim_coordinator_and_then_nobody_appoints(world):
    chapter_id, people = world.local(world.chapter("Region", "regional"), 4)
    founder, ana, bo, cy = people
    for person, name in zip(people, ("Founder", "Ana", "Bo", "Cy"), strict=True):
        world.rename(person, name)
    world.pump()
    [interim] = coordinators(world, chapter_id)
    assert interim["member_id"] == founder["id"] and interim["interim"], interim

    # The founder is an interim coordinator: any member may launch the chapter's election.
    code, poll = launch_election(world, chapter_id, [ana, bo], ana["id"])
    assert code == 201, poll
    # One at a time: while it is open, nobody launches another (409 naming it).
    code, body = launch_election(world, chapter_id, [cy], cy["id"])
    assert code == 409 and body["error"]["code"] == "election_pending", body
    assert poll["id"] in body["error"]["message"], body
    code, body = world.polls_call(
        "POST",
        "/api/v1/polls/coordinator-elections",
        {
            "chapter_id": chapter_id,
            "title": "Coordinators",
            "candidates": [{"member_id": cy["id"], "name": "Cy"}],
            "closes_at": in_an_hour(),
        },
        admin=True,
    )
    assert code == 409 and body["error"]["code"] == "election_pending", body
    for person in people:
        world.vote(poll["id"], person["id"], {"ranking": ["Ana", "Bo"]})
    world.close(poll["id"])
    world.pump()
    [elected] = coordinators(world, chapter_id)
    assert elected["member_id"] == ana["id"] and elected["elected"], elected
    assert not elected["interim"]

    # While Ana serves, nobody appoints beside her, and members do not launch another.
    grant = {"member_id": cy["id"], "role": "coordinator", "chapter_id": chapter_id}
    code, body = world.api.call("POST", "/api/v1/mandates", grant, token=world.admin_token())
    assert code == 409 and body["error"]["code"] == "elected_role", body
    assert "launch an election" in body["error"]["message"]
    assert launch_election(world, chapter_id, [bo], bo["id"])[0] == 403

    # An admin does not revoke what the members gave (a recall does); Ana may resign.
    code, body = world.api.call(
        "POST",
        f"/api/v1/mandates/{elected['id']}/revoke",
        {"reason": "moved away"},
        token=world.admin_token(),
    )
    assert code == 409 and body["error"]["code"] == "elected_mandate", body
    assert "/api/v1/recalls" in body["error"]["message"]
    # Gone (resigned here; a recall or her term's end alike): an interim one may be appointed,
    # and the members may still elect past them.
    code, body = world.api.call(
        "POST",
        f"/api/v1/mandates/{elected['id']}/resign",
        {"reason": "moved away"},
        token=ana["token"],
    )
    assert code == 200, body
    world.pump()
    code, again = world.api.call("POST", "/api/v1/mandates", grant, token=world.admin_token())
    assert code == 201 and again["interim"], again
    world.pump()
    code, poll = launch_election(world, chapter_id, [bo], cy["id"])
    assert code == 201 and poll["status"] == "closed", poll  # uncontested: closed at once
    world.pump()
    [bo_elected] = coordinators(world, chapter_id)
    assert bo_elected["member_id"] == bo["id"] and bo_elected["elected"], bo_elected
    ended = world.outbox("members", "members.mandate.ended", mandate_id=again["id"])
    assert [e["data"]["reason"] for e in ended] == ["superseded"]
