"""An uncontested election fills an empty role only (docs/governance.md "Rights the members
give and take back")."""

from __future__ import annotations

from tests.integration.delegates.conftest import in_an_hour


def _mandates(world, member_id, role) -> list[dict]:
    return world.sql(
        "members",
        "SELECT id::text, ended_announced_at FROM mandates WHERE member_id = %s AND role = %s",
        (member_id, role),
    )


def test_an_uncontested_election_does_not_replace_the_mandates_members_hold(world):
    """No more candidates than seats elects without a vote, and an election supersedes the
    mandates held: together, whoever launches elections could replace every elected
    delegate, coordinator or admin by a list of their own without a single ballot. So an
    uncontested election fills only a role no elected member holds; where elected mandates
    run, the members choose (422 naming `candidates`, nothing launched)."""
    region = world.chapter("Region", "regional")
    local, people = world.local(region, 4)
    founder, ada, bo, cy = people
    world.pump()
    body = {"title": "Ours", "closes_at": in_an_hour()}

    def launch(kind, candidates, **extra):
        payload = {
            **body,
            **extra,
            "candidates": [{"member_id": p["id"]} for p in candidates],
        }
        return world.polls_call("POST", f"/api/v1/polls/{kind}-elections", payload, admin=True)

    # The founder coordinates as an interim appointee, a role the members have not filled:
    # their first election may be uncontested. Once they elected, the next one may not.
    code, reply = launch("coordinator", [ada], chapter_id=local)
    assert code == 201 and reply["status"] == "closed", reply
    world.pump()
    code, reply = launch("coordinator", [bo], chapter_id=local)
    assert code == 422 and "candidates" in reply["error"]["fields"], reply
    code, reply = launch("delegate", [ada], chapter_id=local)  # no seat held: no vote needed
    assert code == 201 and reply["status"] == "closed", reply
    world.pump()
    code, reply = launch("delegate", [bo], chapter_id=local)
    assert code == 422 and "candidates" in reply["error"]["fields"], reply
    code, reply = launch("delegate", [bo, cy], chapter_id=local)  # contested: the members vote
    assert code == 201 and reply["status"] == "open", reply
    assert len(_mandates(world, ada["id"], "coordinator")) == 1
    assert _mandates(world, bo["id"], "coordinator") == []
