"""The members service's pure rules: working chapters, targets, passwords, configuration."""

from __future__ import annotations

import datetime as dt

import pytest

from services.common.config import ConfigError
from services.members import geo, passwords
from services.members.rules import Policy, evaluate_target, working_status

TODAY = dt.date(2024, 6, 1)


def figures(members, women, stated, days_ago=10):
    last = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
    return {"members": members, "women": women, "stated": stated, "last_meeting_on": last}


@pytest.mark.parametrize(
    "fig, working",
    [
        (figures(5, 2, 5), True),
        (figures(10, 3, 10), True),  # exactly 30 %
        (figures(10, 2, 10), False),
        (figures(4, 4, 4), False),  # too few
        (figures(6, 2, 2, days_ago=91), False),  # no meeting in the last 90 days
        (figures(6, 2, 2, days_ago=90), True),
        (figures(6, 2, 2, days_ago=None), False),
        (figures(0, 0, 0), False),
    ],
)
def test_working_status(fig, working):
    assert working_status(fig, Policy(), TODAY)["working"] is working


def test_unstated_gender_counts_in_the_whole_not_as_women():
    status = working_status(figures(10, 2, 4), Policy(), TODAY)
    assert status["women_share"] == 0.2 and status["women_share_of_stated"] == 0.5
    assert status["criteria"]["women"] is False


def test_thresholds_are_configurable():
    policy = Policy.from_env(
        {"WORKING_MIN_MEMBERS": "9", "WORKING_MIN_WOMEN_SHARE": "40", "WORKING_MEETING_DAYS": "30"}
    )
    assert policy.working_min_women_share == 0.4
    assert working_status(figures(9, 4, 9, days_ago=20), policy, TODAY)["working"] is True
    assert working_status(figures(9, 3, 9, days_ago=20), policy, TODAY)["working"] is False
    assert working_status(figures(9, 4, 9, days_ago=31), policy, TODAY)["working"] is False


@pytest.mark.parametrize(
    "env, name",
    [
        ({"MEMBER_ACTIVATION": "lottery"}, "MEMBER_ACTIVATION"),
        ({"VOUCHES_REQUIRED": "zero"}, "VOUCHES_REQUIRED"),
        ({"ARGON2_PROFILE": "turbo"}, "ARGON2_PROFILE"),
        ({"RATE_LOGIN_PER_MINUTE": "-1"}, "RATE_LOGIN_PER_MINUTE"),
        ({"WORKING_MIN_WOMEN_SHARE": "300"}, "WORKING_MIN_WOMEN_SHARE"),
    ],
)
def test_bad_configuration_names_the_variable(env, name):
    with pytest.raises(ConfigError, match=name):
        Policy.from_env(env)


def test_targets():
    target = {"id": "t", "name": "Members", "kind": "members", "target": 3500, "deadline": None}
    assert evaluate_target(target, 3546)["met"] is True
    assert evaluate_target(target, 3546)["progress"] == 1.0
    result = evaluate_target(target, 1750)
    assert result["met"] is False and result["progress"] == 0.5
    share = evaluate_target({**target, "kind": "women_share", "target": 30}, 29.9)
    assert share["met"] is False and share["unit"] == "percent"


@pytest.mark.parametrize(
    "password, ok",
    [
        ("Correct-horse-battery-9", True),
        ("123", False),
        ("password123", False),
        ("1234567890", False),
        ("qwertyuiop", False),
        ("aaaaaaaaaaaa", False),
        ("abababababab", False),
        ("correct horse battery staple", True),
    ],
)
def test_password_strength(password, ok):
    assert (not passwords.strength_problems(password)) is ok


def test_password_must_not_be_the_email_or_name():
    assert passwords.strength_problems("ada.lovelace", email="ada.lovelace@example.org")
    assert passwords.strength_problems("Ada Lovelace!", display_name="ada lovelace!")


def test_hashes_are_argon2id_and_verify():
    stored = passwords.hash_password("Correct-horse-battery-9", "fast")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, "Correct-horse-battery-9", "fast")
    assert not passwords.verify_password(stored, "Correct-horse-battery-8", "fast")
    assert not passwords.verify_password("!", "anything", "fast")


def test_countries_languages_continents():
    assert geo.country_code("gb") == "GB" and geo.country_code("ZZ") is None
    assert geo.country_code("GBR") is None
    assert geo.language_code("PT_br") == "pt-BR" and geo.language_code("xx") is None
    assert geo.continent_of("KE") == "AF" and geo.continent_of("BR") == "SA"
    assert geo.continent_of("RU") == "EU" and geo.continent_of(None) is None
