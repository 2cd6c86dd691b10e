"""CSV that a spreadsheet opens as data: no cell is read as a formula.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or becomes
one) in Excel, LibreOffice and Google Sheets: an option named `=HYPERLINK("http://x","y")` or a
member named `+cmd` would run when an organiser opens the export. Such a cell gets a leading `'`
(OWASP's advice for CSV injection); numbers are written as they are. Every CSV the API or the
CLI writes goes through `writer`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value`, with a leading `'` if it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows are made safe cell by cell."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: IO[str], **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)
