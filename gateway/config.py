"""The gateway's settings: where the services are, how long to wait, how much to allow."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.clientip import LOOPBACK, parse_networks
from services.common.config import ConfigError, env_float, env_int, pem_or_path

SERVICES = ("members", "polls", "notify")
DEFAULT_URLS = {
    "members": "http://127.0.0.1:8101",
    "polls": "http://127.0.0.1:8102",
    "notify": "http://127.0.0.1:8103",
}


@dataclass(frozen=True)
class GatewaySettings:
    service_urls: Mapping[str, str]
    jwt_public_key: str | None
    connect_timeout: float = 2.0
    read_timeout: float = 30.0
    max_body_bytes: int = 1_000_000
    rate_limit_ip: str = "1200/minute"
    rate_limit_member: str = "600/minute"
    rate_limit_storage: str = "memory://"
    cors_origins: tuple[str, ...] = ()
    behind_tls: bool = False
    # Proxies in front of the gateway whose X-Forwarded-For entry is trusted (gateway/clientip.py)
    trusted_proxy_hops: int = 0
    trusted_proxies: tuple[str, ...] = LOOPBACK


def load_gateway_settings(env: Mapping[str, str] | None = None) -> GatewaySettings:
    env = dict(os.environ if env is None else env)
    urls = {}
    for name in SERVICES:
        url = (env.get(f"{name.upper()}_URL") or DEFAULT_URLS[name]).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{name.upper()}_URL must be an http(s) URL, got {url!r}")
        urls[name] = url
    origins = tuple(o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip())
    public_url = env.get("PUBLIC_URL", "")
    listed = env.get("GATEWAY_TRUSTED_PROXIES")
    proxies = (
        LOOPBACK if listed is None else tuple(p.strip() for p in listed.split(",") if p.strip())
    )
    try:
        parse_networks(proxies)
    except ValueError as exc:
        raise ConfigError(
            f"GATEWAY_TRUSTED_PROXIES must list addresses or networks: {exc}"
        ) from None
    return GatewaySettings(
        service_urls=urls,
        jwt_public_key=pem_or_path(env, "JWT_PUBLIC_KEY"),
        connect_timeout=env_float(env, "GATEWAY_CONNECT_TIMEOUT", 2.0),
        read_timeout=env_float(env, "GATEWAY_READ_TIMEOUT", 30.0),
        max_body_bytes=env_int(env, "MAX_BODY_BYTES", 1_000_000, minimum=1024),
        rate_limit_ip=env.get("RATE_LIMIT_IP") or "1200/minute",
        rate_limit_member=env.get("RATE_LIMIT_MEMBER") or "600/minute",
        rate_limit_storage=env.get("RATE_LIMIT_STORAGE_URI") or "memory://",
        cors_origins=origins,
        behind_tls=public_url.startswith("https://"),
        trusted_proxy_hops=env_int(env, "GATEWAY_TRUSTED_PROXY_HOPS", 0, minimum=0),
        trusted_proxies=proxies,
    )
