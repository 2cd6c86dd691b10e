"""What the check found: each step's failures and passes, printed as they come."""

from __future__ import annotations


class Report:
    def __init__(self, verbose: bool) -> None:
        self.failures: list[str] = []
        self.verbose = verbose

    def fail(self, step: str, message: str) -> None:
        self.failures.append(f"[{step}] {message}")
        print(f"FAIL [{step}] {message}", flush=True)

    def ok(self, step: str, message: str) -> None:
        print(f"ok   [{step}] {message}", flush=True)

    def info(self, message: str) -> None:
        if self.verbose:
            print(f"     {message}", flush=True)
