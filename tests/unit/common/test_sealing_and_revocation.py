"""The sealed account tokens, session ids in tokens, account limits (issue 13); the deny-list
is tested over PostgreSQL in tests/integration/notify/test_accounts.py."""

from __future__ import annotations

import pytest

from services.common.auth import Identity, issue_access_token, verify_access_token
from services.common.sealing import SealError, seal, unseal
from services.members.rules import Policy
from tests.support.runtime import test_keypair

KEY = "a-secret-key-of-some-length"


def test_a_sealed_token_opens_only_with_its_key_and_purpose():
    sealed = seal(KEY, "reset_password", "tok-1")
    assert "tok-1" not in sealed and sealed != seal(KEY, "reset_password", "tok-1")
    assert unseal(KEY, "reset_password", sealed) == "tok-1"
    assert unseal(("new-secret-key-0123456", KEY), "reset_password", sealed) == "tok-1"
    for keys, purpose in ((KEY, "verify_email"), ("another-key-0123456789", "reset_password")):
        with pytest.raises(SealError):
            unseal(keys, purpose, sealed)
    for bad in ("", "v1.", "v1.!!!", sealed[:-2] + "AA", "tok-1"):
        with pytest.raises(SealError):
            unseal(KEY, "reset_password", bad)


def test_access_tokens_name_their_session():
    private, public = test_keypair()
    token = issue_access_token(private, Identity("m1", "active", False, "family-9"))
    assert verify_access_token(public, token).session_id == "family-9"
    assert (
        verify_access_token(
            public, issue_access_token(private, Identity("m1", "active"))
        ).session_id
        is None
    )


def test_account_limits_have_safe_defaults_and_are_configurable():
    policy = Policy.from_env({})
    assert (policy.vouch_limit, policy.vouch_window.days) == (3, 30)
    assert policy.rate_register_per_ip >= 100  # the walk-through's hundred a minute
    assert policy.login_free_failures == 5
    custom = Policy.from_env(
        {"VOUCH_LIMIT": "1", "VOUCH_WINDOW_DAYS": "7", "RATE_REGISTER_PER_HOUR": "50"}
    )
    assert (custom.vouch_limit, custom.vouch_window.days) == (1, 7)
    assert custom.rate_register_per_ip_hour == 50
