"""The Schulze method: pairwise contests, strongest paths (winning votes), and a full ranking.

``pairwise[A][B]`` is the weight of ballots ranking A above B (a ranked option is above every
unranked one; two unranked options are not compared). A link A→B has strength
``pairwise[A][B]`` when A wins that contest, else 0 (winning votes). ``strongest_paths[A][B]``
is the strength of the strongest chain of links from A to B, its weakest link deciding.
A beats B when ``strongest_paths[A][B] > strongest_paths[B][A]``; this relation is transitive,
so ranking the options that nobody remaining beats, level by level, gives a full ranking.
Options on the same level are ordered by lot. With several seats the first ``seats`` options of
the ranking win (a block result, not proportional).
"""

from __future__ import annotations

from typing import Any

from .election import Election
from .exact import render
from .profile import RankedProfile, canonical_digest, pairwise_counts
from .ranked import ranked_ballots


def strongest_paths(d: list[list[int]]) -> list[list[int]]:
    m = len(d)
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(m)] for i in range(m)]
    for k in range(m):
        for i in range(m):
            if i == k or p[i][k] == 0:
                continue
            through = p[i][k]
            row_i, row_k = p[i], p[k]
            for j in range(m):
                if j != i and j != k:
                    candidate = through if through < row_k[j] else row_k[j]
                    if candidate > row_i[j]:
                        row_i[j] = candidate
    return p


def count_schulze(election: Election) -> dict[str, Any]:
    profile = RankedProfile.from_ballots(
        ranked_ballots(election.ballots, election.options), election.options
    )
    options, m = election.options, profile.size
    breaker = election.tie_breaker(lambda: canonical_digest(profile.matrix, profile.weights))
    d = pairwise_counts(profile.matrix, profile.weights, m)
    p = strongest_paths(d)
    beats = [[p[i][j] > p[j][i] for j in range(m)] for i in range(m)]
    ranking: list[int] = []
    remaining = set(range(m))
    while remaining:
        level = sorted(o for o in remaining if not any(beats[x][o] for x in remaining))
        if len(level) > 1:
            level = breaker.order(level, round_number=1, purpose="ranking")
            if len(ranking) >= election.seats:
                breaker.records[-1]["affects_winners"] = False
        ranking.extend(level)
        remaining.difference_update(level)
    unbeaten = [options[o] for o in range(m) if not any(beats[x][o] for x in range(m))]

    def table(values: list[list[int]]) -> dict[str, Any]:
        return {
            options[i]: {
                options[j]: render(profile.value(values[i][j])) for j in range(m) if j != i
            }
            for i in range(m)
        }

    pairwise = table(d)
    return election.result(
        breaker,
        winners=[options[o] for o in ranking[: election.seats]],
        rounds=[{"round": 1, "pairwise": pairwise}],
        ranking=[options[o] for o in ranking],
        potential_winners=unbeaten,
        pairwise=pairwise,
        strongest_paths=table(p),
        ballots_cast=profile.ballots_cast,
        abstentions=render(profile.abstentions),
        **election.quorum_fields(profile.turnout),
    )
