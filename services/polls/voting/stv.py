"""Single transferable vote as in Scottish local elections (SSI 2011/399).

- Quota (Droop): ⌊valid votes / (seats + 1)⌋ + 1. Abstentions (empty ballots) are not valid votes.
- Every ballot paper starts with value 1 (a ballot of weight w is w papers; a fractional weight
  is one paper of that value). Values are counted in integer units of 0.00001.
- Everyone who reaches the quota at a stage is elected (highest total first) before any surplus
  moves. Surpluses are transferred one per stage, largest first, by the weighted inclusive
  Gregory method: *all* papers of the elected candidate move to their next continuing preference,
  each at ``surplus × its value ÷ candidate's total``, truncated to five decimals. What
  truncation leaves behind is reported as ``lost_to_rounding``; the elected candidate keeps the
  quota.
- With no surplus to transfer, the candidate with the fewest votes is excluded and all their
  papers move at their current values, in one stage.
- When the continuing candidates are no more than the seats left, they are all elected.
- Ballots with no continuing preference left are non-transferable (``exhausted``).
- Each stage that moves papers says where they went: ``transfers`` maps its source to
  ``{"to": {candidate: amount received}, "exhausted": non-transferable amount}``; what
  truncation lost stays in ``lost_to_rounding`` only.
Ties (equal totals to exclude, equal surpluses, equal totals on reaching the quota) go to the
look-back rule, then to the lot (see `ties`).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from .arrays import EXACT_FLOAT_LIMIT
from .election import Election
from .errors import InvalidElection
from .exact import render, render_fixed
from .profile import canonical_digest, exact_bincount, first_continuing
from .ranked import RankedBallots, ranked_ballots
from .transfers import named_transfers

UNIT = 100_000  # one vote in units of 0.00001
PLACES = 5


def _paper_rows(ranked: RankedBallots, ballots: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct row: number of papers and value of each paper in units."""
    counts = ranked.whole_weights.tolist()
    values = [UNIT] * len(counts)
    for weight, copies in ranked.fractional:
        units = weight * UNIT
        if units.denominator != 1:
            position = next(
                i
                for i, b in enumerate(ballots)
                if isinstance(b, dict) and _same_weight(b.get("weight"), weight)
            )
            raise InvalidElection(
                f"ballots[{position}].weight",
                "stv counts in units of 0.00001; this weight is finer than that",
            )
        counts.append(copies)
        values.append(int(units))
    total = sum(c * v for c, v in zip(counts, values, strict=True))
    dtype = np.int64 if total < EXACT_FLOAT_LIMIT else object
    return np.array(counts, dtype=dtype), np.array(values, dtype=dtype)


def _same_weight(raw: object, weight: Fraction) -> bool:
    try:
        return Fraction(str(raw)) == weight
    except (ValueError, ZeroDivisionError):
        return False


def count_stv(election: Election) -> dict[str, Any]:
    ranked = ranked_ballots(election.ballots, election.options)
    counts, values = _paper_rows(ranked, election.ballots)
    return _Count(election, ranked, counts, values).run()


