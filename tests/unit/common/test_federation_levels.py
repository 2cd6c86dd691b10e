"""FEDERATION_LEVELS (issue 18): level names and depth from configuration, read once."""

from __future__ import annotations

import pytest

from services.common.config import ConfigError
from services.common.federation import DEFAULT_LEVELS, Federation, parse_levels
from services.members.settings import load_settings


def test_the_default_keeps_the_old_names_and_adds_cities():
    assert parse_levels(None) == DEFAULT_LEVELS == parse_levels("  ")
    assert {"international", "national", "regional", "local"} <= set(DEFAULT_LEVELS)
    assert DEFAULT_LEVELS.index("city") == DEFAULT_LEVELS.index("regional") + 1


def test_any_depth_top_first():
    federation = Federation(parse_levels("World, Continent,country,region,town,street"))
    assert federation.levels[0] == "world" and federation.bottom == "street"
    assert federation.may_sit_under("town", "continent")  # levels between may be missing
    assert not federation.may_sit_under("continent", "town")
    assert not federation.may_sit_under("galaxy", "world") and federation.rank("galaxy") is None


@pytest.mark.parametrize(
    "value", ["local", "a,a", "inter national,local", "x," * 13 + "y", "top,,bottom", "top,9th"]
)
def test_a_malformed_list_stops_the_service_naming_the_variable(value):
    with pytest.raises(ConfigError, match="FEDERATION_LEVELS"):
        parse_levels(value)


def test_members_reads_it_once_in_its_settings():
    base = {"DATABASE_URL": "postgresql://nowhere/none", "SECRET_KEY": "s" * 32}
    assert load_settings(base).federation.levels == DEFAULT_LEVELS
    assert load_settings({**base, "FEDERATION_LEVELS": "a,b,c"}).federation.levels == (
        "a",
        "b",
        "c",
    )
    with pytest.raises(ConfigError, match="FEDERATION_LEVELS"):
        load_settings({**base, "FEDERATION_LEVELS": "a"})


def test_the_web_offers_the_configured_levels():
    from gateway.web.settings import load_web_settings

    assert load_web_settings({}).federation_levels == DEFAULT_LEVELS
    assert load_web_settings({"FEDERATION_LEVELS": "top,bottom"}).federation_levels == (
        "top",
        "bottom",
    )
