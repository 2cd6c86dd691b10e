"""The gateway in front of a real upstream service over real HTTP."""

from __future__ import annotations

import time
import uuid

import marshmallow as ma
import pytest
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.app import create_app as create_gateway
from gateway.config import GatewaySettings
from services.common.auth import Identity, issue_access_token
from services.common.web import create_service_app
from tests.support.http import serve
from tests.support.runtime import make_settings, test_keypair

echo = Blueprint("echo", __name__)


class EchoIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    count = ma.fields.Integer(required=True)


@echo.route("/api/v1/members/echo")
class Echo(MethodView):
    @echo.arguments(EchoIn)
    def post(self, body):
        from flask import request

        return {"got": body, "request_id": request.headers.get("X-Request-ID")}


@echo.route("/api/v1/polls/slow")
class Slow(MethodView):
    def get(self):
        time.sleep(1.5)  # longer than the gateway's read timeout (0.5 s): a real 504
        return {"late": True}


@pytest.fixture(scope="module")
def upstream():
    settings = make_settings("members", "postgresql://unused@127.0.0.1/none")
    app = create_service_app(
        settings, title="echo", blueprints=[echo], readiness={"database": lambda: True}
    )
    with serve(app) as url:
        yield url


def gateway_client(upstream_url, dead="http://127.0.0.1:9", **overrides):
    settings = GatewaySettings(
        service_urls={"members": upstream_url, "polls": upstream_url, "notify": dead},
        jwt_public_key=test_keypair()[1],
        read_timeout=0.5,
        max_body_bytes=overrides.pop("max_body_bytes", 4096),
        **overrides,
    )
    return create_gateway(settings).test_client()


