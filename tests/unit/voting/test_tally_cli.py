"""`python -m services.polls.tally`: JSON in, JSON out, exit 2 and one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def tally(stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.polls.tally"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_counts_an_election():
    election = {
        "method": "irv",
        "options": ["A", "B", "C"],
        "seats": 1,
        "ballots": [
            {"ranking": ["A", "C"], "weight": 42},
            {"choice": "B"},
            {"ranking": ["C", "B"], "weight": 30},
        ],
        "threshold": "simple",
        "quorum": 0.2,
        "electorate": 1000,
    }
    done = tally(json.dumps(election))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["method"] == "irv"
    assert result["winners"] == ["A"]
    assert result["tie_broken"] is False
    assert result["quorum_met"] is False  # 73 of the 200 needed
    assert len(result["rounds"]) == 1  # 42 of 73 continuing is already a majority


def test_unknown_option_exits_2_with_one_line():
    election = {
        "method": "schulze",
        "options": ["A", "B"],
        "ballots": [{"ranking": ["A"]}, {"ranking": ["B", "Z"]}],
    }
    done = tally(json.dumps(election))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "ballots[1].ranking" in done.stderr and "'Z'" in done.stderr


def test_malformed_json_exits_2():
    done = tally("{not json")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "not valid JSON" in done.stderr


def test_unknown_method_exits_2():
    done = tally(json.dumps({"method": "sortition", "options": ["A"], "ballots": []}))
    assert done.returncode == 2
    assert "method" in done.stderr and "sortition" in done.stderr
