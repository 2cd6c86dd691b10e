import base64
import datetime as dt
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.common.auth import (
    Identity,
    generate_keypair,
    issue_access_token,
    key_id,
    public_keys,
    signing_key,
    verify_access_token,
)
from services.common.config import ConfigError, pem_or_path
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


# Several public keys, so that the signing key can be rotated without a break.


@pytest.fixture(scope="module")
def old_keys():
    return generate_keypair()


@pytest.fixture(scope="module")
def new_keys():
    return generate_keypair()


def _claims(**overrides):
    now = dt.datetime.now(dt.UTC)
    return {
        "iss": "councils",
        "sub": "m-9",
        "status": "active",
        "typ": "access",
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
        **overrides,
    }


def _kid_of(token):
    return jwt.get_unverified_header(token).get("kid")


def test_tokens_name_the_key_that_signed_them(old_keys):
    private, public = old_keys
    token = issue_access_token(private, Identity("m", "active"))
    assert _kid_of(token) == key_id(serialization.load_pem_public_key(public.encode()))
    assert len(_kid_of(token)) == 16


def test_a_token_signed_with_either_configured_key_verifies(old_keys, new_keys):
    both = new_keys[1] + old_keys[1]
    for private, _ in (old_keys, new_keys):
        token = issue_access_token(private, Identity("m-2", "active"))
        assert verify_access_token(both, token).member_id == "m-2"


def test_a_key_id_of_neither_key_is_refused(old_keys, new_keys):
    both = new_keys[1] + old_keys[1]
    stranger = issue_access_token(generate_keypair()[0], Identity("m", "active"))
    # Signed by a configured key but naming another: the key id is not a hint to ignore.
    misnamed = jwt.encode(
        _claims(), old_keys[0], algorithm="EdDSA", headers={"kid": "0123456789abcdef"}
    )
    for token in (stranger, misnamed):
        with pytest.raises(ApiError) as caught:
            verify_access_token(both, token)
        assert (caught.value.status, caught.value.code) == (401, "invalid_token")


def test_a_malformed_key_id_is_a_401_not_a_500(old_keys):
    token = issue_access_token(old_keys[0], Identity("m", "active"))
    for kid in (5, ["a"], {"k": 1}):
        header = base64.urlsafe_b64encode(
            json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": kid}).encode()
        ).rstrip(b"=")
        forged = header.decode() + token[token.index(".") :]
        with pytest.raises(ApiError) as caught:
            verify_access_token(old_keys[1], forged)
        assert caught.value.status == 401


def test_a_token_without_key_id_is_tried_against_every_key(old_keys, new_keys):
    both = new_keys[1] + old_keys[1]  # the signing key second: the other is tried first
    legacy = jwt.encode(_claims(), old_keys[0], algorithm="EdDSA")
    assert _kid_of(legacy) is None
    assert verify_access_token(both, legacy).member_id == "m-9"
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    expired = jwt.encode(
        _claims(iat=long_ago, exp=long_ago + dt.timedelta(minutes=15)),
        old_keys[0],
        algorithm="EdDSA",
    )
    with pytest.raises(ApiError) as caught:
        verify_access_token(both, expired)
    assert caught.value.code == "token_expired"
    with pytest.raises(ApiError) as caught:  # signed by neither
        verify_access_token(both, jwt.encode(_claims(), generate_keypair()[0], "EdDSA"))
    assert caught.value.code == "invalid_token"


def test_the_key_set_is_parsed_once_per_text(old_keys, new_keys):
    both = old_keys[1] + "\n" + new_keys[1]
    keys = public_keys(both)
    assert public_keys(both) is keys
    assert len(keys.keys) == 2
    assert set(keys.by_kid) == {key_id(k) for k in keys.keys}
    assert len(public_keys(old_keys[1] + old_keys[1]).keys) == 1  # the same key twice


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "no PEM public key"),
        ("not a key", "no PEM public key"),
        ("{good}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "block 2 of 2"),
        ("{good}-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n", "without its END"),
        ("{good}{private}", "block 2 of 2"),
    ],
)
def test_a_bad_block_in_the_key_set_fails_clearly(old_keys, text, problem):
    private, public = old_keys
    text = text.format(good=public, private=private)
    with pytest.raises(ConfigError, match="JWT_PUBLIC_KEY") as caught:
        public_keys(text)
    assert problem in str(caught.value)
    token = issue_access_token(private, Identity("m", "active"))
    with pytest.raises(ApiError) as refused:  # a verifier answers 503, as it always has
        verify_access_token(text, token)
    assert refused.value.status == 503 and "JWT_PUBLIC_KEY" in refused.value.message


def test_an_rsa_key_in_the_set_is_refused(old_keys):
    rsa_public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pem = rsa_public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    with pytest.raises(ConfigError, match="block 2 of 2 must be an Ed25519"):
        public_keys(old_keys[1] + pem)


def test_several_keys_come_inline_or_from_a_file(old_keys, new_keys, tmp_path):
    both = old_keys[1] + new_keys[1]
    path = tmp_path / "jwt_public.pem"
    path.write_text(both)
    inline = both.replace("\n", "\\n")  # one line, as in a .env file
    for raw in (inline, str(path)):
        text = pem_or_path({"JWT_PUBLIC_KEY": raw}, "JWT_PUBLIC_KEY")
        token = issue_access_token(new_keys[0], Identity("m-3", "active"))
        assert verify_access_token(text, token).member_id == "m-3"
        assert len(public_keys(text).keys) == 2


def test_a_bad_private_key_names_its_variable(old_keys):
    with pytest.raises(ConfigError, match="JWT_PRIVATE_KEY"):
        signing_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    assert signing_key(old_keys[0]).kid == key_id(
        serialization.load_pem_public_key(old_keys[1].encode())
    )
