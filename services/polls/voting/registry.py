"""Methods by name, the single entry point `count`, and single-ballot validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .approval import count_approval
from .ballots import APPROVE, CHOICE, RANKING, check_names, key_from_ballot, weight_of
from .borda import count_borda
from .election import BALLOT_FORMS, Election, parse_election
from .errors import InvalidElection
from .exact import render
from .irv import count_irv
from .plurality import count_majority, count_plurality
from .schulze import count_schulze
from .stv import count_stv

METHODS: dict[str, Callable[[Election], dict[str, Any]]] = {
    "plurality": count_plurality,
    "majority": count_majority,
    "approval": count_approval,
    "irv": count_irv,
    "stv": count_stv,
    "schulze": count_schulze,
    "borda": count_borda,
}
assert set(METHODS) == set(BALLOT_FORMS)


def count(election: dict[str, Any]) -> dict[str, Any]:
    """Count one election (a dict as in the package docstring) and explain the result.

    Raises `InvalidElection` naming the offending field when the election cannot be counted.
    """
    parsed = parse_election(election)
    return METHODS[parsed.method](parsed)


def validate_ballot(question_settings: dict[str, Any], answer: object) -> dict[str, Any]:
    """Check one answer against a question before it is stored; return it normalised.

    `question_settings` needs ``method`` and ``options``. The answer is returned in the method's
    own form (``{"ranking": [...]}``, ``{"choice": ...}`` or ``{"approve": [...]}``, sorted as the
    options are for approvals) with its ``weight``; an abstention comes back as
    ``{"abstain": true, "weight": ...}``. Errors name the field, e.g. ``answer.ranking``.
    """
    settings = parse_election({**question_settings, "ballots": []})
    form = BALLOT_FORMS[settings.method]
    names = key_from_ballot(answer, "answer", form)
    assert isinstance(answer, dict)
    kind = next((k for k in (RANKING, CHOICE, APPROVE) if k in answer), form)
    check_names(names, f"answer.{kind}", {name: i for i, name in enumerate(settings.options)})
    weight = render(weight_of(answer, "answer"))
    if not names:
        return {"abstain": True, "weight": weight}
    if form == CHOICE:
        return {"choice": names[0], "weight": weight}
    if form == APPROVE:
        return {"approve": sorted(names, key=settings.options.index), "weight": weight}
    return {"ranking": list(names), "weight": weight}


__all__ = ["METHODS", "count", "validate_ballot", "InvalidElection"]
