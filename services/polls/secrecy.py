"""Ballot secrecy: per-poll keys, receipts, sealed ballots.

The threat (ARCHITECTURE.md): someone holding a copy of the polls database — a backup, a
database administrator — must not be able to link a ballot to its voter. What we do:

- **Roll and ballots apart.** `roll (poll_id, member_id)` says who voted; `ballots (id,
  poll_id, receipt_hash, weight, answers)` says what was voted. No shared id (ballot ids are
  random UUIDs), no timestamps on either.
- **No pairing by transaction id or insertion order.** A cast writes its roll row and a *sealed*
  ballot in one transaction (so a crash never leaves one without the other). Those two rows do
  share an `xmin`, but the sealed row is AES-GCM ciphertext under the poll's key, with a random
  id: without the key it says nothing. At close, one transaction opens every sealed ballot of
  the poll, shuffles them with a CSPRNG and writes them into `ballots`; every published ballot
  of a poll therefore carries the same `xmin` and a physical order that is random, and the sealed
  rows are deleted (the worker VACUUMs the table afterwards so dead tuples do not linger).
- **The per-poll key lives outside the database.** key = HMAC-SHA256(SECRET_KEY, poll id ‖
  salt); the salt is a random row in `poll_keys`, SECRET_KEY only in the environment. While the
  poll is open the key links a member to their receipt (what vote changes and idempotent retries
  need): receipt = HMAC(key, member id), so a retry gets the same receipt back without storing
  it, and a change of vote (PUT with the receipt) is checked against the caller. At close the
  salt is deleted (and VACUUMed): from then on the receipt cannot be recomputed, the retry tags
  are cleared and the sealed ballots are gone, so nothing in (or beside) the database links a
  ballot to a member any more.
- **Rotating SECRET_KEY.** Beside the salt, `poll_keys` keeps a check value derived from the
  poll's key (one-way: it tells which secret made the key, nothing of the key itself). A poll
  opened before a rotation keeps working while its old secret is listed in SECRET_KEY_PREVIOUS;
  if that secret is gone, casting and closing are refused (503) rather than sealing ballots
  under a key that close could not open.
- **Receipts.** The voter keeps the receipt (an unguessable 144-bit token); the database keeps
  only SHA-256(receipt). After close every ballot is published under its receipt hash and a
  member finds theirs by presenting the receipt.

Residual risks, stated plainly: a copy taken *while the poll is open* together with SECRET_KEY
can link (the threat model allows that link while open); PostgreSQL's WAL and unvacuumed pages
may keep old bytes for a while, but those bytes are ciphertext or salts that are useless without
SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.polls.padding import pad, unpad

SALT_BYTES = 32
RECEIPT_BYTES = 18
CHECK_BYTES = 16


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


class KeyUnavailable(Exception):
    """None of the configured secrets made this poll's key (SECRET_KEY rotated without keeping
    the old one in SECRET_KEY_PREVIOUS)."""


class PollKey:
    """The key of one open poll: derives receipts and retry tags, seals and opens ballots."""

    def __init__(self, secret_key: str, poll_id: uuid.UUID | str, salt: bytes) -> None:
        self.poll_id = str(poll_id)
        material = b"councils.polls.poll-key\x00" + self.poll_id.encode() + b"\x00" + bytes(salt)
        self._key = hmac.new(secret_key.encode(), material, hashlib.sha256).digest()
        self._aead = AESGCM(self._derive(b"seal"))

    def _derive(self, label: bytes, *parts: str) -> bytes:
        message = label + b"".join(b"\x00" + p.encode() for p in parts)
        return hmac.digest(self._key, message, "sha256")

    def check_value(self) -> bytes:
        return self._derive(b"check")[:CHECK_BYTES]

    def receipt(self, member_id: str) -> str:
        raw = self._derive(b"receipt", member_id)[:RECEIPT_BYTES]
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def owns(self, member_id: str, receipt: str) -> bool:
        return hmac.compare_digest(self.receipt(member_id), receipt)

    def retry_tag(self, member_id: str, idempotency_key: str) -> str:
        return self._derive(b"retry", member_id, idempotency_key).hex()

    def slot(self, receipt: str) -> bytes:
        """Where the ballot cast with `receipt` lives while the poll is open: a keyed hash, so
        that without the key a slot names nobody (and the receipt finds it, for the check)."""
        return self._derive(b"slot", receipt)

    def seal(
        self, receipt_hash: str, answers: list, weight: int, size: int, retry: str | None = None
    ) -> bytes:
        """AES-GCM of the ballot padded to `size` (the poll's one length, padding.ballot_size):
        the receipt's hash, the answers, the weight, a version (the latest counts) and the tag of
        the Idempotency-Key that cast it (so a retry is recognised, under the key only)."""
        payload = pad(
            {"r": receipt_hash, "a": answers, "w": weight, "v": time.time_ns(), "t": retry}, size
        )
        nonce = secrets.token_bytes(12)
        return nonce + self._aead.encrypt(nonce, payload, self.poll_id.encode())

    def open(self, sealed: bytes) -> dict:
        sealed = bytes(sealed)
        return unpad(self._aead.decrypt(sealed[:12], sealed[12:], self.poll_id.encode()))


def new_poll_key(secret_key: str, poll_id) -> tuple[bytes, bytes]:
    """(salt, check value) to store for a new poll, its key made with `secret_key`."""
    salt = new_salt()
    return salt, PollKey(secret_key, poll_id, salt).check_value()


def poll_key(secret_keys: tuple[str, ...], poll_id, salt: bytes, check: bytes | None) -> PollKey:
    """The poll's key, made with whichever of `secret_keys` (newest first) made it at first."""
    if check is None:  # stored before check values existed: the current secret, as then
        return PollKey(secret_keys[0], poll_id, salt)
    for secret in secret_keys:
        key = PollKey(secret, poll_id, salt)
        if hmac.compare_digest(key.check_value(), bytes(check)):
            return key
    raise KeyUnavailable(str(poll_id))


RECEIPT_PATTERN = r"^[A-Za-z0-9_-]{24}$"  # 18 bytes, base64url without padding


def receipt_hash(receipt: str) -> str:
    """The receipt's commitment: what the sealed ballot carries, and what is published (in the
    sorted list of counted receipts, apart from the ballots) after close."""
    return hashlib.sha256(receipt.encode()).hexdigest()


def shuffled(items: list) -> list:
    """A uniformly random permutation drawn from the OS's CSPRNG (never from ballot order)."""
    items = list(items)
    rng = secrets.SystemRandom()
    rng.shuffle(items)
    return items
