from gateway.aggregate import merge_documents
from gateway.routes import service_for


def test_routes_by_longest_prefix():
    assert service_for("/api/v1/auth/login") == "members"
    assert service_for("/api/v1/polls/123/ballots") == "polls"
    assert service_for("/api/v1/unsubscribe/tok") == "notify"
    assert service_for("/api/v1/pollsters") is None
    assert service_for("/api/v2/polls") is None


def test_openapi_documents_merge_and_name_what_is_missing():
    members = {
        "paths": {"/api/v1/auth/login": {"post": {}}},
        "components": {"schemas": {"Login": {"type": "object"}}},
    }
    polls = {"paths": {"/api/v1/polls": {"get": {}}}, "components": {"schemas": {}}}
    merged = merge_documents({"members": members, "polls": polls, "notify": None})
    assert set(merged["paths"]) == {"/api/v1/auth/login", "/api/v1/polls"}
    assert "Login" in merged["components"]["schemas"]
    assert merged["info"]["x-missing-services"] == ["notify"]
