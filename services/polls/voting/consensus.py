"""Consensus rounds: a small state machine, because consensus is a process, not one count.

Each round puts a text to the members, who answer ``agree``, ``stand_aside``, ``concern`` or
``block`` (a concern or a block must give its reason). A round reaches consensus when nobody
blocks, at least one member agrees and the stand-asides do not exceed ``max_stand_asides``.
Otherwise the proposal is amended and a new round starts, up to ``max_rounds``. After that the
fallback decides: a vote needing a share (``"9/10"`` as in modified consensus, ``"3/4"``,
``"2/3"``) of those voting yes or no, with an optional quorum of the electorate; or, with no
fallback, there is no decision. Every round keeps its text, responses and reasons.

States: ``open`` → (``consensus`` | ``needs_amendment`` | ``fallback_vote`` | ``no_decision``);
``needs_amendment`` → ``open`` (via `amend`); ``fallback_vote`` → ``carried`` | ``not_carried`` |
``no_decision`` (quorum not met).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import InvalidElection
from .exact import parse_share, render

RESPONSES = ("agree", "stand_aside", "concern", "block")
NEEDS_REASON = {"concern", "block"}
FALLBACK_VOTES = ("yes", "no", "abstain")


@dataclass
class ConsensusRules:
    max_rounds: int = 3
    max_stand_asides: int | None = None  # None: any number may stand aside
    fallback_share: Fraction | None = None  # None: "no decision" after the last round
    fallback_quorum: Fraction | None = None  # share of the electorate that must take part

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> ConsensusRules:
        rounds = settings.get("max_rounds", 3)
        if type(rounds) is not int or rounds < 1:
            raise InvalidElection("max_rounds", f"expected a positive whole number, got {rounds!r}")
        asides = settings.get("max_stand_asides")
        if asides is not None and (type(asides) is not int or asides < 0):
            raise InvalidElection("max_stand_asides", f"expected a whole number, got {asides!r}")
        share = settings.get("fallback")
        if share in (None, "no_decision"):
            fallback = None
        else:
            fallback = parse_share(share, "fallback")
        quorum = settings.get("fallback_quorum")
        return cls(
            rounds,
            asides,
            fallback,
            None if quorum is None else parse_share(quorum, "fallback_quorum", allow_zero=True),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_rounds": self.max_rounds,
            "max_stand_asides": self.max_stand_asides,
            "fallback": "no_decision"
            if self.fallback_share is None
            else render(self.fallback_share),
            "fallback_quorum": None
            if self.fallback_quorum is None
            else render(self.fallback_quorum),
        }


def assess_round(
    responses: dict[str, dict[str, Any]], rules: ConsensusRules
) -> tuple[bool, list[str]]:
    """Whether a round's responses make consensus, and if not, why not (in words)."""
    tally = {kind: 0 for kind in RESPONSES}
    for answer in responses.values():
        tally[answer["response"]] += 1
    reasons = []
    if tally["block"]:
        reasons.append(f"{tally['block']} block(s)")
    if not tally["agree"]:
        reasons.append("nobody agreed")
    if rules.max_stand_asides is not None and tally["stand_aside"] > rules.max_stand_asides:
        reasons.append(
            f"{tally['stand_aside']} stand-asides, more than the {rules.max_stand_asides} allowed"
        )
    return not reasons, reasons


@dataclass
class ConsensusRound:
    number: int
    text: str
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    outcome: str = "open"
    why_not: list[str] = field(default_factory=list)


@dataclass
class ConsensusProcess:
    """One proposal's way through consensus rounds (and the fallback vote, if it comes to it)."""

    proposal: str
    rules: ConsensusRules = field(default_factory=ConsensusRules)
    rounds: list[ConsensusRound] = field(default_factory=list)
    status: str = "open"
    fallback: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.rounds:
            self.rounds.append(ConsensusRound(1, self.proposal))

    @property
    def current(self) -> ConsensusRound:
        return self.rounds[-1]

    def _expect(self, status: str) -> None:
        if self.status != status:
            raise InvalidElection("status", f"the process is {self.status}, not {status}")

    def respond(self, member: str, response: str, reason: str | None = None) -> None:
        """Record (or replace) a member's response in the open round."""
        self._expect("open")
        if response not in RESPONSES:
            raise InvalidElection(
                "response", f"expected one of {', '.join(RESPONSES)}, got {response!r}"
            )
        if response in NEEDS_REASON and not (reason and reason.strip()):
            raise InvalidElection("reason", f"a {response} must give its reason")
        self.current.responses[member] = {"response": response, "reason": reason}

    def close_round(self) -> str:
        """End the open round and move to the next state; returns the new status."""
        self._expect("open")
        reached, why_not = assess_round(self.current.responses, self.rules)
        self.current.why_not = why_not
        if reached:
            self.current.outcome = self.status = "consensus"
        elif len(self.rounds) < self.rules.max_rounds:
            self.current.outcome, self.status = "no_consensus", "needs_amendment"
        else:
            self.current.outcome = "no_consensus"
            self.status = "no_decision" if self.rules.fallback_share is None else "fallback_vote"
        return self.status

    def amend(self, text: str) -> None:
        """Start the next round with the amended text."""
        self._expect("needs_amendment")
        if not text.strip():
            raise InvalidElection("text", "an amended proposal needs its text")
        self.rounds.append(ConsensusRound(len(self.rounds) + 1, text))
        self.status = "open"

    def decide_by_vote(self, votes: dict[str, str], electorate: int | None = None) -> str:
        """The fallback vote on the last text: yes / no / abstain per member."""
        self._expect("fallback_vote")
        tally = {kind: 0 for kind in FALLBACK_VOTES}
        for member, vote in votes.items():
            if vote not in FALLBACK_VOTES:
                raise InvalidElection(
                    f"votes[{member!r}]", f"expected yes, no or abstain, got {vote!r}"
                )
            tally[vote] += 1
        share = self.rules.fallback_share
        assert share is not None
        voting = tally["yes"] + tally["no"]
        quorum_met = True
        if self.rules.fallback_quorum is not None:
            if electorate is None:
                raise InvalidElection("electorate", "the fallback quorum needs the electorate")
            quorum_met = sum(tally.values()) >= self.rules.fallback_quorum * electorate
        carried = quorum_met and voting > 0 and tally["yes"] >= share * voting
        self.status = "no_decision" if not quorum_met else ("carried" if carried else "not_carried")
        self.fallback = {
            "votes": tally,
            "needed": render(share),
            "of": "those voting yes or no",
            "quorum_met": quorum_met,
            "outcome": self.status,
        }
        return self.status

    def to_dict(self) -> dict[str, Any]:
        return {
            "proposal": self.proposal,
            "rules": self.rules.to_dict(),
            "status": self.status,
            "rounds": [
                {
                    "round": r.number,
                    "text": r.text,
                    "responses": r.responses,
                    "outcome": r.outcome,
                    "why_not": r.why_not,
                }
                for r in self.rounds
            ],
            "fallback": self.fallback,
        }
