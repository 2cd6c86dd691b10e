"""Small builders shared by the voting tests."""

from __future__ import annotations

from services.polls.voting import count


def ranked(method: str, options: list[str], groups: list[tuple[int, str]], **extra) -> dict:
    """An election from (weight, "A>B>C") groups, as published examples are usually written."""
    ballots = [
        {"ranking": order.split(">") if order else [], "weight": weight} for weight, order in groups
    ]
    return {"method": method, "options": options, "ballots": ballots, **extra}


def count_ranked(method: str, options: list[str], groups: list[tuple[int, str]], **extra) -> dict:
    return count(ranked(method, options, groups, **extra))


TENNESSEE = (
    ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
    [
        (42, "Memphis>Nashville>Chattanooga>Knoxville"),
        (26, "Nashville>Chattanooga>Knoxville>Memphis"),
        (15, "Chattanooga>Knoxville>Nashville>Memphis"),
        (17, "Knoxville>Chattanooga>Nashville>Memphis"),
    ],
)

# Wikipedia, "Schulze method", the 45-voter example.
SCHULZE_45 = (
    ["A", "B", "C", "D", "E"],
    [
        (5, "A>C>B>E>D"),
        (5, "A>D>E>C>B"),
        (8, "B>E>D>A>C"),
        (3, "C>A>B>E>D"),
        (7, "C>A>E>B>D"),
        (2, "C>B>A>D>E"),
        (7, "D>C>E>B>A"),
        (8, "E>B>A>D>C"),
    ],
)