class _Count:
    """The state of one STV count; each method below is one kind of stage."""

    def __init__(
        self, election: Election, ranked: RankedBallots, counts: np.ndarray, values: np.ndarray
    ) -> None:
        self.election = election
        self.options = election.options
        self.matrix = ranked.matrix
        self.counts, self.values = counts, values
        m = len(self.options)
        self.continuing = np.ones(m, dtype=bool)
        self.holder = first_continuing(self.matrix, self.continuing)
        self.totals = exact_bincount(self.holder, counts * values, m)
        valid = Fraction(sum(self.totals), UNIT)
        self.quota = math.floor(valid / (election.seats + 1)) + 1
        self.quota_units = self.quota * UNIT
        self.valid = valid
        self.exhausted = 0
        self.lost = 0
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected, surplus not yet transferred
        self.history: list[list[int]] = []
        self.rounds: list[dict[str, Any]] = []
        self.breaker = election.tie_breaker(lambda: canonical_digest(self.matrix, counts * values))
        self.ranked = ranked

    # --- reporting ---------------------------------------------------------------------------
    def _stage(self, action: str, **details: Any) -> dict[str, Any]:
        record = {"round": len(self.rounds) + 1, "action": action, **details}
        record["totals"] = {
            name: render_fixed(units, PLACES)
            for name, units in zip(self.options, self.totals, strict=True)
        }
        record["exhausted"] = render_fixed(self.exhausted, PLACES)
        record["lost_to_rounding"] = render_fixed(self.lost, PLACES)
        record["elected"] = []
        record["eliminated"] = []
        self.rounds.append(record)
        return record

    def _standing(self) -> list[int]:
        return [option for option in range(len(self.options)) if self.continuing[option]]

    # --- the rules ---------------------------------------------------------------------------
    def _in_order(self, group: list[int], purpose: str) -> list[int]:
        """Highest total first; equal totals by look-back, then lot."""
        ordered: list[int] = []
        remaining = list(group)
        while remaining:
            best = max(self.totals[option] for option in remaining)
            tied = [option for option in remaining if self.totals[option] == best]
            chosen = (
                tied[0]
                if len(tied) == 1
                else self.breaker.choose(
                    tied,
                    round_number=len(self.rounds),
                    purpose=purpose,
                    lowest=False,
                    history=self.history,
                )
            )
            ordered.append(chosen)
            remaining.remove(chosen)
        return ordered

    def _elect(self, ordered: list[int], record: dict[str, Any]) -> None:
        for option in ordered:
            if len(self.elected) == self.election.seats:
                break
            self.elected.append(option)
            self.continuing[option] = False
            record["elected"].append(self.options[option])
            if self.totals[option] > self.quota_units:
                self.pending.append(option)

    def _elect_reaching_quota(self, record: dict[str, Any]) -> None:
        reached = [o for o in self._standing() if self.totals[o] >= self.quota_units]
        self._elect(self._in_order(reached, "order of election"), record)

    def _move_papers(self, source: int) -> tuple[int, dict[str, dict[str, object]]]:
        """Move all papers held by `source` to their next continuing preference.

        Returns the units moved and where they went, as a stage's ``transfers``.
        """
        rows = self.holder == source
        self.holder[rows] = first_continuing(self.matrix[rows], self.continuing)
        amounts = self.counts[rows] * self.values[rows]
        gained = exact_bincount(self.holder[rows], amounts, len(self.options))
        moved = int(amounts.sum())
        for option, units in enumerate(gained):
            self.totals[option] += units
        non_transferable = moved - sum(gained)
        self.exhausted += non_transferable
        transfers = named_transfers(
            {source: [*gained, non_transferable]},
            [source],
            self.options,
            lambda units: render_fixed(units, PLACES),
        )
        return moved, transfers

    def _transfer_surplus(self) -> None:
        surpluses = {o: self.totals[o] - self.quota_units for o in self.pending}
        largest = max(surpluses.values())
        tied = [o for o in self.pending if surpluses[o] == largest]
        source = (
            tied[0]
            if len(tied) == 1
            else self.breaker.choose(
                tied,
                round_number=len(self.rounds),
                purpose="surplus order",
                lowest=False,
                history=self.history,
            )
        )
        self.pending.remove(source)
        surplus, total = surpluses[source], self.totals[source]
        rows = self.holder == source
        # Inclusive Gregory: each paper's new value is surplus × value ÷ total, truncated.
        distinct, where = np.unique(self.values[rows], return_inverse=True)
        new_values = [surplus * int(value) // total for value in distinct.tolist()]
        self.values[rows] = np.array(new_values, dtype=self.values.dtype)[where.ravel()]
        self.totals[source] = self.quota_units
        moved, transfers = self._move_papers(source)
        self.lost += surplus - moved
        record = self._stage(
            f"transfer of the surplus of {self.options[source]}",
            transferred_from=self.options[source],
            surplus=render_fixed(surplus, PLACES),
            transfer_value=render_fixed(surplus * UNIT // total, PLACES),
        )
        record["transfers"] = transfers
        self._elect_reaching_quota(record)

    def _exclude_lowest(self) -> None:
        standing = self._standing()
        lowest = min(self.totals[option] for option in standing)
        tied = [option for option in standing if self.totals[option] == lowest]
        excluded = (
            tied[0]
            if len(tied) == 1
            else self.breaker.choose(
                tied,
                round_number=len(self.rounds),
                purpose="exclusion",
                lowest=True,
                history=self.history,
            )
        )
        self.continuing[excluded] = False
        self.totals[excluded] = 0
        _moved, transfers = self._move_papers(excluded)
        record = self._stage(
            f"exclusion of {self.options[excluded]}", transferred_from=self.options[excluded]
        )
        record["eliminated"].append(self.options[excluded])
        record["transfers"] = transfers
        self._elect_reaching_quota(record)

    def run(self) -> dict[str, Any]:
        seats = self.election.seats
        record = self._stage("first preferences")
        self._elect_reaching_quota(record)
        while len(self.elected) < seats:
            standing = self._standing()
            if len(standing) <= seats - len(self.elected):
                # As many continuing candidates as seats left: no transfer could change this.
                record = self.rounds[-1]
                ordered = self._in_order(standing, "order of election")
                record["elected_without_quota"] = [self.options[o] for o in ordered]
                self._elect(ordered, record)
                break
            self.history.append(list(self.totals))
            if self.pending:
                self._transfer_surplus()
            else:
                self._exclude_lowest()
        return self.election.result(
            self.breaker,
            winners=[self.options[option] for option in self.elected],
            rounds=self.rounds,
            quota=self.quota,
            valid_votes=render_fixed(self.valid * UNIT, PLACES),
            ballots_cast=self.ranked.ballots_cast,
            abstentions=render(self.ranked.abstentions),
            **self.election.quorum_fields(self.ranked.turnout()),
        )
