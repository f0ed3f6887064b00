"""Values between our records and foreign cells: formula escaping, dates, multi-value cells.

Spreadsheets and XML hand over cells of every type; these turn them into what a record
holds, and back again (with the cells a spreadsheet would run as formulas escaped).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from constellation.records import EdgeOut, NodeOut

__all__ = [
    "escape_cell",
    "unescape_cell",
    "cell_text",
    "jsonable",
    "split_multi",
    "validity",
    "dumps",
]

_DANGEROUS = re.compile(r"^'*[=+\-@\t\r]")


def escape_cell(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP CSV injection).

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe; `unescape_cell` takes exactly one off again, so a value survives
    any number of round trips.

    >>> escape_cell('=HYPERLINK("http://evil","click")')
    '\\'=HYPERLINK("http://evil","click")'
    >>> escape_cell("UNITE-LA"), escape_cell(-5)
    ('UNITE-LA', -5)
    >>> unescape_cell(escape_cell("'=x"))
    "'=x"
    """
    if isinstance(value, str) and _DANGEROUS.match(value):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and _DANGEROUS.match(value):
        return value[1:]
    return value


def validity(record: NodeOut | EdgeOut) -> dict[str, str]:
    """A record's validity period as ISO dates, leaving out an open end."""
    return {
        key: value.isoformat()
        for key in ("valid_from", "valid_to")
        if (value := getattr(record, key)) is not None
    }


def jsonable(value: Any) -> Any:
    """A spreadsheet or XML value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def split_multi(value: Any) -> list[str]:
    """Kumu's convention: ``|`` separates several values in one cell."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def cell_text(value: Any) -> str:
    """A cell value as text for an id, label or type column."""
    if value is None:
        return ""
    value = jsonable(unescape_cell(value))
    return str(value).strip()


def dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")
