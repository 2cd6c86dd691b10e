"""The election as a whole: its fields checked once, and the parts every result shares."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .ballots import APPROVE, CHOICE, RANKING
from .errors import InvalidElection
from .exact import Number, parse_exact, parse_share, render
from .ties import TieBreaker

# Which ballot form each method counts; the registry maps the same names to functions.
BALLOT_FORMS = {
    "plurality": CHOICE,
    "majority": CHOICE,
    "approval": APPROVE,
    "irv": RANKING,
    "stv": RANKING,
    "schulze": RANKING,
    "borda": RANKING,
}
# Fields that only some methods read; given elsewhere they are ignored, and the result says so.
_APPLIES_TO = {"threshold": {"plurality", "majority"}}


@dataclass
class Election:
    method: str
    options: list[str]
    seats: int
    ballots: list[Any]
    seed: object = None
    threshold: object = None
    quorum: Fraction | None = None
    electorate: Number | None = None
    notes: list[str] = field(default_factory=list)

    def tie_breaker(self, canonical_ballots: Callable[[], object]) -> TieBreaker:
        """A tie-breaker whose derived seed (if needed) hashes the grouped ballots.

        `canonical_ballots` is a callable returning a JSON-able, order-independent summary of the
        ballots; it is only called if a lot is drawn and no seed was given.
        """

        def derive() -> str:
            summary = [self.method, self.options, self.seats, canonical_ballots()]
            text = json.dumps(summary, separators=(",", ":"), default=str)
            return hashlib.sha256(text.encode()).hexdigest()[:16]

        return TieBreaker(self.options, self.seed, derive)

    def quorum_fields(self, turnout: Number) -> dict[str, Any]:
        """Turnout (abstentions included) against the quorum, when one is set."""
        if self.quorum is None:
            return {}
        assert self.electorate is not None
        return {
            "quorum": render(self.quorum),
            "electorate": render(self.electorate),
            "turnout": render(turnout),
            "quorum_met": turnout >= self.quorum * self.electorate,
        }

    def result(self, breaker: TieBreaker, **fields: Any) -> dict[str, Any]:
        """The fields every method's result carries, around the method's own."""
        records = breaker.records
        result = {
            "method": self.method,
            "options": self.options,
            "seats": self.seats,
            "winners": fields.pop("winners"),
            "rounds": fields.pop("rounds"),
            "tie_broken": any(record.get("affects_winners", True) for record in records),
            "tie_breaks": records,
            "seed": breaker.published_seed(),
        }
        result.update(fields)
        if self.notes:
            result["notes"] = self.notes
        return result


def _require(raw: dict[str, Any], name: str) -> object:
    if name not in raw:
        raise InvalidElection(name, f"missing field '{name}'")
    return raw[name]


def parse_election(raw: object) -> Election:
    """Check the election's own fields (ballots are read by each method in its form)."""
    if not isinstance(raw, dict):
        raise InvalidElection("election", "expected a JSON object")
    method = _require(raw, "method")
    if method not in BALLOT_FORMS:
        known = ", ".join(BALLOT_FORMS)
        raise InvalidElection("method", f"unknown method {method!r}; expected one of {known}")
    options = _require(raw, "options")
    if not isinstance(options, list) or not options:
        raise InvalidElection("options", "expected a non-empty list of option names")
    for position, name in enumerate(options):
        if not isinstance(name, str) or not name.strip():
            raise InvalidElection(
                f"options[{position}]", f"expected a non-empty name, got {name!r}"
            )
        if options.index(name) != position:
            raise InvalidElection(f"options[{position}]", f"option {name!r} appears twice")
    ballots = _require(raw, "ballots")
    if not isinstance(ballots, list):
        raise InvalidElection("ballots", "expected a list of ballots")
    seats = raw.get("seats", 1)
    if type(seats) is not int or seats < 1:
        raise InvalidElection("seats", f"expected a positive whole number, got {seats!r}")
    seed = raw.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, str | int)):
        raise InvalidElection("seed", f"expected a string or an integer, got {seed!r}")
    election = Election(
        method=method,
        options=list(options),
        seats=seats,
        ballots=ballots,
        seed=seed,
        threshold=raw.get("threshold"),
    )
    _read_turnout_fields(raw, election)
    for name, methods in _APPLIES_TO.items():
        if raw.get(name) is not None and method not in methods:
            election.notes.append(f"'{name}' does not apply to {method} and was ignored")
    return election


def _read_turnout_fields(raw: dict[str, Any], election: Election) -> None:
    if raw.get("electorate") is not None:
        electorate = parse_exact(raw["electorate"], "electorate")
        if electorate <= 0:
            raise InvalidElection("electorate", "must be positive")
        election.electorate = electorate
    if raw.get("quorum") is not None:
        election.quorum = parse_share(raw["quorum"], "quorum", allow_zero=True)
        if election.electorate is None:
            raise InvalidElection("electorate", "a quorum needs the size of the electorate")
