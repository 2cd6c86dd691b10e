"""What every `councils` command shares: its error, the saved credentials, the API client."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import requests

from gateway.client import ApiClient, Tokens

DEFAULT_URL = "http://127.0.0.1:8080"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CliError(Exception):
    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


# --- credentials ---------------------------------------------------------------------------


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "councils"


def load_credentials() -> dict:
    path = config_dir() / "credentials.json"
    if path.exists():
        try:
            return json.loads(path.read_text())
        except ValueError:
            return {}
    return {}


def save_credentials(data: dict) -> Path:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "credentials.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out)
    return path


def gateway_url(args) -> str:
    return (
        args.url or os.environ.get("COUNCILS_URL") or load_credentials().get("url") or DEFAULT_URL
    ).rstrip("/")


def client(args, authenticated: bool = True) -> ApiClient:
    session = requests.Session()
    session.trust_env = False
    url = gateway_url(args)
    saved = load_credentials()
    tokens = Tokens()
    if os.environ.get("COUNCILS_TOKEN"):
        tokens.access_token = os.environ["COUNCILS_TOKEN"]
    elif saved.get("url", url).rstrip("/") == url:
        tokens = Tokens(saved.get("access_token"), saved.get("refresh_token"))
    if authenticated and not tokens.access_token:
        raise CliError("not logged in: run `councils login` (or set COUNCILS_TOKEN)")
    return ApiClient(url, session, tokens, timeout=args.timeout)


def remember(api: ApiClient) -> None:
    """Keep tokens that were refreshed on the way."""
    if api.tokens.refreshed and not os.environ.get("COUNCILS_TOKEN"):
        saved = load_credentials()
        saved.update(access_token=api.tokens.access_token, refresh_token=api.tokens.refresh_token)
        save_credentials(saved)


class Progress:
    """A progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self.tty = sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            sys.stderr.write(
                f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
            )
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif self.done == self.total or self.done % 50 == 0:
            print(f"{self.label}: {self.done}/{self.total}", file=sys.stderr)
