"""What the page may read from the member's own access token without verifying it: the API
verifies every token it is sent; the page only uses this to mark "this device" in a list."""

from __future__ import annotations

import base64
import binascii
import json


def session_of(access_token: str | None) -> str | None:
    """The session (login) an access token belongs to, its `sid` claim, or None."""
    try:
        payload = (access_token or "").split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return None
    sid = claims.get("sid") if isinstance(claims, dict) else None
    return str(sid) if sid else None
