"""An open-loop HTTP/1.1 load generator that costs the machine little, so that on a small box
the figures are the server's and not the client's.

`requests` from a hundred threads spends ~1-2 ms of CPU per call (and the GIL's hand-offs) on
the same cores the server under test needs; here each request is a prepared byte string written
on a kept-alive connection by one of `concurrency` asyncio tasks, and the answer is read with
just enough parsing to find its status and length.

Open loop: request i is due at start + i/rate whatever the answers' latency; latency is measured
from that due time (so a backlog shows in it); a request that cannot leave within `backlog_s` of
its due time is counted as "unsent" (an overloaded run stays bounded).
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def http_request(method: str, url: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    """The bytes of one HTTP/1.1 request (keep-alive) for `url`."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep_alive) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, chunked, close = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    if chunked:
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
        return status, bytes(body), not close
    return status, await reader.readexactly(length) if length else b"", not close


@dataclass
class LoadResult:
    offered_per_s: float
    sent: int
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        errors = sum(self.failures.values())
        ok = self.sent - errors
        return {
            "offered_per_s": self.offered_per_s,
            "requests_offered": self.sent,
            "achieved_per_s": round(ok / self.elapsed_s, 1) if self.elapsed_s else 0.0,
            "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
            "p99_ms": round(lat[max(0, int(len(lat) * 0.99) - 1)] * 1000, 1) if lat else None,
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "errors": f"{errors} {dict(sorted(self.failures.items()))}" if errors else 0,
        }


def run_open_loop(
    url: str,
    requests_: list[bytes],
    rate: float,
    concurrency: int,
    expect_status: int,
    backlog_s: float = 15.0,
    timeout_s: float = 30.0,
    check: Callable[[int, bytes], str | None] | None = None,
) -> LoadResult:
    """Send every prepared request at `rate` per second through at most `concurrency`
    kept-alive connections to `url`'s host; returns what happened. The event loop runs in a
    thread of its own, so a caller that already runs one (a test session's) is no obstacle."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(
                asyncio.run(
                    _open_loop(
                        url,
                        requests_,
                        rate,
                        concurrency,
                        expect_status,
                        backlog_s,
                        timeout_s,
                        check,
                    )
                )
            )
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome.append(exc)

    thread = threading.Thread(target=run, name="loadgen")
    thread.start()
    thread.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


async def _open_loop(
    url, requests_, rate, concurrency, expect_status, backlog_s, timeout_s, check
) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    result = LoadResult(offered_per_s=rate, sent=len(requests_))
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

    def fail(kind: str) -> None:
        result.failures[kind] = result.failures.get(kind, 0) + 1

    async def voter() -> None:
        reader = writer = None
        while (item := await queue.get()) is not None:
            index, due = item
            if time.perf_counter() - due > backlog_s:
                fail("unsent (backlog)")
                continue
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                assert reader is not None  # opened with the writer
                writer.write(requests_[index])
                status, body, keep = await asyncio.wait_for(_read_response(reader), timeout_s)
                problem = None if status == expect_status else str(status)
                if problem is None and check is not None:
                    problem = check(status, body)
                if not keep:
                    writer.close()
                    reader = writer = None
            except (
                TimeoutError,
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
            ) as exc:
                problem = type(exc).__name__
                if writer is not None:
                    writer.close()
                reader = writer = None
            result.latencies.append(time.perf_counter() - due)
            if problem:
                fail(problem)
        if writer is not None:
            writer.close()

    tasks = [asyncio.create_task(voter()) for _ in range(concurrency)]
    start = time.perf_counter() + 0.2
    for index in range(len(requests_)):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((index, due))
    for _ in tasks:
        queue.put_nowait(None)
    await asyncio.gather(*tasks)
    result.elapsed_s = time.perf_counter() - start
    return result
