"""GET /api/v1/audit: active members only, and nothing in it members may not see of each
other (addresses, phone numbers, client addresses, secrets)."""

from __future__ import annotations

import json
import uuid

import pytest

from services.members.store import audit as audit_store
from tests.integration.members.conftest import PASSWORD


@pytest.fixture(scope="module")
def reader(app, members_runtime):
    """(id, email, token) of one active member for the whole module: each approval is an
    admin login, and admin logins are limited per minute."""
    from tests.integration.members.conftest import Api

    return Api(app.test_client(), members_runtime).active_member("audited", phone="+441234567890")


def test_audit_needs_an_active_member(api, reader):
    code, reply = api.call("GET", "/api/v1/audit")
    assert code == 401, reply
    _, email = api.register("waiting")
    code, reply = api.call("GET", "/api/v1/audit", token=api.token(email))
    assert code == 403 and reply["error"]["code"] == "not_active", reply
    code, reply = api.call("GET", "/api/v1/audit", token=reader[2])
    assert code == 200 and isinstance(reply, list), reply


def test_audit_shows_no_personal_data(api, reader):
    member_id, email, token = reader
    with api.runtime.db.transaction() as cur:
        # An entry as an account action might write it: who, from where, to which address.
        audit_store.insert_audit(
            cur,
            action="member.suspended",
            member_id=member_id,
            detail={
                "reason": "spam",
                "email": email,
                "old_email": email,
                "ip": "203.0.113.9",
                "client_ip": "203.0.113.9",
                "user_agent": "curl/8",
                "phone": "+441234567890",
                "reset_token": "secret-token",
                "nested": {"emailAddress": email, "kept": 1},
            },
        )
    code, log = api.call("GET", f"/api/v1/audit?member_id={member_id}", token=token)
    assert code == 200, log
    entry = next(e for e in log if e["action"] == "member.suspended")
    assert entry["detail"] == {"reason": "spam", "nested": {"kept": 1}}
    assert entry["member_name"] == "Member audited"
    text = json.dumps(log)
    for private in (email, "203.0.113.9", "curl/8", "+441234567890", "secret-token"):
        assert private not in text
    # The whole log, as an active member reads it, holds no email address at all.
    code, everything = api.call("GET", "/api/v1/audit?limit=500", token=token)
    assert code == 200 and "@" not in json.dumps(everything)


def test_audit_of_an_unknown_member_is_empty_not_an_error(api, reader):
    token = reader[2]
    code, log = api.call("GET", f"/api/v1/audit?member_id={uuid.uuid4()}", token=token)
    assert code == 200 and log == []


def test_a_refusal_is_public_and_its_reason_is_for_the_member_and_the_admins(api, reader):
    """Members see that someone was refused, by whom and when; the reason is the refused
    member's (they read it when they log in) and the admins' (docs/governance.md)."""
    member_id, email = api.register("refusedaudit")
    reason = "We could not confirm you live in Lyon."
    code, refused = api.call(
        "POST", f"/api/v1/members/{member_id}/reject", {"reason": reason}, token=api.admin()
    )
    assert code == 200, refused
    path = f"/api/v1/audit?member_id={member_id}"
    code, log = api.call("GET", path, token=reader[2])
    assert code == 200, log
    [entry] = [e for e in log if e["action"] == "member.rejected"]
    assert entry["actor_id"] and entry["at"] and entry["member_name"] == "Member refusedaudit"
    assert "reason" not in entry["detail"] and reason not in json.dumps(log)
    code, log = api.call("GET", path, token=api.admin())
    assert code == 200, log
    [entry] = [e for e in log if e["action"] == "member.rejected"]
    assert entry["detail"]["reason"] == reason
    body = {"email": email, "password": PASSWORD}
    code, denied = api.call("POST", "/api/v1/auth/login", body)
    assert code == 403 and reason in denied["error"]["message"]  # where the member reads it
