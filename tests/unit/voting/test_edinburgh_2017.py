"""Scottish STV against the real thing: the 17 wards of Edinburgh's 2017 council election."""

from __future__ import annotations

import pytest

from services.polls.voting import count

from .blt import ELECTIONS, fold, official_winners, read_blt

WARDS = range(1, 18)


@pytest.fixture(scope="module")
def official() -> dict[int, set[str]]:
    return official_winners()


def test_the_data_is_there(official):
    assert sorted(official) == list(WARDS)
    assert all(len(names) in (3, 4) for names in official.values())


@pytest.mark.parametrize("ward", WARDS)
def test_ward_elects_the_official_winners(ward, official):
    election = read_blt(ELECTIONS / "edinburgh-2017" / f"ward-{ward:02d}.blt")
    result = count(election)
    assert {fold(name) for name in result["winners"]} == official[ward]
    assert len(result["winners"]) == election["seats"]
    assert result["tie_broken"] is False
    # Every stage accounts for every vote: totals + exhausted + rounding loss = valid votes.
    valid = sum(ballot["weight"] for ballot in election["ballots"]) * 100_000
    for stage in result["rounds"]:
        on_hand = sum(int(value.replace(".", "")) for value in stage["totals"].values())
        # Excluded candidates' totals are 0 and elected ones keep the quota.
        accounted = (
            on_hand
            + int(stage["exhausted"].replace(".", ""))
            + int(stage["lost_to_rounding"].replace(".", ""))
        )
        assert accounted == valid, f"ward {ward}, stage {stage['round']}"


def test_ward_1_first_stages_match_the_published_count():
    # Quota ⌊14207 / 5⌋ + 1 = 2842; Kevin Lang's surplus 6079 − 2842 = 3237 moves at
    # 3237 / 6079 = 0.532488…, truncated to five places.
    result = count(read_blt(ELECTIONS / "edinburgh-2017" / "ward-01.blt"))
    assert result["quota"] == 2842
    assert result["rounds"][0]["totals"]["Kevin  LANG"] == "6079.00000"
    assert result["rounds"][1]["surplus"] == "3237.00000"
    assert result["rounds"][1]["transfer_value"] == "0.53248"
