"""CSV files in and out: rows numbered as a spreadsheet numbers them, the header, zips.

Kumu's CSV sheets, CSV node and edge tables and 360Giving's CSV all read and write
through these, so a delimiter, an encoding or a formula cell is handled one way.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from constellation.io.cells import escape_cell
from constellation.io.errors import refuse
from constellation.io.parsing import decode_text

__all__ = ["csv_rows", "csv_header", "is_blank", "write_csv", "zip_files"]

HEADER_BYTES = 65536
"""How much of a file `csv_header` reads to find the header row."""


def csv_rows(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """The records of a CSV file, numbered as a spreadsheet numbers rows (the header is 1);
    the delimiter (comma, semicolon or tab) is taken from the first line."""
    text = decode_text(name, content)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(i, list(r)) for i, r in enumerate(reader, 1)]
    except csv.Error as exc:
        raise refuse(f"this CSV file cannot be read: {exc}", position=name) from None


def csv_header(name: str, content: bytes) -> list[str]:
    """The first row that is not blank, read from the start of the file only."""
    if len(content) > HEADER_BYTES:
        content = content[:HEADER_BYTES].rsplit(b"\n", 1)[0] + b"\n"
    for _, cells in csv_rows(name, content):
        if any(str(c).strip() for c in cells):
            return [str(c).strip() for c in cells]
    return []


def is_blank(cells: Iterable[Any]) -> bool:
    """A row with nothing in it (blank rows are skipped; two of them end a Kumu section)."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A UTF-8 CSV file; the header is escaped here, the cells by whoever made the rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([escape_cell(h) for h in header])
    for cells in rows:
        writer.writerow(["" if c is None else c for c in cells])
    return buffer.getvalue().encode("utf-8")


def zip_files(files: dict[str, bytes]) -> bytes:
    """Several files (name -> content) in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
