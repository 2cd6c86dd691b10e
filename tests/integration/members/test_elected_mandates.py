"""Issue 18: what the members gave by election only they take back. An elected coordinator's or
admin's term is not moved nor cleared (409 `elected_term` naming `ends_at`), and nobody revokes
the mandate directly — neither an admin nor a coordinator of a chapter above (409
`elected_mandate`, naming the recall path); its holder resigns, a recall or its term's end ends
it, and a suspension pauses its use without ending it. Appointed (interim) mandates stay in the
hands of who appointed them."""

from __future__ import annotations

import uuid

from tests.integration.members.test_interim_mandates import (
    _appoint,
    _chapter,
    _elect,
    _later,
    _member_of,
)


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
    code, petition = api.call(
        "POST",
        "/api/v1/recalls",
        {"mandate_id": elected["id"], "reason": "Quiet"},
        token=neighbour_token,
    )
    assert code == 201 and petition["role"] == "coordinator", petition

    # Appointed (interim) mandates stay revocable by who appointed them.
    code, reply = api.call(
        "POST", f"/api/v1/mandates/{above['id']}/revoke", {"reason": "Elected now"}, token=admin
    )
    assert code == 200 and reply["revoked_at"], reply
