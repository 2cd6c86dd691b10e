"""PATCH /api/v1/mandates/{id}: admins set or move the end of an admin or coordinator mandate
(an appointed, interim one's never cleared); the change is in the public audit log and
announced."""

from __future__ import annotations

import datetime as dt
import uuid


def _later(days: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def _coordinator(api, admin):
    _chapter, mandate, token = api.coordinator("term")
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


def test_an_ended_mandate_is_neither_resigned_nor_revoked(api):
    """A mandate whose term is over (or that a new election superseded) has no seat left to
    give back: resigning or revoking it is 409, with no revocation recorded or announced (a
    second end would announce its seat empty again)."""
    admin = api.admin()
    mandate, holder = _coordinator(api, admin)
    with api.runtime.db.transaction() as cur:
        cur.execute(
            "UPDATE mandates SET ends_at = now() - interval '1 minute' WHERE id = %s",
            (mandate["id"],),
        )
    path = f"/api/v1/mandates/{mandate['id']}"
    code, body = api.call("POST", f"{path}/resign", {"reason": "again"}, token=holder)
    assert code == 409 and body["error"]["code"] == "already_ended", body
    code, body = api.call("POST", f"{path}/revoke", {"reason": "again"}, token=admin)
    assert code == 409 and body["error"]["code"] == "already_ended", body
    assert api.events("members.mandate.revoked", mandate_id=mandate["id"]) == []
    assert api.count("SELECT revoked_at FROM mandates WHERE id = %s", mandate["id"]) is None


def test_a_mandate_is_resigned_once(api):
    admin = api.admin()
    mandate, holder = _coordinator(api, admin)
    path = f"/api/v1/mandates/{mandate['id']}/resign"
    assert api.call("POST", path, {"reason": "moving away"}, token=holder)[0] == 200
    code, body = api.call("POST", path, {"reason": "moving away"}, token=holder)
    assert code == 409 and body["error"]["code"] == "already_revoked", body
    assert len(api.events("members.mandate.revoked", mandate_id=mandate["id"])) == 1


def test_an_admin_cannot_lengthen_or_clear_the_term_of_their_own_mandate(api):
    """The bootstrapped admin's interim mandate ends after BOOTSTRAP_ADMIN_TERM_DAYS: clearing
    its end themselves would keep a right the members never gave. Nobody changes the term of
    their own mandate; another admin may, in the open."""
    admin = api.admin()
    code, me = api.call("GET", "/api/v1/members/me", token=admin)
    assert code == 200, me
    code, held = api.call("GET", f"/api/v1/mandates?member_id={me['id']}&role=admin")
    assert code == 200 and held, held
    path = f"/api/v1/mandates/{held[0]['id']}"
    before = len(api.events("members.mandate.term_changed", mandate_id=held[0]["id"]))
    for ends_at in (None, _later(3650)):
        code, body = api.call("PATCH", path, {"ends_at": ends_at}, token=admin)
        assert code == 403 and body["error"]["code"] == "forbidden", body
    code, after = api.call("GET", f"/api/v1/mandates?member_id={me['id']}&role=admin")
    assert after[0]["ends_at"] == held[0]["ends_at"]
    assert len(api.events("members.mandate.term_changed", mandate_id=held[0]["id"])) == before
