"""The counting core of polls: pure functions, exact arithmetic, and the story of every count.

Entry point: ``count(election) -> result`` (also ``python -m services.polls.tally``)::

    {"method": "irv", "options": ["A", "B", "C"], "seats": 1,
     "ballots": [{"ranking": ["A", "C"], "weight": 42}, {"choice": "B"}],
     "seed": "optional lot seed", "threshold": "simple", "quorum": 0.2, "electorate": 1000}

``method`` is a key of `METHODS`: plurality, majority, approval, irv, stv, schulze, borda, one
module each. Ballots are described in `ballots`; tie-breaking (look-back, then a seeded lot) in
`ties`. A malformed election raises `InvalidElection`, whose ``field`` names the problem
(``ballots[3].ranking: option 'Z' is not one of the options``). Consensus rounds, a process
rather than a count, live in `consensus`.

Every result has ``method``, ``winners`` (exactly ``seats`` names, or every option if there are
fewer, in order of election), ``rounds``, ``tie_broken``, ``tie_breaks`` and ``seed``, plus
``totals`` (single-round methods), ``ranking`` (schulze, borda, approval), ``quota`` (stv) and
``threshold_met`` / ``quorum_met`` where they apply. In irv and stv every round (stage) that
moves ballots has ``transfers``: per source option, ``{"to": {option: amount}, "exhausted":
amount}`` (`transfers`).

**How numbers are written.** Counting never uses binary floats: weights and shares are read
exactly (``0.1`` is one tenth), and results are JSON integers when whole, otherwise strings
holding the exact value: a decimal when it terminates (``"12.5"``), else a fraction
(``"10/3"``). STV totals are always decimal strings with five places (``"1234.56789"``), the
precision its rules count in; its quota is an integer.
"""

from .consensus import ConsensusProcess, ConsensusRules, assess_round
from .errors import InvalidElection
from .registry import METHODS, count, validate_ballot

__all__ = [
    "METHODS",
    "ConsensusProcess",
    "ConsensusRules",
    "InvalidElection",
    "assess_round",
    "count",
    "validate_ballot",
]
