"""Structured JSON logs carrying the request id of whatever the process is doing.

python-json-logger writes one JSON object a line; every `extra={...}` field a call passes
(`attempt`, `schema`, `queue`, ...) is kept as a top-level key. The fixed keys are `ts`, `level`,
`service`, `logger`, `message`, `request_id` (when known) and `exc` (with a traceback).
"""

from __future__ import annotations

import contextvars
import logging
import sys
import time
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


class JsonFormatter(_BaseJsonFormatter):
    def __init__(self, service: str) -> None:
        super().__init__(
            "%(name)s %(levelname)s %(message)s",
            rename_fields={"name": "logger", "levelname": "level", "exc_info": "exc"},
            json_default=str,
        )
        self.service = service

    def add_fields(
        self, log_record: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_record["ts"] = (
            time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z"
        )
        super().add_fields(log_record, record, message_dict)
        log_record["level"] = record.levelname.lower()
        log_record["service"] = self.service
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            log_record["request_id"] = request_id
        else:
            log_record.pop("request_id", None)


def configure_logging(service: str, level: str = "INFO") -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pika").setLevel(logging.WARNING)
