"""The whole life of a member through the gateway, with the members service on a real port and
its events relayed from the outbox to RabbitMQ and consumed there."""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug.serving import make_server

from gateway.app import create_app as create_gateway
from gateway.config import GatewaySettings
from services.common.bus import Consumer, Relay
from services.common.bus.rabbitmq import RabbitMQTransport
from services.common.requests import CLIENT_ADDRESS_HEADER
from services.members.app import create_app
from services.members.bootstrap import bootstrap_admin
from services.members.context import build_context
from tests.integration.members.conftest import PASSWORD, Api
from tests.support.runtime import make_runtime, test_keypair
from tests.support.wait import wait_for

ADMIN = ("gateway-admin@example.org", "Gateway-admin-password-1")


@pytest.fixture()
def stack(fresh_database_url, amqp_url, run_id):
    runtime = make_runtime(
        "members",
        fresh_database_url,
        COUNCILS_ADMIN_EMAIL=ADMIN[0],
        COUNCILS_ADMIN_PASSWORD=ADMIN[1],
    )
    bootstrap_admin(build_context(runtime))
    server = make_server("127.0.0.1", 0, create_app(runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway = create_gateway(
        GatewaySettings(
            service_urls={
                "members": f"http://127.0.0.1:{server.server_port}",
                "polls": "http://127.0.0.1:9",
                "notify": "http://127.0.0.1:9",
            },
            jwt_public_key=test_keypair()[1],
        )
    )
    transport = RabbitMQTransport(
        amqp_url,
        exchange=f"councils.test.{run_id}",
        queue_prefix=f"{run_id}.",
        reconnect=(0.1, 0.5),
    )
    received: list[dict] = []

    def handler(cur, event):
        received.append(event)

    consumer = Consumer(
        runtime.db, transport, "lifewatch", {"members.#": handler}, service="memberstest"
    )
    consumer.declare()
    stop = threading.Event()
    relay = Relay(runtime.db, transport, poll_s=0.05)
    threads = [
        threading.Thread(target=relay.run, args=(stop,), daemon=True),
        threading.Thread(target=consumer.run, args=(stop,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    yield Api(gateway.test_client(), runtime), received
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    server.shutdown()
    transport.delete(consumer.queue)
    transport.delete_exchange()
    transport.close()
    runtime.close()


@pytest.fixture()
def limited(fresh_database_url):
    """Members allowing two registrations a minute per client address, behind the gateway."""
    runtime = make_runtime("members", fresh_database_url, RATE_REGISTER_PER_MINUTE="2")
    server = make_server("127.0.0.1", 0, create_app(runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway = create_gateway(
        GatewaySettings(
            service_urls={
                "members": f"http://127.0.0.1:{server.server_port}",
                "polls": "http://127.0.0.1:9",
                "notify": "http://127.0.0.1:9",
            },
            jwt_public_key=test_keypair()[1],
        )
    )
    yield gateway.test_client()
    server.shutdown()
    runtime.close()


def _register(client, headers: dict) -> int:
    body = {
        "email": f"addr-{time.monotonic_ns()}@example.org",
        "password": PASSWORD,
        "display_name": "Addressed",
        "country": "GB",
    }
    return client.post("/api/v1/auth/register", json=body, headers=headers).status_code


def test_a_client_cannot_choose_its_address_through_the_gateway(limited):
    """Members counts registrations per client address as the gateway resolved it: an address
    the client sends in the gateway's own header is not believed."""
    spoofed = [_register(limited, {CLIENT_ADDRESS_HEADER: f"203.0.113.{n}"}) for n in range(3)]
    assert spoofed == [201, 201, 429]
    # The address the gateway resolves (loopback is a trusted proxy) is the one counted.
    assert _register(limited, {"X-Forwarded-For": "198.51.100.7"}) == 201


def test_life_of_a_member_through_the_gateway(stack):
    api, received = stack
    member_id, email = api.register("gw", gender="woman")
    registered = api.events("members.member.registered", member_id=member_id)[0]
    assert (
        api.call(
            "GET", "/api/v1/auth/verify?token=" + api.unseal(registered, "verification_sealed")
        )[0]
        == 200
    )
    tokens = api.login(email)
    assert (
        api.call("GET", "/api/v1/members/me", token=tokens["access_token"])[1]["status"]
        == "pending"
    )
    admin = api.token(*ADMIN)
    assert (
        api.call("POST", f"/api/v1/members/{member_id}/approve", token=tokens["access_token"])[0]
        == 403
    )
    assert api.call("POST", f"/api/v1/members/{member_id}/approve", token=admin)[0] == 200
    code, fresh = api.call(
        "POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]}
    )
    assert code == 200
    token = fresh["access_token"]
    code, chapter = api.call(
        "POST", "/api/v1/chapters", {"name": "Gateway local", "country": "NL"}, token=admin
    )
    assert code == 201
    assert api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)[0] == 200
    assert api.call("POST", f"/api/v1/chapters/{chapter['id']}/leave", token=token)[0] == 200
    code, export = api.call("GET", "/api/v1/members/me/export", token=token)
    assert code == 200 and export["profile"]["id"] == member_id
    assert api.call("DELETE", "/api/v1/members/me", {"password": PASSWORD}, token=token)[0] == 204
    assert api.call("GET", "/api/v1/members/me", token=token)[0] == 401

    expected = [
        "members.member.registered",
        "members.member.verified",
        "members.member.activated",
        "members.membership.joined",
        "members.membership.left",
        "members.member.deleted",
    ]

    def all_arrived() -> list[str] | None:
        mine = [e["type"] for e in list(received) if str(e["data"].get("member_id")) == member_id]
        return mine if all(t in mine for t in expected) else None

    mine = wait_for(all_arrived, 30, "every member event to arrive", interval=0.1)
    assert mine == expected  # each once, in the order they happened
    assert all(e["producer"] == "members" for e in received)
