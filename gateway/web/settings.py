"""The web front end's settings, read once from the environment at the composition root."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from services.common.federation import DEFAULT_LEVELS, parse_levels

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    # Where the pages call the API: never derived from a request's Host header.
    gateway_url: str = "http://127.0.0.1:8080"
    secure_cookies: bool = False
    api_timeout: float = 15.0
    # Host names the pages answer to (Flask TRUSTED_HOSTS); others get a 400.
    trusted_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    session_store: str = "memory://"  # gateway/web/sessions.py
    # FEDERATION_LEVELS, top first: the levels the chapter pages offer (members checks them).
    federation_levels: tuple[str, ...] = DEFAULT_LEVELS
    # POLLS_AFFECTED_MAX_WEIGHT (polls checks it): the weights the poll form offers.
    affected_max_weight: int = 3


def _run_dir(env: Mapping[str, str]) -> Path:
    """`make run`'s directory (.run/), or the temporary directory where that is not writable."""
    run_dir = Path(env.get("COUNCILS_RUN_DIR") or Path.cwd() / ".run")
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        if os.access(run_dir, os.W_OK):
            return run_dir
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def default_session_store(env: Mapping[str, str]) -> str:
    if env.get("WEB_SESSION_STORE"):
        return env["WEB_SESSION_STORE"]
    if env.get("REDIS_URL"):
        return env["REDIS_URL"]
    return f"file://{_run_dir(env) / 'web-sessions'}"


def default_trusted_hosts(env: Mapping[str, str]) -> tuple[str, ...]:
    given = env.get("TRUSTED_HOSTS")
    if given:
        return tuple(h.strip() for h in given.split(",") if h.strip())
    public = urlsplit(env.get("PUBLIC_URL") or "").hostname
    return tuple(dict.fromkeys([*(h for h in [public] if h), *LOOPBACK_HOSTS]))


def load_web_settings(env: Mapping[str, str] | None = None) -> WebSettings:
    env = dict(os.environ if env is None else env)
    secret = env.get("SECRET_KEY") or ""
    if not secret:
        # Sessions then last as long as the process: fine for a developer, said out loud.
        secret = secrets.token_urlsafe(32)
    port = env.get("PORT") or "8080"
    return WebSettings(
        secret_key=secret,
        gateway_url=(env.get("GATEWAY_INTERNAL_URL") or "").rstrip("/")
        or f"http://127.0.0.1:{port}",
        secure_cookies=env.get("PUBLIC_URL", "").startswith("https://"),
        trusted_hosts=default_trusted_hosts(env),
        session_store=default_session_store(env),
        federation_levels=parse_levels(env.get("FEDERATION_LEVELS")),
        affected_max_weight=affected_max_weight(env),
    )


def affected_max_weight(env: Mapping[str, str]) -> int:
    """POLLS_AFFECTED_MAX_WEIGHT as polls reads it: 2 to 5, default 3."""
    try:
        return min(max(int(env.get("POLLS_AFFECTED_MAX_WEIGHT") or 3), 2), 5)
    except ValueError:
        return 3
