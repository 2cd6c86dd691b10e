"""The gateway's per-process caches: verified tokens (gateway/tokencache.py) and the swept
in-memory rate-limit storage (gateway/limitstore.py)."""

from __future__ import annotations

import datetime as dt
import time

import jwt
import pytest

from gateway import tokencache
from gateway.limitstore import SweptMemoryStorage, storage_uri
from services.common.auth import Identity, generate_keypair, issue_access_token
from services.common.config import ConfigError
from services.common.errors import ApiError


@pytest.fixture(scope="module")
def keys():
    return generate_keypair()


def test_a_verified_token_is_remembered_until_it_expires(keys, monkeypatch):
    private, public = keys
    now = [time.time()]
    cache = tokencache.TokenCache(public, clock=lambda: now[0])
    token = issue_access_token(private, Identity("m1", "active"))
    calls = []
    real = tokencache.verify_access_token

    def counting(key, value):
        calls.append(value)
        return real(key, value)

    monkeypatch.setattr(tokencache, "verify_access_token", counting)
    assert cache.verify(token).member_id == "m1"
    assert cache.verify(token).member_id == "m1"
    assert len(calls) == 1
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    now[0] = exp  # the cache's own clock reaches the exp; the process's clock is untouched
    cache.verify(token)  # past its exp, the cache no longer answers: verified again
    assert len(calls) == 2


def test_bad_tokens_are_never_remembered(keys):
    private, public = keys
    _, other_public = generate_keypair()
    cache = tokencache.TokenCache(other_public)
    token = issue_access_token(private, Identity("m2", "active"))
    for _ in range(2):
        with pytest.raises(ApiError):
            cache.verify(token)
    assert not cache._entries
    expired = jwt.encode(
        {"sub": "m3", "iss": "councils", "typ": "access", "iat": 1, "exp": 2}, "x" * 32, "HS256"
    )
    with pytest.raises(ApiError):
        tokencache.TokenCache(public).verify(expired)


def test_the_cache_is_bounded(keys):
    private, public = keys
    cache = tokencache.TokenCache(public, max_entries=3)
    for n in range(5):
        cache.verify(issue_access_token(private, Identity(f"m{n}", "active")))
    assert len(cache._entries) == 3


def test_memory_storage_is_swept_lazily():
    assert storage_uri("memory://") == "gateway-memory://"
    assert storage_uri("redis://host:6379") == "redis://host:6379"
    storage = SweptMemoryStorage("gateway-memory://")
    assert storage.incr("k", 60) == 1
    assert storage.incr("k", 60) == 2
    assert storage.get("k") == 2
    storage.incr("short", 0.001)
    deadline = dt.datetime.now() + dt.timedelta(seconds=1)
    while dt.datetime.now() < deadline and storage.get("short"):
        pass
    assert storage.get("short") == 0  # expired counters read as zero without waiting a sweep


def test_the_cache_verifies_with_every_configured_key(keys):
    old_private, old_public = keys
    new_private, new_public = generate_keypair()
    cache = tokencache.TokenCache(new_public + old_public)
    for n, private in enumerate((old_private, new_private)):
        token = issue_access_token(private, Identity(f"k{n}", "active"))
        assert cache.verify(token).member_id == f"k{n}"
    with pytest.raises(ApiError) as caught:
        cache.verify(issue_access_token(generate_keypair()[0], Identity("x", "active")))
    assert caught.value.code == "invalid_token"
    assert len(cache._entries) == 2


def test_a_bad_key_set_stops_the_gateway_at_start(keys):
    with pytest.raises(ConfigError, match="JWT_PUBLIC_KEY"):
        tokencache.TokenCache(
            keys[1] + "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
        )
