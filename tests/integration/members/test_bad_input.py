"""Bad input gets a clear 4xx in the error shape, names the field, and leaves no row behind;
junk never gets a 500."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.members.conftest import PASSWORD


def _register(api, **fields):
    email = f"bad-{uuid.uuid4().hex[:10]}@example.org"
    body = {"email": email, "password": PASSWORD, "display_name": "Bad", "country": "GB"}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not Ellipsis}
    code, reply = api.call("POST", "/api/v1/auth/register", body)
    return code, reply, body


def _members(api):
    return api.count("SELECT count(*) FROM members")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "two@@example.org"}, "email"),
        ({"email": "x" * 250 + "@example.org"}, "email"),
        ({"country": "ZZ"}, "country"),
        ({"country": "Britain"}, "country"),
        ({"password": "123"}, "password"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "1234567890"}, "password"),
        ({"password": "aaaaaaaaaaaaaaa"}, "password"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"email": 7}, "email"),
        ({"password": ["x"]}, "password"),
        ({"country": 1}, "country"),
        ({"phone": "12345"}, "phone"),
        ({"language": "klingon"}, "language"),
        ({"gender": "sometimes"}, "gender"),
        ({"email": ...}, "email"),
        ({"country": ...}, "country"),
        ({"unexpected": "field"}, "unexpected"),
    ],
)
def test_bad_registration_names_the_field_and_leaves_no_row(api, fields, field):
    before = _members(api)
    code, reply, body = _register(api, **fields)
    assert 400 <= code < 500, reply
    assert reply["error"]["code"] and reply["error"]["message"]
    assert field in reply["error"]["fields"], reply
    assert _members(api) == before
    if isinstance(body.get("email"), str):
        assert not api.events("members.member.registered", email=body["email"])


def test_password_equal_to_email_is_refused(api):
    email = f"samesame{uuid.uuid4().hex[:6]}@example.org"
    code, reply, _ = _register(api, email=email, password=email)
    assert code == 422 and "password" in reply["error"]["fields"]


def test_missing_body_and_malformed_json(api):
    code, reply = api.call("POST", "/api/v1/auth/register", {})
    assert code == 422 and {"email", "password", "display_name", "country"} <= set(
        reply["error"]["fields"]
    )
    response = api.client.post(
        "/api/v1/auth/register", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"]
    response = api.client.post(
        "/api/v1/auth/register", data="[1, 2]", content_type="application/json"
    )
    assert 400 <= response.status_code < 500 and response.get_json()["error"]


def test_login_with_wrong_types(api):
    for body in ({"email": 7, "password": None}, {"email": "a@b.org"}, [], "x"):
        code, reply = api.call("POST", "/api/v1/auth/login", body)
        assert 400 <= code < 500 and reply["error"]["code"]


def test_bad_tokens_in_verify_and_reset(api):
    code, reply = api.call("GET", "/api/v1/auth/verify")
    assert code == 422 and "token" in reply["error"]["fields"]
    code, reply = api.call("GET", "/api/v1/auth/verify?token=nope")
    assert code == 400 and "token" in reply["error"]["fields"]
    code, reply = api.call(
        "POST", "/api/v1/auth/password/reset", {"token": "nope", "password": "Valid-password-123"}
    )
    assert code == 400 and "token" in reply["error"]["fields"]
    code, reply = api.call("POST", "/api/v1/auth/refresh", {"refresh_token": "nope"})
    assert code == 401 and "refresh_token" in reply["error"]["fields"]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=10,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "email": JSONISH | st.emails(),
        "password": JSONISH,
        "display_name": JSONISH,
        "country": JSONISH | st.sampled_from(["GB", "gb", "ZZ", ""]),
        "language": JSONISH,
        "phone": JSONISH,
        "gender": JSONISH,
        "introduction": JSONISH,
    },
)
PATHS = [
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/auth/verify",
    "/api/v1/auth/password/reset",
    "/api/v1/chapters",
    "/api/v1/mandates",
    "/api/v1/targets",
    "/api/v1/currents",
]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(PATHS), body=FIELDS | JSONISH)
def test_junk_never_gets_a_500(api, path, body):
    code, reply = api.call("POST", path, body)
    assert code < 500, (path, body, reply)
    if code >= 400:
        assert reply["error"]["code"] and reply["error"]["message"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_junk_queries_never_get_a_500(api, query):
    for path in ("/api/v1/chapters", "/api/v1/audit", "/api/v1/mandates", "/api/v1/currents"):
        response = api.client.get(
            path, query_string={"q": query, "limit": query, "level": query, "before": query}
        )
        assert response.status_code < 500


@pytest.fixture(scope="module")
def admin_token(app, members_runtime):
    from tests.integration.members.conftest import Api

    return Api(app.test_client(), members_runtime).admin()


ADMIN_PATHS = [
    ("POST", "/api/v1/chapters"),
    ("POST", "/api/v1/mandates"),
    ("POST", "/api/v1/targets"),
    ("POST", "/api/v1/currents"),
    ("POST", "/api/v1/auth/password"),
    ("DELETE", "/api/v1/members/me"),
]
ADMIN_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "name": JSONISH,
        "level": JSONISH | st.sampled_from(["local", "national"]),
        "parent_id": JSONISH | st.uuids().map(str),
        "country": JSONISH,
        "kind": JSONISH,
        "target": JSONISH | st.sampled_from(["NaN", "1e400", "-1", 1e300]),
        "role": JSONISH,
        "member_id": JSONISH | st.uuids().map(str),
        "chapter_id": JSONISH,
        "starts_at": JSONISH,
        "ends_at": JSONISH,
        "deadline": JSONISH,
        "held_on": JSONISH,
        "display_name": JSONISH,
        "email": JSONISH,
    },
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=st.sampled_from(ADMIN_PATHS), body=ADMIN_FIELDS | JSONISH)
def test_junk_from_an_admin_never_gets_a_500(api, admin_token, target, body):
    method, path = target
    if method == "DELETE" and isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "password"}  # keep the admin alive
    code, reply = api.call(method, path, body, token=admin_token)
    assert code < 500, (path, body, reply)
    if code >= 400:
        assert reply["error"]["code"] and reply["error"]["message"]


@pytest.fixture(scope="module")
def someone(app, members_runtime):
    from tests.integration.members.conftest import Api

    return Api(app.test_client(), members_runtime).active_member("junk")[2]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=FIELDS | JSONISH)
def test_junk_corrections_never_get_a_500(api, someone, body):
    code, reply = api.call("PATCH", "/api/v1/members/me", body, token=someone)
    assert code < 500, (body, reply)
    if code >= 400:
        assert reply["error"]["code"] and reply["error"]["message"]


# --- text: control characters and lone surrogates ------------------------------------------


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"display_name": "Eve\ud800"}, "display_name"),
        ({"display_name": "Eve\r\nBcc: all@example.org"}, "display_name"),
        ({"display_name": "Eve\nAdmin"}, "display_name"),
        ({"display_name": "bell\x07"}, "display_name"),
        ({"display_name": "c1\x9bchar"}, "display_name"),
        ({"display_name": "del\x7f"}, "display_name"),
        ({"email": "eve\udc00@example.org"}, "email"),
        ({"email": "eve@example.org\r\nBcc: x@example.org"}, "email"),
        ({"country": "G\x00B"}, "country"),
        ({"language": "e\nn"}, "language"),
        ({"phone": "+44 1234\x00567890"}, "phone"),
        ({"password": "Valid-but\x00-nul-1"}, "password"),
        ({"password": "Valid-but-\ud800-half"}, "password"),
        ({"introduction": "Hello\x1b[2J"}, "introduction"),
        ({"introduction": "Hello \ud83d"}, "introduction"),
        ({"introduction": "tab\tinside"}, "introduction"),
    ],
)
def test_control_characters_and_lone_surrogates_are_422_naming_the_field(api, fields, field):
    before = _members(api)
    code, reply, _ = _register(api, **fields)
    assert code == 422, reply
    assert field in reply["error"]["fields"], reply
    assert _members(api) == before


def test_multi_line_introduction_keeps_its_lines_as_lf(api):
    member_id, email = api.register("lines", introduction="Hi.\r\nI am Ann.\rFrom Leeds.")
    code, me = api.call("GET", "/api/v1/members/me", token=api.token(email))
    assert code == 200 and me["introduction"] == "Hi.\nI am Ann.\nFrom Leeds."


@pytest.mark.parametrize(
    "method, path, body, field",
    [
        ("PATCH", "/api/v1/members/me", {"display_name": "Ann\u2028Admin"}, "display_name"),
        ("PATCH", "/api/v1/members/me", {"introduction": "\x00"}, "introduction"),
        ("POST", "/api/v1/chapters", {"name": "Leeds\x00"}, "name"),
        ("POST", "/api/v1/chapters", {"name": "Leeds", "place": "Hyde\nPark"}, "place"),
        ("POST", "/api/v1/chapters", {"name": "Leeds", "description": "\ud800"}, "description"),
        ("POST", "/api/v1/currents", {"name": "Green\r\n"}, "name"),
        ("POST", "/api/v1/currents", {"name": "Green", "description": "bell\x07"}, "description"),
        (
            "POST",
            "/api/v1/recalls",
            {"mandate_id": "00000000-0000-0000-0000-000000000000", "reason": "because\x00"},
            "reason",
        ),
        ("GET", "/api/v1/chapters?q=a%00b", None, "q"),
        ("GET", "/api/v1/currents?q=%C2%85", None, "q"),
    ],
)
def test_text_of_every_kind_refuses_control_characters(api, someone, method, path, body, field):
    code, reply = api.call(method, path, body, token=someone)
    assert code == 422, reply
    assert field in reply["error"]["fields"], reply


def test_admin_text_refuses_control_characters(api, admin_token):
    for path, body, field in (
        ("/api/v1/targets", {"name": "T\x00", "kind": "members", "target": 1}, "name"),
        (
            "/api/v1/mandates",
            {
                "member_id": "00000000-0000-0000-0000-000000000000",
                "role": "admin",
                "note": "\ud800",
            },
            "note",
        ),
    ):
        code, reply = api.call("POST", path, body, token=admin_token)
        assert code == 422 and field in reply["error"]["fields"], reply


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"a":' * 1500 + "1" + "}" * 1500])
def test_json_nested_too_deep_is_400_too_deep(api, body):
    before = _members(api)
    response = api.client.post("/api/v1/auth/register", data=body, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "too_deep"
    assert _members(api) == before
