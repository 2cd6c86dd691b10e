"""The web front end's settings, read once from the environment at the composition root."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    gateway_url: str | None = None  # None: the request's own host (the gateway serving us)
    secure_cookies: bool = False
    api_timeout: float = 15.0


def load_web_settings(env: Mapping[str, str] | None = None) -> WebSettings:
    env = dict(os.environ if env is None else env)
    secret = env.get("SECRET_KEY") or ""
    if not secret:
        # Sessions then last as long as the process: fine for a developer, said out loud.
        secret = secrets.token_urlsafe(32)
    return WebSettings(
        secret_key=secret,
        gateway_url=(env.get("GATEWAY_INTERNAL_URL") or "").rstrip("/") or None,
        secure_cookies=env.get("PUBLIC_URL", "").startswith("https://"),
    )
