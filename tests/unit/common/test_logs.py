"""The JSON log lines keep their fixed keys and every `extra` field a call passes."""

from __future__ import annotations

import io
import json
import logging

from services.common.logs import JsonFormatter, request_id_var


def _line(log_call) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("polls-worker"))
    logger = logging.getLogger("councils.test.logs")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    log_call(logger)
    return json.loads(stream.getvalue().strip())


def test_every_extra_field_survives_with_the_fixed_keys():
    token = request_id_var.set(None)  # outside any request
    try:
        entry = _line(
            lambda log: log.warning(
                "retrying %s",
                "poll.closed",
                extra={"attempt": 3, "schema": "polls", "whatever_else": {"a": [1, 2]}},
            )
        )
    finally:
        request_id_var.reset(token)
    assert entry["attempt"] == 3
    assert entry["schema"] == "polls"
    assert entry["whatever_else"] == {"a": [1, 2]}
    assert entry["message"] == "retrying poll.closed"
    assert entry["level"] == "warning"
    assert entry["service"] == "polls-worker"
    assert entry["logger"] == "councils.test.logs"
    assert entry["ts"].endswith("Z") and "T" in entry["ts"]
    assert "request_id" not in entry


def test_request_id_and_exception_are_recorded():
    token = request_id_var.set("req-77")
    try:

        def fail(log):
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                log.exception("it broke", extra={"event_id": "e1"})

        entry = _line(fail)
    finally:
        request_id_var.reset(token)
    assert entry["request_id"] == "req-77"
    assert entry["event_id"] == "e1"
    assert "RuntimeError: boom" in entry["exc"]
    assert entry["level"] == "error"


def test_values_json_cannot_encode_are_written_as_text():
    import datetime as dt
    import uuid

    ident = uuid.UUID(int=5)
    entry = _line(lambda log: log.info("x", extra={"id": ident, "at": dt.date(2026, 1, 2)}))
    assert entry["id"] == str(ident)
    assert entry["at"].startswith("2026-01-02")
