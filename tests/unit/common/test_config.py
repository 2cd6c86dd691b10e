import pytest

from services.common.config import ConfigError, env_bool, env_int, load_settings

BASE = {"DATABASE_URL": "postgresql://x@127.0.0.1/db", "SECRET_KEY": "s" * 32}


def test_settings_from_environment():
    settings = load_settings("polls", {**BASE, "AMQP_URL": "amqp://guest:guest@h/"})
    assert settings.service == "polls"
    assert settings.schema == "polls"
    assert settings.amqp_url == "amqp://guest:guest@h/"
    assert settings.bus_exchange == "councils.events"


@pytest.mark.parametrize("missing", ["DATABASE_URL", "SECRET_KEY"])
def test_missing_variable_is_named(missing):
    env = {k: v for k, v in BASE.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_settings("members", env)


def test_short_secret_is_refused():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings("members", {**BASE, "SECRET_KEY": "short"})


def test_bad_numbers_and_booleans_name_the_variable():
    with pytest.raises(ConfigError, match="DB_POOL_MAX"):
        load_settings("members", {**BASE, "DB_POOL_MAX": "many"})
    with pytest.raises(ConfigError, match="FLAG"):
        env_bool({"FLAG": "maybe"}, "FLAG", False)
    assert env_int({"N": " 7 "}, "N", 1) == 7


def test_jwt_key_path_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(ConfigError, match="JWT_PUBLIC_KEY"):
        load_settings("members", {**BASE, "JWT_PUBLIC_KEY": str(tmp_path / "nope.pem")})


def test_previous_secrets_follow_the_current_one():
    env = {
        "DATABASE_URL": "postgresql://x/y",
        "SECRET_KEY": "s" * 20,
        "SECRET_KEY_PREVIOUS": " older-secret-0123456, oldest-secret-012345 ,",
    }
    settings = load_settings("polls", env)
    assert settings.secret_keys == ("s" * 20, "older-secret-0123456", "oldest-secret-012345")
    assert load_settings("polls", {**env, "SECRET_KEY_PREVIOUS": ""}).secret_keys == ("s" * 20,)
