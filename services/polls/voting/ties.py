"""Breaking ties the same way every time, and saying how.

The rule, in order:
1. **Look back** (multi-round counts): go to the most recent earlier round in which the tied
   options had unequal totals; the option(s) lowest there are excluded first (highest are
   elected first). If several remain tied, keep looking further back among them.
2. **Lot**: each tied option draws ``sha256("<seed>:<round>:<option name>")``; the smallest draw
   is the one chosen (to be excluded, elected or ranked first, as the record says). The seed is
   the election's ``seed`` or, when it has none, one derived from the ballots themselves
   (published in the result), so anyone can re-run the count and get the same draw.

Ballot order and the order of options in the input never decide anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

Totals = Sequence[Any]  # per option index; exact numbers (int or Fraction), comparable


class TieBreaker:
    """Chooses among tied options and keeps a record of each choice for the result."""

    def __init__(self, options: list[str], seed: object, derive_seed: Callable[[], str]) -> None:
        self.options = options
        self.given_seed = seed
        self._derive_seed = derive_seed
        self._seed: str | None = None if seed is None else str(seed)
        self.records: list[dict[str, Any]] = []

    @property
    def seed(self) -> str:
        if self._seed is None:
            self._seed = self._derive_seed()
        return self._seed

    def published_seed(self) -> object:
        """The seed as given, else the derived one if a lot was drawn, else None."""
        if self.given_seed is not None:
            return self.given_seed
        return self._seed

    def draw(self, round_number: int, option: int) -> str:
        return hashlib.sha256(
            f"{self.seed}:{round_number}:{self.options[option]}".encode()
        ).hexdigest()

    def choose(
        self,
        tied: Sequence[int],
        *,
        round_number: int,
        purpose: str,
        lowest: bool,
        history: Sequence[Totals] = (),
    ) -> int:
        """One option out of `tied`: the lowest (to exclude) or highest (to elect) by look-back.

        `history` holds the totals of earlier rounds, oldest first.
        """
        candidates = sorted(tied)
        for earlier in range(len(history) - 1, -1, -1):
            values = [history[earlier][option] for option in candidates]
            target = min(values) if lowest else max(values)
            narrowed = [o for o, v in zip(candidates, values, strict=True) if v == target]
            if len(narrowed) < len(candidates):
                candidates = narrowed
                if len(candidates) == 1:
                    self._record(
                        tied,
                        round_number,
                        purpose,
                        "lookback",
                        candidates[0],
                        lookback_round=earlier + 1,
                    )
                    return candidates[0]
        chosen = min(candidates, key=lambda option: self.draw(round_number, option))
        self._record(tied, round_number, purpose, "lot", chosen)
        return chosen

    def order(self, tied: Sequence[int], *, round_number: int, purpose: str) -> list[int]:
        """A whole tied group put in order by lot (single-round counts: nothing to look back on)."""
        ordered = sorted(tied, key=lambda option: self.draw(round_number, option))
        self.records.append(
            {
                "round": round_number,
                "for": purpose,
                "between": sorted(self.options[o] for o in tied),
                "method": "lot",
                "chosen": self.options[ordered[0]],
                "order": [self.options[o] for o in ordered],
            }
        )
        return ordered

    def _record(
        self,
        tied: Sequence[int],
        round_number: int,
        purpose: str,
        method: str,
        chosen: int,
        **extra: Any,
    ) -> None:
        self.records.append(
            {
                "round": round_number,
                "for": purpose,
                "between": sorted(self.options[o] for o in tied),
                "method": method,
                "chosen": self.options[chosen],
                **extra,
            }
        )


def rank_by_score(scores: Totals, breaker: TieBreaker, *, seats: int) -> list[int]:
    """Option indices by descending score; equal scores ordered by lot (one record per group).

    A tied group lying wholly below the first `seats` places only orders the ranking: its record
    says ``"affects_winners": false`` and it does not make the result ``tie_broken``.
    """
    ranking: list[int] = []
    for score in sorted(set(scores), reverse=True):
        group = [option for option, value in enumerate(scores) if value == score]
        if len(group) > 1:
            group = breaker.order(group, round_number=1, purpose="ranking")
            if len(ranking) >= seats:
                breaker.records[-1]["affects_winners"] = False
        ranking.extend(group)
    return ranking
