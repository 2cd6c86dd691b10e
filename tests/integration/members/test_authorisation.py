"""Who may do what: anonymous, pending, member, coordinator of another chapter, coordinator,
admin — each allowed exactly what they should be; every other call 401/403."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.members.conftest import Api

ROLES = ("anonymous", "pending", "member", "other_coordinator", "coordinator", "admin")


@pytest.fixture(scope="module")
def world(app, members_runtime):
    api = Api(app.test_client(), members_runtime)
    admin = api.admin()
    tag = uuid.uuid4().hex[:6]
    code, nation = api.call(
        "POST",
        "/api/v1/chapters",
        {"name": f"Nation {tag}", "level": "national", "country": "FR"},
        token=admin,
    )
    assert code == 201, nation
    chapters = {}
    tokens = {"anonymous": None, "admin": admin}
    ids = {}
    for role, key in (("coordinator", "x"), ("other_coordinator", "y")):
        member_id, _, token = api.active_member(role)
        code, chapter = api.call(
            "POST",
            "/api/v1/chapters",
            {"name": f"Local {key} {tag}", "parent_id": nation["id"]},
            token=token,
        )
        assert code == 201, chapter
        chapters[key] = chapter
        tokens[role], ids[role] = token, member_id
    ids["member"], email, tokens["member"] = api.active_member("member")
    ids["pending"], pending_email = api.register("pending")
    tokens["pending"] = api.token(pending_email)
    for role in ("member", "pending"):
        assert (
            api.call("POST", f"/api/v1/chapters/{chapters['x']['id']}/join", token=tokens[role])[0]
            == 200
        )
    return {
        "api": api,
        "tokens": tokens,
        "ids": ids,
        "nation": nation,
        "x": chapters["x"],
        "y": chapters["y"],
    }


def _expect(allowed: dict, default_denied: int = 403) -> dict:
    expected = {role: default_denied for role in ROLES}
    expected["anonymous"] = 401
    expected.update(allowed)
    return expected


def _cases(w):
    x, nation = w["x"]["id"], w["nation"]["id"]
    today = dt.date.today().isoformat()
    fresh = f"t{uuid.uuid4().hex[:6]}"
    return [
        ("GET", "/api/v1/members/me", None, _expect({r: 200 for r in ROLES[1:]})),
        ("GET", "/api/v1/members", None, _expect({"admin": 200})),
        ("POST", f"/api/v1/members/{w['ids']['pending']}/vouch?dry=1", None, None),
        (
            "GET",
            f"/api/v1/chapters/{x}/members",
            None,
            _expect({"member": 200, "other_coordinator": 200, "coordinator": 200, "admin": 200}),
        ),
        (
            "GET",
            f"/api/v1/chapters/{x}/meetings",
            None,
            _expect({"member": 200, "other_coordinator": 200, "coordinator": 200, "admin": 200}),
        ),
        (
            "POST",
            f"/api/v1/chapters/{x}/meetings",
            {"held_on": today, "note": "n"},
            _expect({"coordinator": 201, "admin": 201}),
        ),
        (
            "PATCH",
            f"/api/v1/chapters/{x}",
            {"place": "Somewhere"},
            _expect({"coordinator": 200, "admin": 200}),
        ),
        (
            "POST",
            "/api/v1/chapters",
            {"name": f"Region {fresh}", "level": "regional", "parent_id": nation},
            _expect({"admin": 201}),
        ),
        (
            "POST",
            "/api/v1/chapters",
            {"name": "{role} local " + fresh, "country": "FR"},
            _expect({"member": 201, "other_coordinator": 201, "coordinator": 201, "admin": 201}),
        ),
        (
            "POST",
            "/api/v1/mandates",
            {"member_id": w["ids"]["member"], "role": "coordinator", "chapter_id": x},
            _expect({"admin": 201}),
        ),
        (
            "POST",
            "/api/v1/mandates",
            {"member_id": w["ids"]["member"], "role": "admin"},
            _expect({"admin": 201}),
        ),
        (
            "POST",
            "/api/v1/targets",
            {"name": "T", "kind": "members", "target": 10},
            _expect({"admin": 201}),
        ),
        ("POST", "/api/v1/members/announce", None, _expect({"admin": 202})),
        (
            "POST",
            "/api/v1/currents",
            {"name": "{role} current " + fresh},
            _expect({"member": 201, "other_coordinator": 201, "coordinator": 201, "admin": 201}),
        ),
        ("POST", f"/api/v1/chapters/{x}/join", None, _expect({r: 200 for r in ROLES[1:]})),
        ("GET", "/api/v1/targets", None, {r: 200 for r in ROLES}),
        (
            "GET",
            "/api/v1/audit",
            None,
            {"anonymous": 401, "pending": 403, **{r: 200 for r in ROLES[2:]}},
        ),
        ("GET", "/api/v1/mandates", None, {r: 200 for r in ROLES}),
        ("GET", f"/api/v1/chapters/{x}", None, {r: 200 for r in ROLES}),
    ]


def test_authorisation_matrix(world):
    api, tokens = world["api"], world["tokens"]
    wrong = []
    for method, path, body, expected in _cases(world):
        if expected is None:
            continue
        for role in ROLES:
            sent = body
            if isinstance(body, dict):
                sent = {
                    k: (v.replace("{role}", role) if isinstance(v, str) else v)
                    for k, v in body.items()
                }
            code, reply = api.call(method, path, sent, token=tokens[role])
            if code != expected[role]:
                wrong.append(f"{role} {method} {path}: {code} (expected {expected[role]}) {reply}")
            if code >= 400:
                assert reply["error"]["code"] and reply["error"]["message"]
            if method == "POST" and path == "/api/v1/mandates" and code == 201:
                # Undo, so the next role meets the same world.
                assert (
                    api.call(
                        "POST",
                        f"/api/v1/mandates/{reply['id']}/revoke",
                        {"reason": "test"},
                        token=tokens["admin"],
                    )[0]
                    == 200
                )
    assert not wrong, "\n".join(wrong)


def test_coordinator_of_an_ancestor_grants_below_but_not_beside(world):
    api, admin = world["api"], world["tokens"]["admin"]
    nation = world["nation"]["id"]
    boss_id, _, boss = api.active_member("boss")
    assert api.call("POST", f"/api/v1/chapters/{world['x']['id']}/join", token=boss)[0] == 200
    code, mandate = api.call(
        "POST",
        "/api/v1/mandates",
        {"member_id": boss_id, "role": "coordinator", "chapter_id": nation},
        token=admin,
    )
    assert code == 201, mandate
    member = world["ids"]["member"]
    code, granted = api.call(
        "POST",
        "/api/v1/mandates",
        {"member_id": member, "role": "coordinator", "chapter_id": world["x"]["id"]},
        token=boss,
    )
    assert code == 201, granted
    code, _ = api.call(
        "POST",
        "/api/v1/mandates",
        {"member_id": member, "role": "coordinator", "chapter_id": world["x"]["id"]},
        token=boss,
    )
    assert code == 409  # holds it already
    # The members' audit log names who granted what to whom.
    code, log = api.call(
        "GET", f"/api/v1/audit?chapter_id={world['x']['id']}", token=world["tokens"]["member"]
    )
    entry = next(e for e in log if e["mandate_id"] == granted["id"])
    assert entry["action"] == "mandate.granted" and entry["actor_id"] == boss_id
    assert entry["member_name"] == "Member member"
    # A local coordinator cannot grant at their own level; the holder may resign.
    code, _ = api.call(
        "POST", f"/api/v1/mandates/{granted['id']}/revoke", token=world["tokens"]["coordinator"]
    )
    assert code == 403
    member_token = api.token(api.count("SELECT email FROM members WHERE id = %s", member))
    code, resigned = api.call(
        "POST", f"/api/v1/mandates/{granted['id']}/revoke", token=member_token
    )
    assert code == 200 and resigned["active"] is False
    assert api.events("members.mandate.revoked", mandate_id=granted["id"])
    assert api.call("POST", f"/api/v1/mandates/{granted['id']}/revoke", token=admin)[0] == 409
    assert api.call("POST", f"/api/v1/mandates/{mandate['id']}/revoke", token=admin)[0] == 200
