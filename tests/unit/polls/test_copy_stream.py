"""The CSV stream that closing a poll feeds to COPY: whatever sizes COPY reads in, the text is
exactly the CSV of every row, once, in order."""

from __future__ import annotations

import csv
import io
import json

from services.polls.store.ballots import _CsvRows


def rows(n: int) -> list[tuple]:
    answers = [{"question_id": "q", "choice": 'a "quoted", comma\nand a newline é'}]
    return [("poll", f"receipt-{i}", i % 3 + 1, json.dumps(answers)) for i in range(n)]


def whole_csv(items: list[tuple]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(items)
    return buffer.getvalue()


def drain(stream: _CsvRows, size: int) -> str:
    parts = []
    while chunk := stream.read(size):
        assert size < 0 or len(chunk) <= size
        parts.append(chunk)
    return "".join(parts)


def test_any_read_size_gives_the_same_text():
    items = rows(2500)  # more than one batch
    expected = whole_csv(items)
    for size in (1, 7, 100, 8192, 1 << 20, -1):
        assert drain(_CsvRows(items), size) == expected, size


def test_the_text_reads_back_as_the_rows():
    items = rows(10)
    back = list(csv.reader(io.StringIO(drain(_CsvRows(items), 13))))
    assert back == [[str(v) for v in item] for item in items]


def test_no_rows_no_text():
    assert _CsvRows([]).read(8192) == ""
