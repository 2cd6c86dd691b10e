"""Bounded open-loop load through the gateway: ballots with Idempotency-Keys, retried on
connection errors, 5xx and 429 until acknowledged or the deadline; every answer tallied."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

PASSWORD = "Correct-horse-battery-9"
ADMIN = ("faults-admin@example.org", "Faults-admin-password-1!")


class Api:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method, path, body=None, token=None, headers=None, timeout=10):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(
            method, self.url + path, json=body, headers=headers, timeout=timeout
        )

    def steady(self, method, path, body=None, token=None, patience_s=60.0):
        """`call` for the harness's own set-up and counting (not under test): retried through
        connection errors, timeouts, 5xx and 429 for up to `patience_s`."""
        deadline = time.monotonic() + patience_s
        while True:
            try:
                reply = self.call(method, path, body, token)
                if reply.status_code < 500 and reply.status_code != 429:
                    reply.raise_for_status()
                    return reply
            except (requests.ConnectionError, requests.Timeout):
                reply = None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{method} {path}: {reply and reply.status_code}")
            time.sleep(0.5)  # pacing the retries while the stack recovers

    def token(self, email, password=PASSWORD) -> str:
        reply = self.steady("POST", "/api/v1/auth/login", {"email": email, "password": password})
        return reply.json()["access_token"]

    def voters(self, n: int, tag: str) -> list[str]:
        """Tokens of `n` new members approved by the admin."""
        admin = self.token(*ADMIN)
        tokens = []
        for i in range(n):
            email = f"{tag}-{i}-{uuid.uuid4().hex[:6]}@example.org"
            reply = self.steady(
                "POST",
                "/api/v1/auth/register",
                {
                    "email": email,
                    "password": PASSWORD,
                    "display_name": f"Voter {i}",
                    "country": "GB",
                },
            )
            self.steady("POST", f"/api/v1/members/{reply.json()['id']}/approve", token=admin)
            tokens.append(self.token(email))
        return tokens

    def open_poll(self, title: str) -> tuple[str, str]:
        now = dt.datetime.now(dt.UTC)
        reply = self.steady(
            "POST",
            "/api/v1/polls",
            token=self.token(*ADMIN),
            body={
                "title": title,
                "scope": {"type": "organisation"},
                "opens_at": now.isoformat(),
                "closes_at": (now + dt.timedelta(hours=2)).isoformat(),
                "questions": [{"text": "Which?", "method": "borda", "options": ["a", "b", "c"]}],
            },
        )
        poll = reply.json()
        return poll["id"], poll["questions"][0]["id"]

    def close_and_count(self, poll_id: str) -> tuple[int, int]:
        """(stored, counted): the roll's size before closing, the result's voters after."""
        admin = self.token(*ADMIN)
        stored = self.steady("GET", f"/api/v1/polls/{poll_id}", token=admin).json().get("voters")
        self.steady("POST", f"/api/v1/polls/{poll_id}/close", token=admin)
        results = self.steady("GET", f"/api/v1/polls/{poll_id}/results", token=admin).json()
        return stored, results["voters"]


@dataclass
class Tally:
    attempted: int = 0
    acknowledged: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int | None = None, error: str | None = None) -> None:
        with self.lock:
            if status is not None:
                self.statuses[status] += 1
            if error:
                self.errors[error] += 1

    @property
    def server_errors(self) -> dict[int, int]:
        return {s: n for s, n in self.statuses.items() if s >= 500}


def cast_all(
    api: Api,
    tokens: list[str],
    poll_id: str,
    question_id: str,
    rate_per_s: float,
    deadline_s: float = 90.0,
) -> Tally:
    """One ballot per token, started open-loop at `rate_per_s`, each retried with the same
    Idempotency-Key until acknowledged or `deadline_s` after its start."""
    tally = Tally(attempted=len(tokens))
    start = time.monotonic()

    def one(index: int, token: str) -> None:
        time.sleep(max(0.0, start + index / rate_per_s - time.monotonic()))  # open-loop pacing
        key = str(uuid.uuid4())
        body = {"answers": [{"question_id": question_id, "ranking": ["abc"[index % 3]]}]}
        give_up = time.monotonic() + deadline_s
        while time.monotonic() < give_up:
            try:
                reply = api.call(
                    "POST",
                    f"/api/v1/polls/{poll_id}/ballots",
                    body,
                    token,
                    headers={"Idempotency-Key": key},
                )
            except requests.RequestException as exc:
                tally.record(error=type(exc).__name__)
                time.sleep(0.5)  # pacing the retry of this ballot
                continue
            tally.record(status=reply.status_code)
            if reply.status_code in (200, 201):
                with tally.lock:
                    tally.acknowledged += 1
                return
            if reply.status_code < 500 and reply.status_code != 429:
                return  # refused for good: not acknowledged
            time.sleep(float(reply.headers.get("Retry-After") or 0.5))  # as the server asks

    with ThreadPoolExecutor(max_workers=16) as pool:
        for index, token in enumerate(tokens):
            pool.submit(one, index, token)
    return tally
