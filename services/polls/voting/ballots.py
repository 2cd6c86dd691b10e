"""Reading ballots: checking them and grouping identical ones, whatever the poll's size.

A ballot is a dict with one of ``ranking`` (a list of options, best first, possibly truncated),
``choice`` (one option or null) or ``approve`` (a list of options), an optional positive
``weight`` (default 1) and optionally ``"abstain": true``. Each method reads one form; the other
forms are accepted only where their meaning is unambiguous (a single choice is a ranking of one,
an approval of one option is a choice). A ballot that expresses no preference (``[]``, a null
choice, ``abstain``) is an abstention: it counts towards turnout and quorum, not for any option.

Ballots are grouped as ``option-index tuple → total weight`` before any checking of option
names, so the work grows with the number of *distinct* ballots, and a million identical ballots
cost one check. Anything wrong sends us to a slow, in-order rescan whose only job is to name the
first offending ballot exactly (``ballots[3].ranking: option 'Z' is not one of the options``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

from .errors import InvalidElection
from .exact import Number, parse_weight

RANKING, CHOICE, APPROVE = "ranking", "choice", "approve"
Key = tuple[Any, ...]  # option names (while reading) or option indices (after checking)
Read = TypeVar("Read")


@dataclass
class BallotGroups:
    """Identical ballots merged: index tuples → weight. The empty tuple holds abstentions.

    Whole weights are summed in `whole`; a ballot with a fractional weight keeps its own value in
    `fractional[(key, weight)] = number of such ballots`, because STV must treat it as one paper
    of that value (a weight of 3 is three papers of value 1, 1.5 is one paper of value 1.5).
    """

    whole: dict[Key, int] = field(default_factory=dict)
    fractional: dict[tuple[Key, Fraction], int] = field(default_factory=dict)
    ballots_cast: int = 0

    def merged(self) -> dict[Key, Number]:
        """Every key with its total weight (fractional weights folded in)."""
        merged: dict[Key, Number] = dict(self.whole)
        for (key, weight), copies in self.fractional.items():
            total = merged.get(key, 0) + weight * copies
            merged[key] = total.numerator if total.denominator == 1 else total
        return merged

    def abstentions(self) -> Number:
        return self.merged().get((), 0)

    def turnout(self) -> Number:
        """Total weight of all ballots cast, abstentions included."""
        total: Number = sum(self.whole.values())
        total += sum(weight * copies for (_, weight), copies in self.fractional.items())
        return total


def key_from_ballot(ballot: object, path: str, form: str) -> Key:
    """The option names a ballot gives, in the form `form` needs; full checks, any speed."""
    if not isinstance(ballot, dict):
        raise InvalidElection(path, "a ballot must be an object")
    if ballot.get("abstain") is True:
        return ()
    given = [name for name in (RANKING, CHOICE, APPROVE) if name in ballot]
    if not given:
        raise InvalidElection(path, f"missing field '{form}'")
    if len(given) > 1:
        raise InvalidElection(path, f"give only one of {', '.join(given)}")
    kind = given[0]
    value = ballot[kind]
    where = f"{path}.{kind}"
    if kind == CHOICE:
        if value is None:
            return ()
        names: Key = (value,)
    else:
        if not isinstance(value, list):
            raise InvalidElection(where, f"expected a list of options, got {type(value).__name__}")
        names = tuple(value)
    for name in names:
        if not isinstance(name, str):
            raise InvalidElection(where, f"options are named by strings, got {name!r}")
    if len(set(names)) != len(names):
        repeated = next(name for name in names if names.count(name) > 1)
        raise InvalidElection(where, f"option {repeated!r} appears more than once")
    if kind == form or len(names) <= 1:
        return names
    if form == CHOICE and kind == RANKING:
        return names[:1]  # a plurality count reads the first preference
    if form == RANKING:
        reason = "equal ranks are not allowed, so only a ranking can be counted here"
    else:
        reason = "an approval count needs 'approve' (a ranking does not say whom you approve)"
    raise InvalidElection(where, reason)


def check_names(names: Key, path: str, index: dict[str, int]) -> Key:
    """Option names to indices, rejecting unknown ones."""
    for name in names:
        if name not in index:
            raise InvalidElection(path, f"option {name!r} is not one of the options")
    return tuple(index[name] for name in names)


def weight_of(ballot: dict[str, Any], path: str) -> Number:
    return parse_weight(ballot.get("weight", 1), f"{path}.weight")


def _name_first_problem(ballots: Sequence[Any], form: str, index: dict[str, int]) -> None:
    """Rescan in ballot order and raise for the first bad ballot (the slow, exact path)."""
    for position, ballot in enumerate(ballots):
        path = f"ballots[{position}]"
        names = key_from_ballot(ballot, path, form)
        kind = next((k for k in (RANKING, CHOICE, APPROVE) if k in ballot), form)
        check_names(names, f"{path}.{kind}", index)
        weight_of(ballot, path)


def _groups_by_names(ballots: Sequence[Any], form: str) -> BallotGroups:
    """Merge ballots by the option names they give; no name checking yet (the fast loop)."""
    groups = BallotGroups(ballots_cast=len(ballots))
    whole, fractional = groups.whole, groups.fractional
    fast_type = str if form == CHOICE else list
    for position, ballot in enumerate(ballots):
        value = ballot.get(form) if type(ballot) is dict else None
        # The common shape ({form: ..., maybe weight}) skips the full checks; anything else
        # (other forms, abstain, extra keys) takes the careful path.
        if type(value) is fast_type and (
            len(ballot) == 1 or len(ballot) == 2 and "weight" in ballot
        ):
            names = (value,) if form == CHOICE else tuple(value)
        else:
            names = key_from_ballot(ballot, f"ballots[{position}]", form)
        weight = ballot.get("weight", 1)
        if type(weight) is not int or weight <= 0:
            weight = weight_of(ballot, f"ballots[{position}]")
        if type(weight) is int:
            whole[names] = whole.get(names, 0) + weight
        else:
            fractional[(names, weight)] = fractional.get((names, weight), 0) + 1
    return groups


def _read(
    ballots: object,
    options: list[str],
    form: str,
    translate: Callable[[BallotGroups, dict[str, int]], Read],
) -> Read:
    """Group by names, then translate to indices; any failure is named by the slow rescan."""
    if not isinstance(ballots, list):
        raise InvalidElection("ballots", "expected a list of ballots")
    index = {name: position for position, name in enumerate(options)}
    try:
        return translate(_groups_by_names(ballots, form), index)
    except (InvalidElection, KeyError, TypeError, AttributeError, _Duplicate):
        _name_first_problem(ballots, form, index)
        raise


class _Duplicate(Exception):
    """A grouped ballot repeats an option (found in bulk; named by the slow rescan)."""


def group_ballots(ballots: object, options: list[str], form: str) -> BallotGroups:
    """Choice or approval ballots, grouped by option-index tuples (approvals sorted: a set)."""

    def translate_groups(by_names: BallotGroups, index: dict[str, int]) -> BallotGroups:
        def translate(names: Key) -> Key:
            indices = tuple(index[name] for name in names)
            if len(set(indices)) != len(indices):
                raise _Duplicate
            return tuple(sorted(indices)) if form == APPROVE else indices

        groups = BallotGroups(ballots_cast=by_names.ballots_cast)
        for names, weight in by_names.whole.items():
            key = translate(names)
            groups.whole[key] = groups.whole.get(key, 0) + weight
        for (names, paper_weight), copies in by_names.fractional.items():
            paper = (translate(names), paper_weight)
            groups.fractional[paper] = groups.fractional.get(paper, 0) + copies
        return groups

    return _read(ballots, options, form, translate_groups)
