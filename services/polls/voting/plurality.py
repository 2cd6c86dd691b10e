"""Plurality and majority votes: one choice per ballot, most votes wins, thresholds checked.

Thresholds (``threshold``): ``plurality`` (most votes; default for ``plurality``), ``simple``
(more than half of the valid votes; default for ``majority``), ``absolute`` (more than half of
the ``electorate``), ``two_thirds`` (at least two thirds of the valid votes), or a fraction such
as ``0.6`` or ``"3/4"`` (at least that share of the valid votes). Abstentions are counted apart:
they count towards turnout and quorum, never as valid votes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ballots import CHOICE, group_ballots
from .election import Election
from .errors import InvalidElection
from .exact import Number, parse_share, render
from .ties import rank_by_score

_NAMED = {"plurality", "simple", "absolute", "two_thirds"}


def _threshold_test(
    election: Election, default: str
) -> tuple[int | str, str, Callable[[Number, Number], bool]]:
    """(label, basis, test(votes, valid) -> bool) for the election's threshold."""
    threshold = election.threshold if election.threshold is not None else default
    if isinstance(threshold, str) and threshold in _NAMED:
        if threshold == "plurality":
            return threshold, "most votes", lambda votes, valid: votes > 0
        if threshold == "simple":
            return threshold, "more than half of valid votes", lambda v, valid: 2 * v > valid
        if threshold == "two_thirds":
            return (
                threshold,
                "at least two thirds of valid votes",
                lambda v, valid: 3 * v >= 2 * valid,
            )
        electorate = election.electorate
        if electorate is None:
            raise InvalidElection("electorate", "an absolute majority needs the electorate")
        return threshold, "more than half of the electorate", lambda v, valid: 2 * v > electorate
    share = parse_share(threshold, "threshold")
    label = render(share)
    return label, f"at least {label} of valid votes", lambda v, valid: v >= share * valid


def count_plurality(election: Election, default_threshold: str = "plurality") -> dict[str, Any]:
    groups = group_ballots(election.ballots, election.options, CHOICE)
    merged = groups.merged()
    abstentions: Number = merged.pop((), 0)
    totals: list[Number] = [0] * len(election.options)
    for (option,), weight in merged.items():
        totals[option] += weight
    valid = sum(totals)
    label, basis, passes = _threshold_test(election, default_threshold)

    breaker = election.tie_breaker(
        lambda: sorted([election.options[key[0]], render(weight)] for key, weight in merged.items())
    )
    ranking = rank_by_score(totals, breaker, seats=election.seats)
    winners = ranking[: election.seats]
    threshold_met = all(passes(totals[option], valid) for option in winners)
    named_totals = {
        name: render(total) for name, total in zip(election.options, totals, strict=True)
    }
    quorum = election.quorum_fields(groups.turnout())
    return election.result(
        breaker,
        winners=[election.options[option] for option in winners],
        rounds=[{"round": 1, "totals": named_totals, "abstentions": render(abstentions)}],
        totals=named_totals,
        valid_votes=render(valid),
        abstentions=render(abstentions),
        ballots_cast=groups.ballots_cast,
        threshold=label,
        threshold_rule=basis,
        threshold_met=threshold_met,
        **quorum,
        decided=threshold_met and quorum.get("quorum_met", True),
    )


def count_majority(election: Election) -> dict[str, Any]:
    return count_plurality(election, default_threshold="simple")
