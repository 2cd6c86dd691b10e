"""Verified access tokens remembered for their lifetime, so a client's every request does not
pay for an EdDSA signature check at the edge.

Safe because the gateway only vouches for a token's signature, which cannot change while it is
unexpired: the key set is fixed for the process, and an entry is keyed by the whole token
string (a different token, however similar, is verified afresh) and dropped as soon as its
`exp` passes. Only successful verifications are kept; failures are checked every time.
Bounded: the oldest entries go first.

Revocation (a logout, a suspension, a deleted member: `services/common/revocation.py`) is not
decided here: the gateway answers no API request itself, and every service it forwards to checks
the token against its deny-list, so a revoked token is refused within about a second.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from services.common.auth import Identity, public_keys, verify_access_token

MAX_ENTRIES = 10_000


class TokenCache:
    def __init__(
        self,
        public_key: str,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`clock` gives the current Unix time (wall clock, as a token's `exp` is); tests pass
        their own instead of patching `time.time` for the whole process."""
        public_keys(public_key)  # a bad JWT_PUBLIC_KEY stops the gateway at start (ConfigError)
        self.public_key = public_key  # one or more PEMs
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[Identity, float]] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, token: str) -> Identity:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(token)
            if entry is not None:
                if entry[1] > now:
                    return entry[0]
                del self._entries[token]
        identity = verify_access_token(self.public_key, token)  # raises the 401s
        exp = _expiry(token)
        if exp is not None:
            with self._lock:
                self._entries[token] = (identity, exp)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return identity


def _expiry(token: str) -> float | None:
    """`exp` of a token that was verified just now (so its payload is read without checking
    the signature again)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        exp = claims.get("exp")
    except (IndexError, ValueError, AttributeError):
        return None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None
