"""Issue 18's polls settings: defaults as docs/governance.md states them, bounds that fail
fast naming the variable."""

from __future__ import annotations

import pytest

from services.common.config import ConfigError
from services.polls.settings import load_settings

BASE = {"DATABASE_URL": "postgresql://nowhere/none", "SECRET_KEY": "s" * 32}


def test_defaults():
    settings = load_settings(BASE)
    assert (settings.initiative_share, settings.initiative_minimum) == (0.05, 3)
    assert (settings.initiative_discussion_days, settings.initiative_poll_days) == (7.0, 14.0)
    assert (settings.affected_max_weight, settings.affected_challenge_days) == (3, 3.0)
    assert settings.upward_answer_days == 30.0
    assert settings.proposal_open_max_days == 30.0
    assert load_settings({**BASE, "POLLS_PROPOSAL_OPEN_MAX_DAYS": "7"}).proposal_open_max_days == 7


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("POLLS_AFFECTED_MAX_WEIGHT", "6"),
        ("POLLS_AFFECTED_MAX_WEIGHT", "1"),
        ("POLLS_INITIATIVE_SHARE", "0"),
        ("POLLS_INITIATIVE_SHARE", "1.5"),
        ("POLLS_INITIATIVE_MINIMUM", "0"),
    ],
)
def test_out_of_bounds_fails_naming_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({**BASE, name: value})


def test_a_heavier_maximum_up_to_five():
    assert load_settings({**BASE, "POLLS_AFFECTED_MAX_WEIGHT": "5"}).affected_max_weight == 5
