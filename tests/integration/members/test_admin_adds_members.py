"""An admin adds members (imports, issue 16): no password, a welcome mail with a link to choose
one that also proves the address; chapter placement; a dry run checks and changes nothing."""

from __future__ import annotations

import uuid

from services.common.sealing import unseal
from tests.integration.members.conftest import PASSWORD


def _chapter(api) -> str:
    code, chapter = api.call(
        "POST",
        "/api/v1/chapters",
        {"name": f"Import {uuid.uuid4().hex[:6]}", "level": "national", "country": "ES"},
        token=api.admin(),
    )
    assert code == 201, chapter
    return chapter["id"]


def _body(**extra) -> dict:
    return {
        "email": f"added-{uuid.uuid4().hex[:8]}@example.org",
        "display_name": "Added",
        "country": "ES",
        **extra,
    }


def test_an_added_member_chooses_a_password_from_the_welcome_mail(api):
    chapter = _chapter(api)
    body = _body(chapter_id=chapter, approve=True, language="es")
    code, added = api.call("POST", "/api/v1/members", body, token=api.admin())
    assert code == 201, added
    assert added["status"] == "active" and added["chapter_id"] == chapter
    assert added["mail"] == "welcome"
    [event] = api.events("members.member.password_reset_requested", member_id=added["id"])
    assert event["welcome"] is True
    token = unseal(api.runtime.settings.secret_keys, "reset_password", event["sealed_token"])
    code, _ = api.call(
        "POST", "/api/v1/auth/password/reset", {"token": token, "password": PASSWORD}
    )
    assert code == 200
    tokens = api.login(body["email"])
    code, me = api.call("GET", "/api/v1/members/me", token=tokens["access_token"])
    assert me["email_verified"] is True and chapter in me["chapter_ids"]


def test_a_dry_run_changes_nothing_and_catches_what_the_real_run_refuses(api):
    body = _body()
    before = api.count("SELECT count(*) FROM members")
    code, dry = api.call("POST", "/api/v1/members?dry_run=true", body, token=api.admin())
    assert code == 200 and dry["dry_run"] is True and dry["id"] is None
    assert api.count("SELECT count(*) FROM members") == before
    assert api.events("members.member.password_reset_requested", email=body["email"]) == []
    code, _ = api.call("POST", "/api/v1/members", body, token=api.admin())
    assert code == 201
    code, taken = api.call("POST", "/api/v1/members?dry_run=true", body, token=api.admin())
    assert code == 409 and "email" in taken["error"]["fields"]
    code, bad = api.call(
        "POST",
        "/api/v1/members?dry_run=true",
        _body(chapter_id=str(uuid.uuid4())),
        token=api.admin(),
    )
    assert code == 422 and "chapter_id" in bad["error"]["fields"]
    code, bad = api.call(
        "POST", "/api/v1/members?dry_run=true", _body(country="Narnia"), token=api.admin()
    )
    assert code == 422 and "country" in bad["error"]["fields"]


def test_only_admins_add_members(api):
    _, _, token = api.active_member("notadmin")
    code, _ = api.call("POST", "/api/v1/members", _body(), token=token)
    assert code == 403


def test_a_refused_member_reads_the_reason_when_logging_in(api):
    member_id, email = api.register("refused")
    code, bad = api.call(
        "POST", f"/api/v1/members/{member_id}/reject", {"reason": "  "}, token=api.admin()
    )
    assert code == 422 and "reason" in bad["error"]["fields"]
    code, refused = api.call(
        "POST",
        f"/api/v1/members/{member_id}/reject",
        {"reason": "We only admit residents of Lyon."},
        token=api.admin(),
    )
    assert code == 200 and refused["status"] == "rejected"
    code, denied = api.call("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    assert code == 403 and denied["error"]["code"] == "membership_rejected"
    assert "We only admit residents of Lyon." in denied["error"]["message"]
    code, again = api.call(
        "POST", f"/api/v1/members/{member_id}/reject", {"reason": "x"}, token=api.admin()
    )
    assert code == 409
    code, listed = api.call("GET", "/api/v1/members?status=rejected&q=refused", token=api.admin())
    assert member_id in [m["id"] for m in listed]
    active, _, _ = api.active_member("notpending")
    code, _ = api.call(
        "POST", f"/api/v1/members/{active}/reject", {"reason": "x"}, token=api.admin()
    )
    assert code == 409


def test_the_directory_filters_by_country_and_chapter(api):
    chapter = _chapter(api)
    code, added = api.call(
        "POST", "/api/v1/members", _body(country="PT", chapter_id=chapter), token=api.admin()
    )
    assert code == 201
    code, by_chapter = api.call("GET", f"/api/v1/members?chapter_id={chapter}", token=api.admin())
    assert [m["id"] for m in by_chapter] == [added["id"]]
    code, by_country = api.call("GET", "/api/v1/members?country=PT&limit=200", token=api.admin())
    assert added["id"] in [m["id"] for m in by_country]
    assert {m["country"] for m in by_country} == {"PT"}
