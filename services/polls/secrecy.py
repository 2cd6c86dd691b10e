"""Ballot secrecy: per-poll keys, receipts, padded sealed slots (the argument in full, with what
an operator holding SECRET_KEY can and cannot learn, is docs/security.md).

The threat (ARCHITECTURE.md): whoever holds any copy of the data — a dump, a base backup, the WAL
archive, the logs — but not SECRET_KEY must not learn how anyone voted; participation may be
known. What we do:

- **The per-poll key lives outside the database.** K = HMAC-SHA256(SECRET_KEY, poll id ‖ salt);
  the salt is a random row in `poll_keys` (deleted at close), SECRET_KEY only in the environment.
  From K: receipt = HMAC(K, member) (so a retry gets the same receipt without storing it, and a
  change is checked against the caller), slot = HMAC(K, receipt), and the sealing key.
- **A cast writes one row, which names nobody.** `ballot_slots (poll_id, slot, sealed)`: the slot
  id is a keyed hash, `sealed` is AES-GCM of the ballot *padded to one size per poll* (padding.py:
  the size follows from the questions, never from the answers). No roll row, no retry tag in
  clear, no row lock and no foreign-key check (an advisory lock keeps a close out): so no `xmin`,
  `xmax`, order or timestamp pairs a member with a ballot, and every row and WAL record a cast
  writes has one length whatever the answers. A change deletes and re-inserts the voter's slot
  (one slot per voter; an UPDATE's WAL record would be compressed against the old tuple). The
  Idempotency-Key's tag HMAC(K, member, key) travels inside the sealed ballot, so a key reused
  with other answers is refused (409) without anything in clear.
- **Close, in one transaction**: the roll is worked out under K (each elector's slot looked up)
  and written sorted by member id; the slots are opened, shuffled with a CSPRNG and published as
  bare contents (random ids, no receipt); the receipts' commitments SHA-256(receipt) are
  published apart, sorted (receipt-free: a receipt proves "counted", never what); the slots and
  the salt are deleted (and VACUUMed by the worker). Roll, ballots and commitments share that one
  xid, in independent orders; without the salt K is gone, so SECRET_KEY alone links nothing.
- **Rotating SECRET_KEY.** Beside the salt, `poll_keys` keeps a check value derived from K
  (one-way): a poll opened before a rotation keeps working while its old secret is listed in
  SECRET_KEY_PREVIOUS; if that secret is gone, casting and closing are refused (503).

Residual risks, stated plainly (docs/security.md): a copy taken *while the poll is open* (the WAL
archive included, until it expires) together with SECRET_KEY links everything; dead tuples keep
ciphertext and salts until VACUUM; WAL commit times show when *a* ballot was cast or changed.
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
