"""Hypothesis strategies for random weighted, possibly truncated, ranked profiles."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# CI runs a modest budget; raise it locally with VOTING_EXAMPLES=5000 for a thorough run.
EXAMPLES = int(os.environ.get("VOTING_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

Profile = tuple[int, list[tuple[tuple[int, ...], int]]]  # options, [(ranking, weight)]


@st.composite
def profiles(
    draw,
    min_options: int = 2,
    max_options: int = 5,
    truncated: bool = True,
    weighted: bool = True,
    max_groups: int = 12,
) -> Profile:
    m = draw(st.integers(min_options, max_options))
    groups = []
    for _ in range(draw(st.integers(1, max_groups))):
        order = tuple(draw(st.permutations(range(m))))
        length = draw(st.integers(1, m)) if truncated else m
        weight = draw(st.integers(1, 6)) if weighted else 1
        groups.append((order[:length], weight))
    return m, groups


def names(m: int) -> list[str]:
    return [f"c{i}" for i in range(m)]


def election(method: str, profile: Profile, **extra) -> dict:
    m, groups = profile
    option_names = names(m)
    ballots = [
        {"ranking": [option_names[o] for o in ranking], "weight": weight}
        for ranking, weight in groups
    ]
    return {"method": method, "options": option_names, "ballots": ballots, **extra}


def index_of(name: str) -> int:
    return int(name[1:])
