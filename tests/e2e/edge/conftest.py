"""The edge of a running stack: its services' addresses and keys, and a second, strict gateway."""

from __future__ import annotations

import pytest

from gateway.config import SERVICES, GatewaySettings
from gateway.web import WebSettings
from gateway.wsgi import create_app as create_gateway
from services.common.config import pem_or_path
from services.common.embedded_pg import free_port
from tests.support.http import serve


def service_urls(stack) -> dict[str, str]:
    """Where `make run` put the services (services/common/devstack.py: SERVICE_PORT_BASE)."""
    base = int(stack.env["SERVICE_PORT_BASE"])
    return {name: f"http://127.0.0.1:{base + i}" for i, name in enumerate(SERVICES)}


def key_env(stack) -> dict[str, str]:
    """The keys and secret the stack runs with (given, or made by devstack in its run dir)."""
    env = {}
    for name, file in (
        ("JWT_PRIVATE_KEY", "jwt_private.pem"),
        ("JWT_PUBLIC_KEY", "jwt_public.pem"),
        ("SECRET_KEY", "secret_key"),
    ):
        value = stack.env.get(name)
        if not value:
            path = stack.run_dir / file
            value = str(path) if name.startswith("JWT") else path.read_text().strip()
        env[name] = value
    return env


@pytest.fixture(scope="module")
def strict_gateway(stack):
    """A second gateway (in this process, on its own port) in front of the same services, with
    limits small enough to reach: 5 requests a minute per client address."""
    settings = GatewaySettings(
        service_urls=service_urls(stack),
        jwt_public_key=pem_or_path(key_env(stack), "JWT_PUBLIC_KEY"),
        rate_limit_ip="5/minute",
        rate_limit_member="5/minute",
    )
    port = free_port()
    # The pages of this gateway call its own API (as GATEWAY_INTERNAL_URL says in production).
    pages = WebSettings(secret_key="strict-gateway", gateway_url=f"http://127.0.0.1:{port}")
    with serve(create_gateway(settings, pages), port=port) as url:
        yield url
