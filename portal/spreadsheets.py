"""CSV for Dutch Excel, shared by every export: UTF-8 with BOM (so that Excel reads the
accents), ``;`` by default, CRLF lines, and texts that Excel will never run as formulas."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# A cell starting with one of these is a formula to Excel (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value) -> str:
    """A text for a spreadsheet cell that Excel will not run as a formula."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable, *, delimiter: str = ";") -> Iterator[str]:
    """The lines of a CSV file, the first with the BOM: for a StreamingHttpResponse."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
