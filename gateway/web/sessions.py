"""Sessions kept on the server: the cookie carries a random, signed session id and nothing else.

A member's tokens, ballot drafts and form drafts stay in a store the browser never sees; logging
in or out replaces the id and forgets what the old one held, so an old cookie replayed later
finds nothing. Stores (WEB_SESSION_STORE): `redis://...` (several gateway processes or hosts),
`file:///dir` (one host: `make run`'s gunicorn workers share `.run/web-sessions`), `memory://`
(one process: tests).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol, cast

from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer
from werkzeug.datastructures import CallbackDict

SWEEP_EVERY = 200  # one save in this many also forgets expired sessions
ANONYMOUS_TTL = 3 * 3600  # seconds a session without a member is kept


class SessionStore(Protocol):
    def load(self, key: str) -> dict | None: ...
    def save(self, key: str, data: dict, ttl: int) -> None: ...
    def delete(self, key: str) -> None: ...


class MemoryStore:
    def __init__(self) -> None:
        self._items: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def load(self, key: str) -> dict | None:
        with self._lock:
            expires, text = self._items.get(key, (0.0, ""))
            if expires < time.time():
                self._items.pop(key, None)
                return None
        return json.loads(text)

    def save(self, key: str, data: dict, ttl: int) -> None:
        now = time.time()
        with self._lock:
            if secrets.randbelow(SWEEP_EVERY) == 0:
                for old in [k for k, (expires, _t) in self._items.items() if expires < now]:
                    del self._items[old]
            self._items[key] = (now + ttl, json.dumps(data))

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)


class FileStore:
    """One file per session (mode 0600), named by the hash of its id; expired by mtime."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    def load(self, key: str) -> dict | None:
        path = self.directory / key
        try:
            if path.stat().st_mtime < time.time():
                path.unlink(missing_ok=True)
                return None
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def save(self, key: str, data: dict, ttl: int) -> None:
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".new-")
        with os.fdopen(fd, "w") as handle:  # mkstemp: readable by this user only
            json.dump(data, handle)
        expires = time.time() + ttl
        os.utime(temporary, (expires, expires))
        os.replace(temporary, self.directory / key)
        if secrets.randbelow(SWEEP_EVERY) == 0:
            self.sweep()

    def sweep(self) -> None:
        """Forget the sessions that expired (abandoned ones are never loaded again)."""
        now = time.time()
        for path in self.directory.iterdir():
            try:
                if path.stat().st_mtime < now:
                    path.unlink(missing_ok=True)
            except OSError:
                continue

    def delete(self, key: str) -> None:
        (self.directory / key).unlink(missing_ok=True)


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def load(self, key: str) -> dict | None:
        # redis types its blocking and asyncio clients alike: this one answers bytes or None.
        text = cast("bytes | None", self.redis.get(f"councils:web-session:{key}"))
        return json.loads(text) if text else None

    def save(self, key: str, data: dict, ttl: int) -> None:
        self.redis.setex(f"councils:web-session:{key}", ttl, json.dumps(data))

    def delete(self, key: str) -> None:
        self.redis.delete(f"councils:web-session:{key}")


def open_store(uri: str) -> SessionStore:
    if uri.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(uri)
    if uri.startswith("file://"):
        return FileStore(uri.removeprefix("file://"))
    if uri == "memory://":
        return MemoryStore()
    raise ValueError(
        f"WEB_SESSION_STORE must be redis://..., file:///dir or memory://, got {uri!r}"
    )


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str | None = None) -> None:
        def changed(_self) -> None:
            self.modified = True

        super().__init__(initial or {}, changed)
        self.new = sid is None
        self.sid = sid or secrets.token_urlsafe(32)
        self.ended: list[str] = []
        self.modified = False

    def regenerate(self) -> None:
        """A new id for what follows (login, logout); what the old id held is forgotten."""
        if not self.new:
            self.ended.append(self.sid)
        self.sid = secrets.token_urlsafe(32)
        self.new = True
        self.modified = True


def _key(sid: str) -> str:
    """The store's key for a session: a hash, so that the store's listing holds no cookie."""
    return hashlib.sha256(sid.encode()).hexdigest()


class ServerSessionInterface(SessionInterface):
    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def _signer(self, app) -> Signer:
        return Signer(app.secret_key, salt="councils-web-session")

    def open_session(self, app, request) -> ServerSession:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if cookie:
            try:
                sid = self._signer(app).unsign(cookie).decode()
            except BadSignature:
                sid = None
            data = self.store.load(_key(sid)) if sid else None
            if data is not None:
                return ServerSession(data, sid)
        return ServerSession()

    # Flask hands back the session this interface opened: a ServerSession.
    def save_session(self, app, session: ServerSession, response) -> None:  # type: ignore[override]
        for old in session.ended:
            self.store.delete(_key(old))
        name, domain, path = (
            self.get_cookie_name(app),
            self.get_cookie_domain(app),
            self.get_cookie_path(app),
        )
        if not session:
            if not session.new:
                self.store.delete(_key(session.sid))
            if session.ended or (not session.new and session.modified):
                response.delete_cookie(name, domain=domain, path=path)
            return
        ttl = int(app.permanent_session_lifetime.total_seconds())
        if not session.get("access_token"):
            ttl = min(ttl, ANONYMOUS_TTL)  # a visitor's CSRF token and language: not for long
        if session.modified or session.new or self.should_set_cookie(app, session):
            self.store.save(_key(session.sid), dict(session), ttl)
            response.set_cookie(
                name,
                self._signer(app).sign(session.sid).decode(),
                expires=self.get_expiration_time(app, session),
                httponly=True,
                domain=domain,
                path=path,
                secure=self.get_cookie_secure(app),
                samesite=self.get_cookie_samesite(app),
            )
        response.vary.add("Cookie")
