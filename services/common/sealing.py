"""One-time account tokens (email verification, password reset) sealed for the mailer.

Members stores only a token's SHA-256 and hands notify the token sealed with AES-GCM under a key
derived from SECRET_KEY, so that the outbox, the broker, notify's tables and their backups hold
nothing a reader without SECRET_KEY can replay. The purpose is bound in as associated data: a
sealed verification token does not open as a reset token.
"""

from __future__ import annotations

import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"councils.account-token.v1"
PREFIX = "v1."


class SealError(ValueError):
    """The sealed token was not made with any of the keys given (or was altered)."""


@functools.lru_cache(maxsize=8)
def _key(secret_key: str) -> AESGCM:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        secret_key.encode()
    )
    return AESGCM(raw)


def seal(secret_key: str, purpose: str, token: str) -> str:
    nonce = os.urandom(12)
    box = _key(secret_key).encrypt(nonce, token.encode(), purpose.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + box).decode("ascii").rstrip("=")


def unseal(secret_keys: str | tuple[str, ...], purpose: str, sealed: str) -> str:
    """The token, trying SECRET_KEY and then the previous secrets (newest first)."""
    keys = (secret_keys,) if isinstance(secret_keys, str) else tuple(secret_keys)
    if not isinstance(sealed, str) or not sealed.startswith(PREFIX):
        raise SealError("not a sealed token")
    body = sealed[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise SealError("not a sealed token") from None
    if len(raw) < 12 + 16:
        raise SealError("not a sealed token")
    for key in keys:
        try:
            return _key(key).decrypt(raw[:12], raw[12:], purpose.encode()).decode()
        except (InvalidTag, UnicodeDecodeError):
            continue
    raise SealError("sealed with another key or altered")
