"""Links put in messages: signed one-click unsubscribe tokens (no login), poll, request and verify
URLs."""

from __future__ import annotations

import functools
import hmac
import json
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeSerializer
from itsdangerous.encoding import base64_encode

UNSUBSCRIBE_SALT = "councils.notify.unsubscribe"
UNSUBSCRIBE_PATH = "/api/v1/unsubscribe/"
UNSUBSCRIBE_PAGE_PATH = "/unsubscribe/"  # the gateway's page (gateway/web/views/settings.py)


class BadToken(ValueError):
    """The token was not signed by us (or was altered)."""


@functools.lru_cache(maxsize=8)
def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


@functools.lru_cache(maxsize=8)
def _signing_key(secret_key: str) -> tuple[bytes, str]:
    signer = _serializer(secret_key).make_signer()
    return signer.derive_key(), signer.digest_method().name


def unsubscribe_token(secret_key: str, member_id: str, category: str) -> str:
    """A token naming (member, category); it does not expire: old mail must keep working.

    What `URLSafeSerializer.dumps` writes, minus its attempt at zlib-compressing the payload
    (60 µs a token, a tenth of a bulk message's budget, for a payload too short to shrink);
    `loads` reads both forms."""
    payload = base64_encode(
        json.dumps(
            {"m": str(member_id), "c": category}, ensure_ascii=False, separators=(",", ":")
        ).encode()
    )
    key, digest = _signing_key(secret_key)
    signature = base64_encode(hmac.new(key, payload, digest).digest())
    return (payload + b"." + signature).decode("ascii")


@functools.lru_cache(maxsize=8)
def _reader(secret_keys: tuple[str, ...]) -> URLSafeSerializer:
    # itsdangerous takes a key list oldest first and checks a signature against each.
    return URLSafeSerializer(list(reversed(secret_keys)), salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(secret_keys: str | tuple[str, ...], token: str) -> tuple[str, str]:
    """(member, category) of a token signed with SECRET_KEY or, for mail sent before a
    rotation, one of the previous secrets (`Settings.secret_keys`, newest first)."""
    keys = (secret_keys,) if isinstance(secret_keys, str) else tuple(secret_keys)
    try:
        payload = _reader(keys).loads(token)
    except BadSignature:
        raise BadToken("unsubscribe token is not valid") from None
    if not isinstance(payload, dict) or "m" not in payload or "c" not in payload:
        raise BadToken("unsubscribe token is not valid")
    return str(payload["m"]), str(payload["c"])


def unsubscribe_url(public_url: str, secret_key: str, member_id: str, category: str) -> str:
    """The one-click address of the List-Unsubscribe header (RFC 8058: a POST, no login)."""
    token = unsubscribe_token(secret_key, member_id, category)
    return public_url.rstrip("/") + UNSUBSCRIBE_PATH + quote(token, safe="")


def unsubscribe_page(unsubscribe_url: str) -> str:
    """The web page the mail's own unsubscribe link opens, for the header's address: it says
    what stops, in the reader's language, and stops it when they press its button."""
    return unsubscribe_url.replace(UNSUBSCRIBE_PATH, UNSUBSCRIBE_PAGE_PATH, 1)


def verify_url(public_url: str, token: str) -> str:
    """The web page that verifies an address (it posts the token to the API)."""
    return f"{public_url.rstrip('/')}/verify?token={quote(token, safe='')}"


def reset_url(public_url: str, token: str) -> str:
    """The web page where a member sets a new password with a reset token."""
    return f"{public_url.rstrip('/')}/reset?token={quote(token, safe='')}"


ACCOUNT_LINKS = {
    "verify_email": ("verify_url", verify_url),
    "reset_password": ("reset_url", reset_url),
}


def poll_url(public_url: str, poll_id) -> str:
    return f"{public_url.rstrip('/')}/polls/{quote(str(poll_id), safe='')}"


def comment_url(public_url: str, subject_type: str, subject_id, comment_id) -> str:
    """A comment on its poll's or proposal's page."""
    collection = "proposals" if subject_type == "proposal" else "polls"
    return (
        f"{public_url.rstrip('/')}/{collection}/{quote(str(subject_id), safe='')}"
        f"#c-{quote(str(comment_id), safe='')}"
    )


def results_url(public_url: str, poll_id) -> str:
    """The poll's page, where its results are shown once counted (every link in mail opens a
    page, never raw JSON)."""
    return poll_url(public_url, poll_id) + "#results-h"


def challenges_url(public_url: str, poll_id) -> str:
    """The challenges to a poll's affected weights, on the poll's page (issue 18)."""
    return poll_url(public_url, poll_id) + "#challenges-h"


def request_url(public_url: str, request_id) -> str:
    """An upward request's page, where the level asked answers it (issue 18)."""
    return f"{public_url.rstrip('/')}/requests/{quote(str(request_id), safe='')}"


def petition_url(public_url: str, petition_id) -> str:
    """A recall petition's page (issue 7), where members read and sign it."""
    return f"{public_url.rstrip('/')}/recalls/{quote(str(petition_id), safe='')}"
