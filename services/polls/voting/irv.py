"""Instant-runoff voting (the alternative vote): one winner by successive elimination.

Each round every ballot counts for its highest-ranked continuing option. An option with
*strictly more than half of the continuing ballots* wins. Otherwise the option with the fewest
votes is eliminated and its ballots move to their next continuing preference; ballots with none
left are *exhausted* and no longer count towards the majority.

Several options are eliminated together only when that provably cannot change the result: when
the lowest options together have fewer votes than the next-lowest, none of them could overtake it
even if all their votes went to one of them, so one-by-one elimination would remove them all in
turn anyway ("bulk exclusion"). Ties for last place go to the look-back rule, then to the lot.

A round that eliminates options records where their ballots went: ``transfers`` maps each
eliminated option to ``{"to": {continuing option: amount received}, "exhausted": amount with no
continuing preference left}``, so the totals of the next round are this round's plus what each
option received.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .election import Election
from .errors import InvalidElection
from .exact import render
from .profile import RankedProfile, canonical_digest, exact_bincount, first_continuing
from .ranked import ranked_ballots
from .transfers import named_transfers, transfer_units


def count_irv(election: Election) -> dict[str, Any]:
    if election.seats != 1:
        raise InvalidElection("seats", "irv elects one option; use stv to fill several seats")
    profile = RankedProfile.from_ballots(
        ranked_ballots(election.ballots, election.options), election.options
    )
    return run_irv(election, profile)


def _bulk_exclusion(continuing: list[int], totals: list[int]) -> list[int]:
    """The largest set (of two or more) of lowest options that together trail the next one."""
    ascending = sorted(continuing, key=lambda option: totals[option])
    best: list[int] = []
    running = 0
    for size in range(1, len(ascending)):
        running += totals[ascending[size - 1]]
        if running < totals[ascending[size]] and size >= 2:
            best = ascending[:size]
    return best


def run_irv(election: Election, profile: RankedProfile) -> dict[str, Any]:
    options, m = profile.options, profile.size
    breaker = election.tie_breaker(lambda: canonical_digest(profile.matrix, profile.weights))
    total_units = profile.total_units()
    continuing = np.ones(m, dtype=bool)
    holder = first_continuing(profile.matrix, continuing)
    history: list[list[int]] = []
    rounds: list[dict[str, Any]] = []
    winner = None
    while winner is None:
        round_number = len(rounds) + 1
        totals = exact_bincount(holder, profile.weights, m)
        standing = [option for option in range(m) if continuing[option]]
        active = sum(totals[option] for option in standing)
        record = {
            "round": round_number,
            "totals": {options[o]: render(profile.value(totals[o])) for o in standing},
            "continuing_ballots": render(profile.value(active)),
            "exhausted": render(profile.value(total_units - active)),
        }
        rounds.append(record)
        leader = max(standing, key=lambda option: totals[option])
        if 2 * totals[leader] > active or len(standing) == 1:
            winner = leader
            record["elected"] = [options[winner]]
            record["reason"] = (
                "more than half of the continuing ballots"
                if 2 * totals[leader] > active
                else "last option remaining"
            )
            break
        eliminated = _bulk_exclusion(standing, totals)
        if not eliminated:
            lowest = min(totals[option] for option in standing)
            tied = [option for option in standing if totals[option] == lowest]
            eliminated = (
                [tied[0]]
                if len(tied) == 1
                else [
                    breaker.choose(
                        tied,
                        round_number=round_number,
                        purpose="elimination",
                        lowest=True,
                        history=history,
                    )
                ]
            )
        record["eliminated"] = [options[option] for option in eliminated]
        if len(eliminated) > 1:
            record["bulk_exclusion"] = True
        history.append(totals)
        continuing[eliminated] = False
        moving = np.isin(holder, eliminated)
        targets = first_continuing(profile.matrix[moving], continuing)
        # Only a bulk exclusion needs to know which eliminated option each moving row left.
        sources = holder[moving] if len(eliminated) > 1 else None
        holder[moving] = targets
        units = transfer_units(eliminated, targets, profile.weights[moving], m, sources)
        record["transfers"] = named_transfers(
            units, eliminated, options, lambda amount: render(profile.value(amount))
        )
    return election.result(
        breaker,
        winners=[options[winner]],
        rounds=rounds,
        ballots_cast=profile.ballots_cast,
        abstentions=render(profile.abstentions),
        **election.quorum_fields(profile.turnout),
    )
