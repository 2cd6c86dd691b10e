"""Whose address the edge keys limits on, and what it tells the services."""

from __future__ import annotations

import pytest

from gateway.aggregate import SecurityTable
from gateway.clientip import LOOPBACK, parse_networks, resolve
from gateway.config import load_gateway_settings
from services.common.config import ConfigError

LOCAL = parse_networks(LOOPBACK)


@pytest.mark.parametrize(
    ("xff", "peer", "hops", "client", "passed_on"),
    [
        # Facing clients directly: a forged header decides nothing.
        (None, "198.51.100.7", 0, "198.51.100.7", "198.51.100.7"),
        ("203.0.113.9", "198.51.100.7", 0, "198.51.100.7", "203.0.113.9, 198.51.100.7"),
        # The web front end on loopback passes on the chain it received plus its peer.
        ("198.51.100.7", "127.0.0.1", 0, "198.51.100.7", "198.51.100.7"),
        ("203.0.113.9, 198.51.100.7", "127.0.0.1", 0, "198.51.100.7", "203.0.113.9, 198.51.100.7"),
        # A developer's browser on loopback, through the web app.
        ("127.0.0.1", "127.0.0.1", 0, "127.0.0.1", "127.0.0.1"),
        (None, "::1", 0, "::1", "::1"),
        # Behind one ingress (GATEWAY_TRUSTED_PROXY_HOPS=1), directly and through the web app.
        ("198.51.100.7", "10.0.0.5", 1, "198.51.100.7", "198.51.100.7"),
        ("198.51.100.7, 10.0.0.5", "127.0.0.1", 1, "198.51.100.7", "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", "10.0.0.5", 1, "198.51.100.7", "6.6.6.6, 198.51.100.7"),
        # More hops trusted than there are entries: the leftmost entry.
        (None, "10.0.0.5", 2, "10.0.0.5", "10.0.0.5"),
        # Garbage written by a trusted proxy: the peer.
        ("not-an-address", "10.0.0.5", 1, "10.0.0.5", "10.0.0.5"),
        ("[2001:db8::1]:4711", "127.0.0.1", 0, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_resolve(xff, peer, hops, client, passed_on):
    assert resolve(xff, peer, hops, LOCAL) == (client, passed_on)


def test_settings():
    default = load_gateway_settings({})
    assert default.trusted_proxy_hops == 0 and default.trusted_proxies == LOOPBACK
    custom = load_gateway_settings(
        {"GATEWAY_TRUSTED_PROXY_HOPS": "1", "GATEWAY_TRUSTED_PROXIES": "10.0.0.0/8, ::1"}
    )
    assert custom.trusted_proxy_hops == 1 and custom.trusted_proxies == ("10.0.0.0/8", "::1")
    assert load_gateway_settings({"GATEWAY_TRUSTED_PROXIES": ""}).trusted_proxies == ()
    with pytest.raises(ConfigError, match="GATEWAY_TRUSTED_PROXIES"):
        load_gateway_settings({"GATEWAY_TRUSTED_PROXIES": "localhost"})
    with pytest.raises(ConfigError, match="GATEWAY_TRUSTED_PROXY_HOPS"):
        load_gateway_settings({"GATEWAY_TRUSTED_PROXY_HOPS": "-1"})


def test_security_table_prefers_the_most_literal_template():
    secured = [{"bearerAuth": []}]
    table = SecurityTable(
        {
            "paths": {
                "/api/v1/members/{member_id}": {"get": {"security": secured}},
                "/api/v1/members/me": {
                    "get": {"security": secured},
                    "delete": {"security": secured},
                },
                "/api/v1/chapters/{chapter_id}": {"get": {}, "patch": {"security": secured}},
                "/api/v1/chapters/working": {"get": {}},
                "/api/v1/polls": {"get": {"security": []}, "post": {"security": secured}},
            }
        }
    )
    assert table.requires_token("GET", "/api/v1/members/me")
    assert table.requires_token("DELETE", "/api/v1/members/me")
    assert table.requires_token("GET", "/api/v1/members/abc")
    assert not table.requires_token("GET", "/api/v1/chapters/working")
    assert not table.requires_token("HEAD", "/api/v1/chapters/abc")
    assert table.requires_token("PATCH", "/api/v1/chapters/abc")
    assert not table.requires_token("GET", "/api/v1/polls")
    assert table.requires_token("POST", "/api/v1/polls")
    assert not table.requires_token("GET", "/api/v1/unknown")
    assert not table.requires_token("GET", "/api/v1/members/a/b")


def test_merge_keeps_colliding_components_apart():
    from gateway.aggregate import merge_documents

    def doc(path, scope):
        ref = {"$ref": "#/components/schemas/Scope"}
        return {
            "paths": {
                path: {"post": {"requestBody": {"content": {"application/json": {"schema": ref}}}}}
            },
            "components": {"schemas": {"Scope": scope, "Same": {"type": "string"}}},
        }

    merged = merge_documents(
        {
            "polls": doc("/api/v1/polls", {"type": "object", "required": ["type"]}),
            "notify": doc("/api/v1/newsletters", {"type": "object"}),
        }
    )
    schemas = merged["components"]["schemas"]
    # Services merge in name order: notify's Scope keeps the name, polls' is renamed.
    assert set(schemas) == {"Scope", "PollsScope", "Same"}
    assert schemas["Scope"] == {"type": "object"}

    def ref(path):
        body = merged["paths"][path]["post"]["requestBody"]
        return body["content"]["application/json"]["schema"]["$ref"]

    assert ref("/api/v1/polls") == "#/components/schemas/PollsScope"
    assert ref("/api/v1/newsletters") == "#/components/schemas/Scope"
