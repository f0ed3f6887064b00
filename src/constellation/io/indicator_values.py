"""Dated values of indicators from a CSV: one row per value, for people who keep the
figures in a spreadsheet.

Columns (named in the first row, case aside): ``indicator`` (its id or exact label),
``date`` (YYYY-MM-DD), ``value`` (a number), and optionally ``group`` (one group of a
disaggregation, e.g. ``race: Black``; empty for everyone) and ``note``. The indicators must
exist already; each gets its values merged in: a row for a date and group it has a value
for replaces that value, any other row is added. Every row is checked first, and a wrong
one (an unknown indicator, a date or number that is not one) is named with its row and
column while nothing is written.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from constellation.errors import Problem
from constellation.io.batching import Batch, NodeIndex
from constellation.io.cells import cell_text
from constellation.io.csv_files import csv_rows, is_blank
from constellation.io.formats import Format, Match, Reading, Sample

__all__ = ["FORMAT", "read", "COLUMNS"]

COLUMNS = ("indicator", "date", "value", "group", "note")
REQUIRED = frozenset(COLUMNS[:3])
INDICATOR = "indicator"


def _sniff(sample: Sample) -> Match:
    if sample.container != "text":
        return Match.NO
    names = {h.strip().casefold() for h in sample.header}
    return Match.CONTENT if REQUIRED <= names and "kind" not in names else Match.NO


def _indicator(index: NodeIndex, name: str) -> tuple[str | None, str | None]:
    """(id, None) for an indicator named by id or exact label, else (None, what is wrong)."""
    kind = index.kinds([name]).get(name)
    if kind == INDICATOR:
        return name, None
    if kind is not None:
        return None, f"{name!r} is a {kind}, not an indicator"
    ids = index.by_label(name)
    kinds = index.kinds(ids)
    found = [i for i in ids if kinds.get(i) == INDICATOR]
    if len(found) == 1:
        return found[0], None
    if ids and not found:
        return None, f"{name!r} is a {kinds.get(ids[0], 'node')}, not an indicator"
    if len(found) > 1:
        return None, f"{len(found)} indicators are labelled {name!r}; use one of their ids: " + (
            ", ".join(found)
        )
    return (
        None,
        f"no indicator {name!r} in this workspace; add it first (the edit page, or import it)",
    )


def _point(
    record: dict[str, str], where: Callable[[str], str], problems: list[Problem]
) -> dict[str, Any] | None:
    point: dict[str, Any] = {}
    try:
        point["date"] = dt.date.fromisoformat(record["date"]).isoformat()
    except ValueError:
        problems.append(
            Problem(
                f"{record['date']!r} is not a date; write it as YYYY-MM-DD",
                field="date",
                position=where("date"),
            )
        )
    try:
        value = float(record["value"].replace(",", "")) if record["value"] else math.nan
        if not math.isfinite(value):
            raise ValueError
        point["value"] = int(value) if value.is_integer() else value
    except ValueError:
        problems.append(
            Problem(
                f"{record['value']!r} is not a number",
                field="value",
                position=where("value"),
            )
        )
    if record.get("group"):
        point["group"] = record["group"]
    if record.get("note"):
        point["note"] = record["note"]
    return point if {"date", "value"} <= point.keys() else None


def read(files: list[tuple[str, bytes]], index: NodeIndex) -> Batch:
    batch = Batch()
    new: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    rows_of: dict[str, list[str]] = {}
    for name, content in files:
        rows = [(at, cells) for at, cells in csv_rows(name, content) if not is_blank(cells)]
        if not rows:
            batch.problems.append(Problem("the file is empty", position=name))
            continue
        header = [cell_text(h).casefold() for h in rows[0][1]]
        missing = [c for c in COLUMNS[:3] if c not in header]
        if missing:
            batch.problems.append(
                Problem(
                    "an indicator-values file needs the columns indicator, date and value "
                    f"(and may have group and note); {', '.join(missing)} is missing",
                    position=f"{name} row {rows[0][0]}",
                )
            )
            continue
        for at, cells in rows[1:]:
            cells = cells + [""] * (len(header) - len(cells))
            record = {c: cell_text(v) for c, v in zip(header, cells, strict=False) if c in COLUMNS}

            def where(column: str, at: int = at, name: str = name) -> str:
                return f"{name} row {at}, column {column}"

            if not record["indicator"]:
                batch.problems.append(
                    Problem(
                        "the indicator cell is empty",
                        field="indicator",
                        position=where("indicator"),
                    )
                )
                continue
            node, wrong = _indicator(index, record["indicator"])
            point = _point(record, where, batch.problems)
            if wrong:
                batch.problems.append(
                    Problem(wrong, field="indicator", position=where("indicator"))
                )
            if node is None or point is None:
                continue
            new.setdefault(node, {})[(point["date"], point.get("group", ""))] = point
            rows_of.setdefault(node, []).append(f"{name} row {at}")
    if batch.problems:
        return batch
    for node, points in new.items():
        stored = index.repo.get_node(index.workspace, node)
        values = {
            (str(v["date"]), v.get("group") or ""): v for v in stored.properties.get("values") or []
        }
        values.update(points)
        merged = [values[k] for k in sorted(values)]
        updated: dict[str, Any] = {
            "id": stored.id,
            "kind": stored.kind,
            "label": stored.label,
            "properties": stored.properties | {"values": merged},
            "attributes": stored.attributes,
            "tags": stored.tags,
            "valid_from": stored.valid_from,
            "valid_to": stored.valid_to,
        }
        origins = rows_of[node]
        more = f" (and {len(origins) - 1} more)" if len(origins) > 1 else ""
        batch.add_node(updated, origins[0] + more)
    return batch


def _read_files(files: list[tuple[str, bytes]], reading: Reading) -> Batch:
    return read(files, reading.index)


FORMAT = Format(
    name="indicator-values",
    title="Indicator values (CSV)",
    description="Dated values of existing indicators, one row each: indicator, date, value, "
    "and optionally group and note",
    shapes={"text": "a CSV with the columns indicator, date, value (group, note)"},
    suffixes=(".csv",),
    sniff=_sniff,
    read=_read_files,
)
