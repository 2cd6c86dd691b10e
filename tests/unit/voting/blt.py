"""Reading BLT election files (the format of the Edinburgh 2017 profiles) into elections."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
ELECTIONS = REPO_ROOT.parent / "shared" / "data" / "elections"


def fold(name: str) -> str:
    """Names compared as the README says: case-insensitively, white space folded."""
    return " ".join(name.split()).casefold()


def read_blt(path: Path) -> dict:
    """A BLT file as an stv election dict (ballot lines become weighted rankings)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    candidate_count, seats = map(int, lines[0].split())
    ballots = []
    position = 1
    while lines[position] != "0":
        weight, *preferences = lines[position].split()
        assert preferences[-1] == "0", f"{path.name}: ballot line without closing 0"
        ranking = [int(p) for p in preferences[:-1]]
        ballots.append((int(weight), ranking))
        position += 1
    names = [shlex.split(line)[0] for line in lines[position + 1 : position + 1 + candidate_count]]
    title = shlex.split(lines[position + 1 + candidate_count])[0]
    return {
        "title": title,
        "method": "stv",
        "options": names,
        "seats": seats,
        "ballots": [
            {"ranking": [names[p - 1] for p in ranking], "weight": weight}
            for weight, ranking in ballots
        ],
    }


def official_winners() -> dict[int, set[str]]:
    """Ward number → folded names of the elected, from the README's table."""
    winners = {}
    for line in (ELECTIONS / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*(\d+)\s+[^|]*\|\s*([^|]+)\|", line)
        if match:
            winners[int(match.group(1))] = {fold(n) for n in match.group(2).split(",")}
    return winners
