"""The benchmarks' open-loop load generator against a real HTTP server: what it counts is what
the server answered."""

from __future__ import annotations

from flask import Flask, Response, request

from bench.loadgen import http_request, run_open_loop
from tests.support.http import serve


def make_app() -> Flask:
    app = Flask("loadgen-target")

    @app.post("/ok")
    def ok():
        return {"got": request.get_json()["n"]}, 201

    @app.post("/chunked")
    def chunked():
        return Response((part for part in (b'{"a":', b"1}")), status=201)  # no length

    @app.post("/fail")
    def fail():
        return {"error": "no"}, 409

    return app


def prepared(base: str, path: str, n: int) -> list[bytes]:
    return [
        http_request(
            "POST", base + path, {"Content-Type": "application/json"}, f'{{"n": {i}}}'.encode()
        )
        for i in range(n)
    ]


def test_counts_answers_by_status_and_keeps_connections():
    with serve(make_app()) as base:
        seen = []
        result = run_open_loop(
            base + "/ok",
            prepared(base, "/ok", 40),
            rate=400,
            concurrency=5,
            expect_status=201,
            check=lambda status, body: seen.append(body) and None,
        )
        summary = result.summary()
        assert summary["errors"] == 0
        assert summary["requests_offered"] == 40
        assert sorted(seen) == sorted(f'{{"got":{i}}}\n'.encode() for i in range(40))
        assert summary["p50_ms"] is not None and summary["p99_ms"] >= summary["p50_ms"]

        chunked = run_open_loop(
            base + "/chunked",
            prepared(base, "/chunked", 5),
            rate=100,
            concurrency=2,
            expect_status=201,
        )
        assert chunked.failures == {}

        failing = run_open_loop(
            base + "/fail", prepared(base, "/fail", 6), rate=100, concurrency=2, expect_status=201
        )
        assert failing.failures == {"409": 6}
        assert failing.summary()["achieved_per_s"] == 0


def test_a_server_that_is_gone_is_an_error_not_a_hang():
    with serve(make_app()) as base:
        pass  # stopped: nothing listens on its port any more
    result = run_open_loop(
        base + "/ok",
        prepared(base, "/ok", 3),
        rate=100,
        concurrency=1,
        expect_status=201,
        timeout_s=5,
    )
    assert sum(result.failures.values()) == 3
    assert set(result.failures) <= {"ConnectionRefusedError", "OSError"}
