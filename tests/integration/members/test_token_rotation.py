"""Rotating the token signing key: members signs with the new key once every verifier holds
both public keys, and refuses to start with a key the verifiers would not know."""

from __future__ import annotations

import dataclasses

import jwt
import pytest

from services.common.auth import generate_keypair, signing_key
from services.common.config import ConfigError
from services.common.runtime import Runtime
from services.members.app import create_app
from tests.integration.members.conftest import Api
from tests.support.runtime import test_keypair


def _runtime_with(runtime: Runtime, **keys) -> Runtime:
    """The session's runtime (same database pool) with other key settings."""
    return Runtime(settings=dataclasses.replace(runtime.settings, **keys), db=runtime.db)


@pytest.fixture(scope="module")
def new_keys():
    return generate_keypair()


def test_tokens_of_either_key_pass_during_a_rotation(api, members_runtime, new_keys):
    old_private, old_public = test_keypair()
    new_private, new_public = new_keys
    rotated = Api(
        create_app(
            _runtime_with(
                members_runtime,
                jwt_private_key=new_private,
                jwt_public_key=new_public + old_public,
            )
        ).test_client(),
        members_runtime,
    )

    old_token = api.admin()  # issued by a process still signing with the old key
    new_token = rotated.admin()
    assert jwt.get_unverified_header(new_token)["kid"] == signing_key(new_private).kid
    for token in (old_token, new_token):
        code, reply = rotated.call("GET", "/api/v1/members/me", token=token)
        assert code == 200, reply

    # A verifier that was not given the new public key refuses the new tokens: why the new
    # key goes everywhere first.
    code, reply = api.call("GET", "/api/v1/members/me", token=new_token)
    assert (code, reply["error"]["code"]) == (401, "invalid_token")


def test_members_refuses_a_signing_key_the_verifiers_do_not_know(members_runtime, new_keys):
    old_public = test_keypair()[1]
    with pytest.raises(
        ConfigError, match="JWT_PUBLIC_KEY does not hold the public key of JWT_PRIVATE_KEY"
    ):
        create_app(
            _runtime_with(members_runtime, jwt_private_key=new_keys[0], jwt_public_key=old_public)
        )
    with pytest.raises(ConfigError, match="JWT_PUBLIC_KEY is required"):
        create_app(_runtime_with(members_runtime, jwt_private_key=new_keys[0], jwt_public_key=None))
    with pytest.raises(ConfigError, match="JWT_PUBLIC_KEY: PEM block 2 of 2"):
        create_app(
            _runtime_with(
                members_runtime,
                jwt_private_key=new_keys[0],
                jwt_public_key=new_keys[1] + new_keys[0],
            )
        )
