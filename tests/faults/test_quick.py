"""`make test` runs the fault suite's quick subset (a polls gunicorn worker killed, PostgreSQL
restarted, poison on every consumer queue) on a PostgreSQL of its own; `make test-faults` runs
them all, RabbitMQ included."""

from __future__ import annotations

import pytest

from tests.faults.run import main

pytestmark = pytest.mark.timeout(300)


def test_the_quick_fault_scenarios_lose_nothing_and_recover(capsys):
    code = main(["--quick"])
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out
    lines = [line for line in out.splitlines() if "attempted" in line]
    assert len(lines) == 3, out
    for line in lines:  # the ballots, then the members registered during the scenario
        assert line.count("lost 0, duplicated 0") == 2, line
        assert "; members: attempted" in line, line
