"""Count one election: JSON on stdin, result as JSON on stdout.

    python -m services.polls.tally < election.json

A malformed election exits with status 2 and one line on stderr naming the problem.
"""

from __future__ import annotations

import json
import sys

from services.polls.voting import InvalidElection, count


def main(stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr) -> int:
    try:
        election = json.load(stdin)
    except json.JSONDecodeError as error:
        print(f"tally: input is not valid JSON: {error}", file=stderr)
        return 2
    try:
        result = count(election)
    except InvalidElection as error:
        print(f"tally: {' '.join(str(error).split())}", file=stderr)
        return 2
    json.dump(result, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
