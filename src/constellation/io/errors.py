"""Why a file is refused: the errors an import raises before it reads a single row.

Every refusal is an `InvalidRecords` whose problems say where and why, so the command
line, the API and the pages show it like any other bad row.
"""

from __future__ import annotations

from collections.abc import Iterable

from constellation.errors import InvalidRecords, Problem

__all__ = ["UnreadableFile", "FileTooLarge", "refuse", "row_ranges"]


class UnreadableFile(InvalidRecords):
    """A file that cannot be read at all (too large, hostile, corrupt, of an unknown format).

    Nothing was written. Like every `InvalidRecords`, `problems` says where and why.
    """


class FileTooLarge(UnreadableFile):
    """A file over the upload limit (an HTTP API answers 413 Payload Too Large)."""


def refuse(message: str, position: str | None = None, field: str | None = None) -> UnreadableFile:
    return UnreadableFile([Problem(message, field=field, position=position)])


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as a short list of ranges.

    >>> row_ranges([2, 3, 4, 7, 9, 10])
    '2-4, 7, 9-10'
    """
    out: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)
