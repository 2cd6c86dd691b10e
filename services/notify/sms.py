"""SMS: E.164 numbers, segment counting, and a provider adapter speaking Twilio's Messages API.

`POST {SMS_API_URL}/2010-04-01/Accounts/{SMS_ACCOUNT_SID}/Messages.json`, form-encoded
`To`, `From` (`SMS_FROM`) and `Body`, HTTP basic auth `sid:token`. With no `SMS_API_URL` the
messages are appended to `SMS_DIR/outbox.jsonl` (default `$COUNCILS_RUN_DIR/sms/`, `.run/sms/`)
for a developer to read; under `make run` the stand-in (`sms_standin`) writes the same lines there.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from services.notify.mail import ConnectionFailure, PermanentFailure, TransientFailure

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_SEPARATORS = re.compile(r"[\s().\-/]")

# GSM 03.38 basic character set, and the extension table (each costs two septets).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def normalise_phone(raw: str | None) -> str | None:
    """The E.164 form of `raw` ('+34 600-123-456' → '+34600123456'), or None if it is not one.

    Only international numbers are accepted: without a leading '+' the country is unknown."""
    if raw is None:
        return None
    candidate = _SEPARATORS.sub("", str(raw))
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    return candidate if E164.match(candidate) else None


def is_e164(number: str | None) -> bool:
    return number is not None and E164.match(number) is not None


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def count_segments(body: str) -> Segments:
    """How many SMS segments `body` takes: GSM-7 160 (153 per part when concatenated),
    else UCS-2 70 (67 per part), counting UTF-16 code units (emoji take two)."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in body)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units <= single:
        return Segments(encoding, units, 1 if units else 0)
    return Segments(encoding, units, -(-units // multi))


class TwilioSms:
    """The Messages API client; 429 and 5xx are transient, other 4xx permanent."""

    def __init__(
        self, api_url: str, account_sid: str, auth_token: str, sender: str, timeout: float = 10.0
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.sender = sender
        self.timeout = timeout
        self._session = requests.Session()  # keep-alive: connections reused across messages

    def describe(self) -> str:
        return f"SMS API {self.url}"

    def send(self, to: str, body: str) -> str:
        """Send; returns the provider's message sid."""
        if not is_e164(to):
            raise PermanentFailure(f"not an E.164 number: {to!r}")
        try:
            response = self._session.post(
                self.url,
                data={"To": to, "From": self.sender, "Body": body},
                auth=self.auth,
                timeout=self.timeout,
            )
        except requests.ConnectionError as exc:
            raise ConnectionFailure(f"cannot reach the SMS API: {exc}") from exc
        except requests.RequestException as exc:
            raise TransientFailure(f"SMS API request failed: {exc}") from exc
        if response.status_code in (200, 201):
            try:
                return str(response.json().get("sid", ""))
            except ValueError:
                return ""
        detail = _error_detail(response)
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientFailure(f"SMS API {response.status_code}: {detail}")
        if response.status_code in (401, 403):
            # Our credentials, not the recipient: retry until an operator fixes them.
            raise ConnectionFailure(f"SMS API {response.status_code}: {detail}")
        raise PermanentFailure(f"SMS API {response.status_code}: {detail}")

    def close(self) -> None:
        self._session.close()


def _error_detail(response: requests.Response) -> str:
    try:
        body = response.json()
        return f"{body.get('code', '')} {body.get('message', '')}".strip()
    except ValueError:
        return response.text[:200]


class FileSms:
    """Development outbox: one JSON line per message in `directory/outbox.jsonl`."""

    _lock = threading.Lock()

    def __init__(self, directory: str | os.PathLike) -> None:
        self.path = Path(directory).resolve() / "outbox.jsonl"

    def describe(self) -> str:
        return f"lines in {self.path}"

    def send(self, to: str, body: str) -> str:
        if not is_e164(to):
            raise PermanentFailure(f"not an E.164 number: {to!r}")
        return self.write(f"FILE{time.time_ns()}", to, body)

    def write(self, sid: str, to: str, body: str) -> str:
        """One line for a message (also the SMS stand-in's record of what it received)."""
        line = json.dumps({"sid": sid, "to": to, "body": body, "at": time.time()})
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
        except OSError as exc:
            raise TransientFailure(f"cannot write SMS file: {exc}") from exc
        return sid

    def close(self) -> None:
        pass
