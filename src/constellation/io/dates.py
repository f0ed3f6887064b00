"""Dates as grant files write them: ISO, or day first as British publishers do.

Only importers read these shapes (the command line and the API take ISO dates). Accepted:

* ISO ``YYYY-MM-DD``, with or without a time after it (``2019-04-01T00:00:00+00:00``);
* day first, ``DD/MM/YYYY`` or ``D/M/YYYY`` (also with ``-`` or ``.`` between the parts,
  and a time after a space, as spreadsheets write ``05/06/2014 00:00``).

``05/06/2014`` is 5 June 2014: the 360Giving standard's publishers are mostly British.
A date that can only be read month first (``06/25/2014``) is refused, and then every
date of that file that could be read two ways (both numbers 12 or less) is reported too,
since the file mixes conventions and no reading of them can be trusted; in a file that
does not mix them, day first is simply how they are read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from constellation.errors import Problem

__all__ = ["DayReader", "SHAPES"]

SHAPES = "YYYY-MM-DD (ISO) or DD/MM/YYYY (day first; D/M/YYYY, - or . also read)"

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: .*)?$")


class DayReader:
    """Reads the dates of one file to ISO text, gathering the problems it finds.

    `read` gives the ISO date, or None after recording a problem; `problems` at the end
    adds the dates that could be read two ways, when the file also holds a date that can
    only be read month first.
    """

    def __init__(self) -> None:
        self._problems: list[Problem] = []
        self._two_ways: list[Problem] = []
        self._month_first = False

    def read(
        self, value: Any, *, position: str, field: str, record: str | None = None
    ) -> str | None:
        """`value` as ISO text; `position` names the row and column (or JSON path)."""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        where = {"field": field, "record": record, "position": position}
        if m := _ISO.match(text):
            return self._date(int(m[1]), int(m[2]), int(m[3]), text, where)
        if m := _DAY_FIRST.match(text):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if month > 12 and day <= 12:
                self._month_first = True
                self._problems.append(
                    Problem(
                        f"{text!r} is written month first; dates here are read day first "
                        f"({SHAPES}): write it {year:04d}-{day:02d}-{month:02d}",
                        **where,
                    )
                )
                return None
            found = self._date(year, month, day, text, where)
            if found and day <= 12 and month <= 12 and day != month:
                self._two_ways.append(
                    Problem(
                        f"{text!r} could be {found} (day first) or "
                        f"{year:04d}-{day:02d}-{month:02d} (month first), and this file "
                        f"also has dates written month first: write it as YYYY-MM-DD",
                        **where,
                    )
                )
            return found
        self._problems.append(Problem(f"{text!r} is not a date: write it as {SHAPES}", **where))
        return None

    def _date(
        self, year: int, month: int, day: int, text: str, where: dict[str, Any]
    ) -> str | None:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError as exc:
            self._problems.append(
                Problem(f"{text!r} is not a date on the calendar: {exc}", **where)
            )
            return None

    @property
    def problems(self) -> list[Problem]:
        return self._problems + (self._two_ways if self._month_first else [])
