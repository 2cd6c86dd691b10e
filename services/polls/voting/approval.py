"""Approval voting: each ballot approves any number of options; most approvals win."""

from __future__ import annotations

from typing import Any

from .ballots import APPROVE, group_ballots
from .election import Election
from .exact import Number, render
from .ties import rank_by_score


def count_approval(election: Election) -> dict[str, Any]:
    groups = group_ballots(election.ballots, election.options, APPROVE)
    merged = groups.merged()
    abstentions: Number = merged.pop((), 0)
    totals: list[Number] = [0] * len(election.options)
    for approved, weight in merged.items():
        for option in approved:
            totals[option] += weight
    breaker = election.tie_breaker(
        lambda: sorted([[election.options[o] for o in key], render(w)] for key, w in merged.items())
    )
    ranking = rank_by_score(totals, breaker, seats=election.seats)
    named_totals = {
        name: render(total) for name, total in zip(election.options, totals, strict=True)
    }
    return election.result(
        breaker,
        winners=[election.options[option] for option in ranking[: election.seats]],
        rounds=[{"round": 1, "totals": named_totals, "abstentions": render(abstentions)}],
        totals=named_totals,
        ranking=[election.options[option] for option in ranking],
        voters=render(sum(merged.values())),
        abstentions=render(abstentions),
        ballots_cast=groups.ballots_cast,
        **election.quorum_fields(groups.turnout()),
    )
