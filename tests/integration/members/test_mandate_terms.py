"""PATCH /api/v1/mandates/{id}: admins set or move the end of an admin or coordinator mandate
(an appointed, interim one's never cleared); the change is in the public audit log and
announced."""

from __future__ import annotations

import datetime as dt
import uuid


def _later(days: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def _coordinator(api, admin):
    body = {"name": f"term {uuid.uuid4().hex[:6]}", "level": "national", "country": "FR"}
    code, chapter = api.call("POST", "/api/v1/chapters", body, token=admin)
    assert code == 201, chapter
    member_id, _, token = api.active_member("term")
    assert api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)[0] == 200
    grant = {"member_id": member_id, "role": "coordinator", "chapter_id": chapter["id"]}
    code, mandate = api.call("POST", "/api/v1/mandates", grant, token=admin)
    assert code == 201, mandate
    return mandate, token


def test_an_admin_sets_the_end_of_a_coordinator_mandate_but_never_clears_it(api):
    admin = api.admin()
    mandate, holder = _coordinator(api, admin)
    path = f"/api/v1/mandates/{mandate['id']}"
    ends = _later(30)
    code, changed = api.call("PATCH", path, {"ends_at": ends, "reason": "Term of a year"}, admin)
    assert code == 200 and changed["active"], changed
    assert dt.datetime.fromisoformat(changed["ends_at"]) == dt.datetime.fromisoformat(ends)
    code, entries = api.call("GET", f"/api/v1/audit?member_id={mandate['member_id']}", token=holder)
    entry = next(e for e in entries if e["action"] == "mandate.term_changed")
    assert entry["detail"]["reason"] == "Term of a year" and entry["mandate_id"] == mandate["id"]
    announced = api.events("members.mandate.term_changed", mandate_id=mandate["id"])
    assert len(announced) == 1 and announced[0]["ends_at"] is not None
    # An appointed mandate is interim: its end is never cleared (issue 18).
    code, cleared = api.call("PATCH", path, {"ends_at": None}, token=admin)
    assert code == 422 and "ends_at" in cleared["error"]["fields"], cleared
    # Only admins; the holder cannot extend their own term.
    code, body = api.call("PATCH", path, {"ends_at": _later(400)}, token=holder)
    assert code == 403, body


def test_bad_terms_are_refused_naming_the_field(api):
    admin = api.admin()
    mandate, _ = _coordinator(api, admin)
    path = f"/api/v1/mandates/{mandate['id']}"
    code, body = api.call("PATCH", path, {"ends_at": _later(-1)}, token=admin)
    assert code == 422 and "ends_at" in body["error"]["fields"], body
    code, body = api.call("PATCH", path, {"ends_at": "soon"}, token=admin)
    assert code == 422 and "ends_at" in str(body["error"]["fields"]), body
    code, body = api.call("PATCH", path, {}, token=admin)
    assert code == 422 and "ends_at" in str(body["error"]["fields"]), body
    code, body = api.call("PATCH", path, {"ends_at": _later(3), "colour": "red"}, token=admin)
    assert code == 422 and "colour" in str(body["error"]["fields"]), body
    missing = f"/api/v1/mandates/{uuid.uuid4()}"
    assert api.call("PATCH", missing, {"ends_at": _later(3)}, token=admin)[0] == 404
    revoke = api.call("POST", f"{path}/revoke", {"reason": "done"}, token=admin)
    assert revoke[0] == 200, revoke
    code, body = api.call("PATCH", path, {"ends_at": _later(3)}, token=admin)
    assert code == 409 and body["error"]["code"] == "already_revoked", body
