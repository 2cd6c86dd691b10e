"""One client of the gateway's public HTTP API, shared by the web front end and the CLI.

Pages call the API server-side with the member's bearer token from their session, the CLI with
its saved tokens; when the access token has expired, the refresh token is traded once for new
tokens.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests

METHODS_PATH = "/api/v1/polls/methods"
METHODS_KEPT_S = 300.0  # the table changes only with a release of polls
_methods: dict[str, tuple[float, dict[str, dict]]] = {}  # API base URL → (fetched, table)
_methods_lock = threading.Lock()


class ApiProblem(Exception):
    """An API answer in the one error shape (or a transport failure as a 502)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict | None = None,
        retry_after: str | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after  # a 429's Retry-After, passed on to the browser

    @classmethod
    def from_response(cls, response: requests.Response) -> ApiProblem:
        try:
            error = response.json().get("error") or {}
        except ValueError:
            error = {}
        return cls(
            response.status_code,
            error.get("code") or "error",
            error.get("message") or f"The server answered {response.status_code}.",
            error.get("fields") or {},
            response.headers.get("Retry-After"),
        )


@dataclass
class Tokens:
    access_token: str | None = None
    refresh_token: str | None = None
    refreshed: bool = field(default=False, compare=False)


class ApiClient:
    """One member's calls to the API for one page (tokens may be refreshed on the way)."""

    def __init__(
        self,
        base_url: str,
        session: requests.Session,
        tokens: Tokens | None = None,
        forwarded_for: str | None = None,
        language: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = session
        self.tokens = tokens or Tokens()
        self.forwarded_for = forwarded_for
        self.language = language
        self.timeout = timeout

    def _headers(self, extra: dict | None) -> dict:
        headers = {"Accept": "application/json"}
        if self.tokens.access_token:
            headers["Authorization"] = f"Bearer {self.tokens.access_token}"
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if self.language:
            headers["Accept-Language"] = self.language
        headers.update(extra or {})
        return headers

    def _send(self, method: str, path: str, json=None, params=None, headers=None):
        try:
            return self.http.request(
                method,
                self.base_url + path,
                json=json,
                params=params,
                headers=self._headers(headers),
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise ApiProblem(
                502,
                "unreachable",
                "The service could not be reached; please try again in a moment.",
            ) from exc

    def _refresh(self) -> bool:
        if not self.tokens.refresh_token:
            return False
        saved, self.tokens.access_token = self.tokens.access_token, None
        response = self._send(
            "POST", "/api/v1/auth/refresh", json={"refresh_token": self.tokens.refresh_token}
        )
        if response.status_code != 200:
            self.tokens.access_token = saved
            return False
        body = response.json()
        self.tokens.access_token = body.get("access_token")
        self.tokens.refresh_token = body.get("refresh_token") or self.tokens.refresh_token
        self.tokens.refreshed = True
        return True

    def call(self, method: str, path: str, json=None, params=None, headers=None):
        """The JSON body of a 2xx answer (None for 204); ApiProblem otherwise."""
        response = self._send(method, path, json, params, headers)
        if response.status_code == 401 and self.tokens.access_token and self._refresh():
            response = self._send(method, path, json, params, headers)
        if response.status_code >= 400:
            raise ApiProblem.from_response(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def voting_methods(self) -> dict[str, dict]:
        """Method name → {method, form, settings, launchable, options}: polls' one table of
        voting methods (GET /api/v1/polls/methods), kept per process for a few minutes."""
        now = time.monotonic()
        with _methods_lock:
            known = _methods.get(self.base_url)
        if known is not None and now - known[0] < METHODS_KEPT_S:
            return known[1]
        table = {entry["method"]: entry for entry in self.get(METHODS_PATH)["methods"]}
        with _methods_lock:
            _methods[self.base_url] = (now, table)
        return table

    def get(self, path: str, **params):
        return self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path: str, json=None, headers=None):
        return self.call("POST", path, json=json, headers=headers)
