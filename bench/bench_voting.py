"""Benchmark of the voting core against public libraries (not a test; prints a table).

    python bench/bench_voting.py          # 1,000,000 ballots over 10 options
    python bench/bench_voting.py --quick  # 20,000 ballots, for a smoke run

Every timing starts from the same list of ballot dicts with option names, as `count()` gets
them; a library's time includes building its own ballot objects from those dicts. Comparison
columns read "n/a" when pyrankvote (irv, stv) or votelib (schulze) is not installed. The last
table puts a 5-option poll (120 possible rankings) against a plain grouped count
(``Counter`` of ranking tuples), the floor for any count that reads every ballot.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.polls.voting import count  # noqa: E402


def make_ballots(size: int, options: list[str], seed: int) -> list[dict]:
    """Random full rankings with a mild lean, so counts take several rounds."""
    rng = np.random.default_rng(seed)
    utility = rng.normal(size=(size, len(options))) + np.linspace(0, 0.8, len(options))
    orders = np.argsort(-utility, axis=1).tolist()
    return [{"ranking": [options[i] for i in order]} for order in orders]


def timed(run) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def pyrankvote_runner(method: str, ballots: list[dict], options: list[str], seats: int):
    try:
        import pyrankvote
    except ImportError:
        return None

    def run():
        candidates = {name: pyrankvote.Candidate(name) for name in options}
        their = [
            pyrankvote.Ballot(ranked_candidates=[candidates[n] for n in b["ranking"]])
            for b in ballots
        ]
        if method == "irv":
            result = pyrankvote.instant_runoff_voting(list(candidates.values()), their)
        else:
            result = pyrankvote.single_transferable_vote(
                list(candidates.values()), their, number_of_seats=seats
            )
        return [c.name for c in result.get_winners()]

    return run


def votelib_runner(ballots: list[dict]):
    try:
        from votelib.convert import RankedToCondorcetVotes
        from votelib.evaluate.condorcet import Schulze
    except ImportError:
        return None

    def run():
        grouped = Counter(tuple(b["ranking"]) for b in ballots)
        return Schulze().evaluate(RankedToCondorcetVotes().convert(dict(grouped)), 1)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 ballots instead of 1e6")
    parser.add_argument("--ballots", type=int, help="number of ballots (overrides --quick)")
    args = parser.parse_args()
    size = args.ballots or (20_000 if args.quick else 1_000_000)

    options = [f"Option {letter}" for letter in "ABCDEFGHIJ"]
    ballots = make_ballots(size, options, seed=2024)
    distinct = len({tuple(b["ranking"]) for b in ballots})
    print(f"{size:,} ballots over {len(options)} options, {distinct:,} distinct rankings\n")
    print(
        f"{'method':<12}{'ours (s)':>10}{'library':>12}{'lib (s)':>10}{'lib / ours':>12}  winners"
    )
    for method, seats in (("irv", 1), ("stv", 3), ("schulze", 1)):
        ours, result = timed(
            lambda m=method, s=seats: count(
                {"method": m, "options": options, "seats": s, "ballots": ballots}
            )
        )
        if method == "schulze":
            name, runner = "votelib", votelib_runner(ballots)
        else:
            name, runner = "pyrankvote", pyrankvote_runner(method, ballots, options, seats)
        if runner is None:
            theirs_text, ratio_text = "n/a", "n/a"
        else:
            theirs, their_winners = timed(runner)
            theirs_text, ratio_text = f"{theirs:.2f}", f"{theirs / ours:.1f}x"
            if sorted(their_winners) != sorted(result["winners"]):
                ratio_text += " (winners differ!)"
        label = f"{method}" + (f" ({seats})" if seats > 1 else "")
        print(
            f"{label:<12}{ours:>10.2f}{name:>12}{theirs_text:>10}{ratio_text:>12}"
            f"  {', '.join(result['winners'])}"
        )

    few = options[:5]
    small = make_ballots(size, few, seed=7)
    baseline, _ = timed(lambda: Counter(tuple(b["ranking"]) for b in small))
    print(
        f"\n5 options ({len({tuple(b['ranking']) for b in small})} distinct rankings), "
        f"against a plain grouped count (Counter of tuples) at {baseline:.2f} s:"
    )
    print(f"{'method':<12}{'ours (s)':>10}{'ours / Counter':>16}")
    for method, seats in (("irv", 1), ("stv", 3), ("schulze", 1), ("borda", 1)):
        ours, _ = timed(
            lambda m=method, s=seats: count(
                {"method": m, "options": few, "seats": s, "ballots": small}
            )
        )
        print(f"{method:<12}{ours:>10.2f}{ours / baseline:>15.2f}x")


if __name__ == "__main__":
    main()
