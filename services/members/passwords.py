"""Password hashing (argon2id) and the strength rule every new password must pass."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256

# The most common passwords of at least MIN_LENGTH characters (and their obvious variants);
# shorter ones are refused by length already.
COMMON = frozenset(
    """
    1234567890 0123456789 12345678910 1234567891 0987654321 1111111111 0000000000 1q2w3e4r5t
    qwertyuiop qwerty1234 qwerty12345 1qaz2wsx3edc qazwsxedc123 password12 password123
    password1234 password12345 passw0rd123 p@ssw0rd123 iloveyou12 iloveyou123 abcdefghij
    abc1234567 abcd123456 123456789a a123456789 aaaaaaaaaa letmein123 welcome123 welcome1234
    administrator admin12345 admin123456 sunshine12 princess12 football12 baseball12
    superman12 trustno1234 changeme123 changeme1234 computer12 internet12 starwars12
    whatever12 dragon1234 monkey1234 master1234 michael123 jennifer12 jordan2323 1234qwerty
    123456qwerty qwertyuiop1 asdfghjkl1 zxcvbnm123 q1w2e3r4t5 q1w2e3r4t5y6 1q2w3e4r5t6y
    password password1 passwordpassword qwertyqwerty 123123123123 12341234 1234512345
    11223344556677 123454321 987654321 9876543210 10203040506 councils123 councils1234
    """.split()
)


def strength_problems(
    password: str, *, email: str = "", display_name: str = "", min_length: int = MIN_LENGTH
) -> list[str]:
    """Why `password` is too weak (empty when it is acceptable)."""
    problems = []
    if len(password) < min_length:
        problems.append(f"Use at least {min_length} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in COMMON or lowered.rstrip("!.1") in COMMON:
        problems.append("This password is one of the most common ones; choose another.")
    elif len(set(password)) < 4:
        problems.append("Use more different characters.")
    local = email.split("@", 1)[0].lower()
    if lowered and (
        lowered == email.lower()
        or (len(local) >= 4 and lowered == local)
        or lowered == display_name.strip().lower()
    ):
        problems.append("Do not use your email address or name as a password.")
    return problems


@functools.lru_cache(maxsize=4)
def hasher(profile: str = "default") -> PasswordHasher:
    """argon2id; the `fast` profile (tests, benchmarks) is cheap and must never run in
    production."""
    if profile == "fast":
        return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    return PasswordHasher()  # RFC 9106 low-memory profile: t=3, m=64 MiB, p=4


def hash_password(password: str, profile: str = "default") -> str:
    return hasher(profile).hash(password)


def verify_password(stored: str, password: str, profile: str = "default") -> bool:
    try:
        return hasher(profile).verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, profile: str = "default") -> bool:
    try:
        return hasher(profile).check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return False


@functools.lru_cache(maxsize=4)
def dummy_hash(profile: str = "default") -> str:
    """A hash to verify against when no member has the address, so timing tells nothing."""
    return hash_password("not-a-real-password-for-timing", profile)
