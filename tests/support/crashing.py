"""A mail or SMS gateway that dies after a number of sends, for the tests of what a crash in the
middle of a batch leaves behind."""

from __future__ import annotations


class Crash(BaseException):
    """Stands for the process being killed: nothing after it runs, the transaction is lost."""


class CrashingGateway:
    """Wraps a real gateway; the send after `after` successful ones raises `Crash`."""

    def __init__(self, inner, after: int) -> None:
        self.inner, self.after, self.sent = inner, after, 0

    def describe(self) -> str:
        return "crashing"

    def send(self, *args) -> None:
        if self.sent == self.after:
            raise Crash()
        self.inner.send(*args)
        self.sent += 1

    def close(self) -> None:
        self.inner.close()
