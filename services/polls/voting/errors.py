"""The one exception the voting core raises for a malformed election or ballot."""

from __future__ import annotations


class InvalidElection(ValueError):
    """An election or ballot that cannot be counted, with the path of the offending field.

    `field` is a path such as ``"ballots[3].ranking"`` or ``"method"`` so that the polls service
    can answer 422 naming the question, and ``str(error)`` reads ``"<field>: <reason>"``.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")
