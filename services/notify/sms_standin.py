"""A local stand-in for Twilio's Messages API, for tests and `make run`.

    python -m services.notify.sms_standin [--host 127.0.0.1] [--port 8125] [--sid S --token T]
        [--outbox DIR]

It answers `POST /2010-04-01/Accounts/{sid}/Messages.json` (form `To`, `From`, `Body`, basic
auth `sid:token`) like the real API: 201 with a message resource, 400 with Twilio's error codes
(21211 invalid `To`, 21602 missing `Body`, 21603 missing `From`), 401 (code 20003) for wrong
credentials. `GET` on the same path lists what it received. With `--sid` / `--token` the
credentials must match (`make run` passes the ones it gives notify); otherwise any are
accepted. `POST /_standin/fail` `{"status": 503, "count": 2}` makes the next calls fail, for
tests of retries. With `--outbox DIR` every message received is also a line of
`DIR/outbox.jsonl`, as notify writes without an SMS API (`make run` gives `$COUNCILS_RUN_DIR/sms`).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from services.notify.sms import FileSms, count_segments, is_e164

_PATH = re.compile(r"^/2010-04-01/Accounts/([A-Za-z0-9]+)/Messages\.json$")


class SmsStandIn:
    """The server and what it received; `start()` serves in a background thread."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        account_sid: str | None = None,
        auth_token: str | None = None,
        outbox: str | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.outbox = FileSms(outbox) if outbox else None
        self.auth_token = auth_token
        self.messages: list[dict] = []
        self.requests = 0
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        if isinstance(host, bytes):  # typeshed allows it; an AF_INET server gives a str
            host = host.decode()
        return f"http://{host}:{port}"

    def start(self) -> SmsStandIn:
        self._thread = threading.Thread(
            target=self.server.serve_forever, daemon=True, name="sms-standin"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, count: int = 1) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def _take_failure(self) -> int | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _authorised(self, sid: str, header: str | None) -> bool:
        if self.account_sid is None and self.auth_token is None:
            return True
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return (
            user == sid
            and (self.account_sid is None or user == self.account_sid)
            and (self.auth_token is None or password == self.auth_token)
        )

    def receive(self, sid: str, form: dict[str, str]) -> tuple[int, dict]:
        failure = self._take_failure()
        if failure is not None:
            return failure, _error(
                failure, 20500 if failure >= 500 else 20429, "Stand-in told to fail this request."
            )
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to or not is_e164(to):
            return 400, _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not sender:
            return 400, _error(400, 21603, "A 'From' phone number is required.")
        if not body:
            return 400, _error(400, 21602, "Message body is required.")
        now = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        message_sid = "SM" + uuid.uuid4().hex
        resource = {
            "sid": message_sid,
            "account_sid": sid,
            "to": to,
            "from": sender,
            "body": body,
            "status": "queued",
            "num_segments": str(count_segments(body).segments),
            "direction": "outbound-api",
            "date_created": now,
            "date_updated": now,
            "price": None,
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
        }
        with self._lock:
            self.messages.append(resource)
        if self.outbox is not None:
            self.outbox.write(message_sid, to, body)
        return 201, resource


def _error(status: int, code: int, message: str) -> dict:
    return {
        "code": code,
        "message": message,
        "status": status,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
    }


def _handler_for(standin: SmsStandIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real API

        def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's name
            pass

        def _reply(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def do_POST(self):  # noqa: N802 - http.server's naming
            raw = self._body()
            if self.path == "/_standin/fail":
                order = json.loads(raw or b"{}")
                standin.fail_next(int(order.get("status", 503)), int(order.get("count", 1)))
                return self._reply(200, {"ok": True})
            match = _PATH.match(self.path)
            if not match:
                return self._reply(404, _error(404, 20404, "The requested resource was not found"))
            sid = match.group(1)
            standin.requests += 1
            if not standin._authorised(sid, self.headers.get("Authorization")):
                return self._reply(401, _error(401, 20003, "Authenticate"))
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            self._reply(*standin.receive(sid, form))

        def do_GET(self):  # noqa: N802 - http.server's naming
            match = _PATH.match(self.path.split("?")[0])
            if not match:
                return self._reply(404, _error(404, 20404, "The requested resource was not found"))
            if not standin._authorised(match.group(1), self.headers.get("Authorization")):
                return self._reply(401, _error(401, 20003, "Authenticate"))
            with standin._lock:
                messages = list(reversed(standin.messages))
            self._reply(200, {"messages": messages, "page": 0, "page_size": len(messages)})

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A local stand-in for Twilio's Messages API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--sid", help="the account sid to require (default: any)")
    parser.add_argument("--token", help="the auth token to require (default: any)")
    parser.add_argument("--outbox", help="also write each message to DIR/outbox.jsonl")
    args = parser.parse_args(argv)
    standin = SmsStandIn(args.host, args.port, args.sid, args.token, args.outbox)
    print(f"SMS stand-in listening on {standin.url} (SMS_API_URL={standin.url})", flush=True)
    try:
        standin.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        standin.server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