def assert_error_shape(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    return error


def test_forwards_and_carries_the_request_id(upstream):
    client = gateway_client(upstream)
    response = client.post(
        "/api/v1/members/echo", json={"name": "a", "count": 2}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.status_code == 200
    assert response.get_json() == {"got": {"name": "a", "count": 2}, "request_id": "abc-123"}
    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_malformed_json_and_wrong_types_are_4xx_in_the_error_shape(upstream):
    client = gateway_client(upstream)
    bad = client.post(
        "/api/v1/members/echo", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_error_shape(bad, 400)
    wrong = client.post("/api/v1/members/echo", json={"name": 7, "count": "x"})
    error = assert_error_shape(wrong, 422)
    assert set(error["fields"]) == {"name", "count"}


def test_unknown_route_is_404_json(upstream):
    assert_error_shape(gateway_client(upstream).get("/api/v1/nowhere"), 404)
    assert_error_shape(gateway_client(upstream).get("/api/v2/polls"), 404)
    # Outside /api the web front end answers, with a page of its own.
    assert gateway_client(upstream).get("/no-such-page").status_code == 404


def test_oversized_body_is_413_json(upstream):
    response = gateway_client(upstream).post(
        "/api/v1/members/echo", data="x" * 10_000, headers={"Content-Type": "application/json"}
    )
    assert_error_shape(response, 413)


def test_service_down_is_502_and_slow_is_504(upstream):
    client = gateway_client(upstream)
    assert_error_shape(client.get("/api/v1/notifications/anything"), 502)
    assert_error_shape(client.get("/api/v1/polls/slow"), 504)


def test_bad_token_is_refused_at_the_edge(upstream):
    client = gateway_client(upstream)
    token = issue_access_token(test_keypair()[0], Identity("m-1", "active"))
    ok = client.post(
        "/api/v1/members/echo",
        json={"name": "a", "count": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert ok.status_code == 200
    tampered = client.post(
        "/api/v1/members/echo",
        json={"name": "a", "count": 1},
        headers={"Authorization": f"Bearer {token[:-4]}AAAA"},
    )
    assert_error_shape(tampered, 401)


def test_healthz_names_the_service_that_is_down(upstream):
    client = gateway_client(upstream)
    response = client.get("/healthz")
    assert response.status_code == 503
    services = response.get_json()["services"]
    assert services["members"]["status"] == "ready"
    assert services["notify"]["status"] == "unreachable"
    all_up = gateway_client(upstream, dead=upstream)
    assert all_up.get("/healthz").status_code == 200


def test_rate_limit_answers_429_with_retry_after(upstream):
    client = gateway_client(upstream, rate_limit_ip="3/minute")
    codes = [
        client.post("/api/v1/members/echo", json={"name": "a", "count": 1}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    limited = client.post("/api/v1/members/echo", json={"name": "a", "count": 1})
    assert_error_shape(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0


def test_rate_limit_headers_describe_the_tighter_limit(upstream):
    client = gateway_client(upstream, rate_limit_ip="50/minute", rate_limit_member="4/minute")
    first = client.post("/api/v1/members/echo", json={"name": "a", "count": 1})
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "4"  # the per-member one is tighter
    assert first.headers["X-RateLimit-Remaining"] == "3"
    assert int(first.headers["X-RateLimit-Reset"]) >= int(time.time())


def test_members_behind_one_address_each_have_their_own_limit(upstream):
    client = gateway_client(upstream, rate_limit_ip="100/minute", rate_limit_member="2/minute")
    private = test_keypair()[0]
    ada, bea = (issue_access_token(private, Identity(m, "active")) for m in ("ada", "bea"))

    def call(token):
        return client.post(
            "/api/v1/members/echo",
            json={"name": "a", "count": 1},
            headers={"Authorization": f"Bearer {token}"},
        ).status_code

    assert [call(ada), call(ada), call(ada)] == [200, 200, 429]
    assert call(bea) == 200  # same address, another member: not limited by Ada's calls


def test_gateways_sharing_a_redis_store_share_the_limits(upstream, redis_url):
    """Several gateway pods with RATE_LIMIT_STORAGE_URI=redis://...: one member's calls count
    once across all of them (a member id of this run's own keeps runs apart)."""
    pods = [
        gateway_client(upstream, rate_limit_member="3/minute", rate_limit_storage=redis_url)
        for _ in range(2)
    ]
    token = issue_access_token(test_keypair()[0], Identity(f"redis-{uuid.uuid4()}", "active"))
    codes = [
        pods[i % 2]
        .post(
            "/api/v1/members/echo",
            json={"name": "a", "count": 1},
            headers={"Authorization": f"Bearer {token}"},
        )
        .status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_limits_stay_open_when_their_storage_is_unreachable(upstream, caplog):
    """A rate-limit store that is down (redis in production) must not refuse every member:
    calls go through and the failure is logged (once, not once per call)."""
    client = gateway_client(
        upstream, rate_limit_ip="1/minute", rate_limit_storage="redis://127.0.0.1:9/0"
    )
    with caplog.at_level("WARNING", logger="councils.gateway.ratelimit"):
        codes = [
            client.post("/api/v1/members/echo", json={"name": "a", "count": 1}).status_code
            for _ in range(3)
        ]
    assert codes == [200, 200, 200]
    warnings = [r for r in caplog.records if "storage unreachable" in r.getMessage()]
    assert len(warnings) == 1


def test_openapi_is_merged_from_the_services(upstream):
    document = gateway_client(upstream).get("/api/v1/openapi.json").get_json()
    assert "/api/v1/members/echo" in document["paths"]
    assert document["info"]["x-missing-services"] == ["notify"]


def test_a_call_waits_for_a_pooled_connection_then_answers_503(upstream):
    """No connection is opened beyond the pool's size: a call waits for one, and when none
    comes back in time it is a 503 in the error shape, with Retry-After."""
    from flask import Flask, g

    from gateway.proxy import Upstreams, forward
    from services.common.errors import ApiError

    upstreams = Upstreams({"members": upstream}, timeout=(1.0, 0.3), pool_size=1)
    pool = upstreams.pool("members")[0]
    app = Flask("proxy-test")

    def call():
        with app.test_request_context(
            "/api/v1/members/echo", method="POST", json={"name": "a", "count": 1}
        ):
            g.request_id = "pool-test"
            return forward(upstreams.pool("members"))

    assert call().status_code == 200  # over the pool's one connection
    held = pool._get_conn()  # now busy elsewhere
    try:
        started = time.monotonic()
        with pytest.raises(ApiError) as refused:
            call()
        assert refused.value.status == 503
        assert refused.value.headers["Retry-After"]
        assert time.monotonic() - started >= 0.25  # it waited for the connection
    finally:
        pool._put_conn(held)
    assert call().status_code == 200  # and the connection serves again once it is back


def nested_list(levels: int) -> str:
    return "[" * levels + "]" * levels


def nested_object(size: int) -> str:
    levels = size // 7
    return '{"a":' * levels + "1" + "}" * levels


@pytest.mark.parametrize(
    "body",
    [
        nested_list(100_000),
        nested_object(10_000),
        '{"name": ' + nested_list(40) + ', "count": 1}',
        nested_list(100_000)[:-5],
    ],
)
def test_json_nested_too_deep_is_400_too_deep_at_the_edge(upstream, body):
    # The notify upstream is down: an answer other than 502 came from the edge itself.
    client = gateway_client(upstream, max_body_bytes=1_000_000)
    response = client.post("/api/v1/notify/newsletters", data=body, content_type="application/json")
    error = assert_error_shape(response, 400)
    assert error["code"] == "too_deep" and "_body" in error["fields"]


def test_json_nested_up_to_the_limit_goes_through(upstream):
    client = gateway_client(upstream, max_body_bytes=1_000_000)
    response = client.post(
        "/api/v1/members/echo",
        data='{"name": ' + nested_list(31) + ', "count": 1}',
        content_type="application/json",
    )
    error = assert_error_shape(response, 422)
    assert "name" in error["fields"]


@pytest.mark.parametrize("body", [nested_list(100_000), nested_object(10_000)])
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_json_nested_too_deep_is_400_too_deep_in_a_service(upstream, body, content_type):
    import requests

    response = requests.post(
        upstream + "/api/v1/members/echo",
        data=body,
        headers={"Content-Type": content_type},
        timeout=10,
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "too_deep"
