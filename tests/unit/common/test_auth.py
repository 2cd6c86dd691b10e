import datetime as dt

import pytest

from services.common.auth import (
    Identity,
    generate_keypair,
    issue_access_token,
    verify_access_token,
)
from services.common.errors import ApiError


def test_token_round_trip():
    private, public = generate_keypair()
    token = issue_access_token(private, Identity("m-1", "active", admin=True))
    identity = verify_access_token(public, token)
    assert identity == Identity("m-1", "active", admin=True)


def test_tampered_token_is_refused():
    private, public = generate_keypair()
    token = issue_access_token(private, Identity("m-1", "pending"))
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(ApiError) as caught:
        verify_access_token(public, tampered)
    assert caught.value.status == 401


def test_token_from_another_key_is_refused():
    private, _ = generate_keypair()
    _, other_public = generate_keypair()
    with pytest.raises(ApiError):
        verify_access_token(other_public, issue_access_token(private, Identity("m", "active")))


def test_expired_token_says_so():
    private, public = generate_keypair()
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    token = issue_access_token(private, Identity("m", "active"), now=long_ago)
    with pytest.raises(ApiError) as caught:
        verify_access_token(public, token)
    assert caught.value.code == "token_expired"
