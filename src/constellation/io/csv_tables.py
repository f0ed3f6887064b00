"""CSV node and edge tables, with a column mapping.

A node table has a row per node: by default its columns ``id``, ``label`` and ``kind``
(or ``type``); an edge table has ``source`` and ``target`` (or ``from`` and ``to``),
``kind`` and optionally ``id``. The mapping file's ``columns`` names other columns.
Any other column fills the property of the same name, or else the free-form
attributes; ``tags`` takes ``|``-separated values, ``valid_from`` and ``valid_to``
dates. Without an id column, nodes are matched by label and kind, and edge ends may
name nodes by label.

Export writes ``nodes.csv`` and ``edges.csv`` into one zip, with cells a spreadsheet
would run as formulas escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constellation.errors import Problem
from constellation.io.batching import Batch, NodeIndex
from constellation.io.cells import cell_text, escape_cell
from constellation.io.csv_files import csv_rows, is_blank, write_csv, zip_files
from constellation.io.foreign_records import ForeignEdge, ForeignNode, build, flat_records, pick
from constellation.io.formats import Export, Format, Match, Reading, Sample
from constellation.io.mapping import ColumnMap, Resolver

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = ["FORMAT", "read", "export", "is_edge_table"]


def edge_columns(header: list[str], cols: ColumnMap) -> tuple[str, str] | None:
    """The source and target columns of an edge table; None for any other table.

    A table with ``label`` and ``kind`` columns is a node table even when it has source and
    target columns too (an indicator's data source and target value are properties), unless
    the mapping file names the edge columns."""
    source = pick(header, cols.source, ("source", "from"))
    target = pick(header, cols.target, ("target", "to"))
    if not (source and target):
        return None
    named = cols.source or cols.target
    nodes = pick(header, None, ("label",)) and pick(header, None, ("kind",))
    return (source, target) if named or not nodes else None


def is_edge_table(header: list[str], cols: ColumnMap) -> bool:
    return edge_columns(header, cols) is not None


def _table(name: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = [(at, cells) for at, cells in csv_rows(name, content) if not is_blank(cells)]
    if not rows:
        return [], []
    return [cell_text(h) for h in rows[0][1]], rows[1:]


def read(files: list[tuple[str, bytes]], resolver: Resolver, index: NodeIndex) -> Batch:
    """Read the node table, then the edge table (a file with source and target columns is an
    edge table wherever it comes)."""
    cols = resolver.mapping.columns
    nodes: list[ForeignNode] = []
    edges: list[ForeignEdge] = []
    problems: list[Problem] = []
    for name, content in files:
        header, rows = _table(name, content)
        if not header:
            problems.append(Problem("the file is empty", position=name))
            continue
        ends_at = edge_columns(header, cols.edges)
        if ends_at is not None:
            source, target = ends_at
            id_col = pick(header, cols.edges.id, ("id",))
            for at, cells in rows:
                record = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
                record.pop("", None)
                ends = (cell_text(record.pop(source, "")), cell_text(record.pop(target, "")))
                foreign_id = cell_text(record.pop(id_col, "")) if id_col else ""
                for col, end in zip((source, target), ends, strict=True):
                    if not end:
                        problems.append(
                            Problem(
                                f"the {col} cell is empty",
                                field=col,
                                position=f"{name} row {at}, column {col}",
                            )
                        )
                if all(ends):
                    edges.append(ForeignEdge(name, at, foreign_id or None, *ends, record))
            continue
        label = pick(header, cols.nodes.label, ("label", "name"))
        if label is None:
            wanted = cols.nodes.label or "label"
            problems.append(
                Problem(
                    f"a node table needs a {wanted!r} column (an edge table needs source and "
                    f"target columns); this one has: {', '.join(h for h in header if h)}. Name "
                    "the columns in the mapping file under columns.nodes / columns.edges",
                    position=f"{name} row 1",
                )
            )
            continue
        id_col = pick(header, cols.nodes.id, ("id",))
        for at, cells in rows:
            record = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
            record.pop("", None)
            foreign_id = cell_text(record.pop(id_col, "")) if id_col else ""
            nodes.append(ForeignNode(name, at, foreign_id or None, record))
    batch = build(nodes, edges, "row", resolver, index, cols.nodes, cols.edges)
    batch.problems += problems
    return batch


def export(repo: Repository, workspace: str) -> bytes:
    """``nodes.csv`` (id, label, kind, tags, validity, properties, attributes) and
    ``edges.csv`` (id, source, target, kind, …) in one zip."""
    nodes, edges = flat_records(repo, workspace)
    node_rows = [{"id": i} | _node_columns(r) for i, r in nodes]
    edge_rows = [{"id": i, "source": s, "target": t} | r for i, s, t, r in edges]
    files = {}
    for name, rows, first in (
        ("nodes.csv", node_rows, ["id", "label", "kind", "tags"]),
        ("edges.csv", edge_rows, ["id", "source", "target", "kind", "tags"]),
    ):
        header = dict.fromkeys(first)
        for row in rows:
            header.update(dict.fromkeys(row))
        columns = list(header)
        files[name] = write_csv(columns, ([escape_cell(r.get(c)) for c in columns] for r in rows))
    return zip_files(files)


_EDGE_ENDS = frozenset({"source", "target", "from", "to"})
"""The columns an edge table is told by."""


def _node_columns(row: dict[str, Any]) -> dict[str, Any]:
    """A node's columns, with a property named like an edge table's ends (an indicator's
    source and target) written as ``properties.NAME``, so the table reads as nodes again."""
    return {(f"properties.{k}" if k in _EDGE_ENDS else k): v for k, v in row.items()}


# ------------------------------------------------------------------------ the record

_KUMU_ELEMENTS = {"label", "type"}
"""Kumu's elements sheet: a Label and a Type column (and any property, even source and target)."""


def _sniff(sample: Sample) -> Match:
    if sample.container != "text":
        return Match.NO
    mapping = sample.mapping
    if mapping is not None and (
        mapping.columns.nodes != mapping.columns.nodes.__class__()
        or mapping.columns.edges != mapping.columns.edges.__class__()
    ):
        return Match.CONTENT  # the mapping file names its columns
    names = {h.casefold() for h in sample.header}
    if "kind" in names:
        return Match.CONTENT  # a node or edge table of ours
    if {"source", "target"} <= names and not _KUMU_ELEMENTS <= names:
        return Match.CONTENT  # an edge table; an indicator's source and target are properties
    return Match.NAME if sample.suffix in (".csv", ".tsv", ".txt") else Match.NO


def _read_files(files: list[tuple[str, bytes]], reading: Reading) -> Batch:
    return read(files, reading.resolver, reading.index)


FORMAT = Format(
    name="csv",
    title="CSV tables",
    description="CSV node and edge tables (or a zip of them), columns named by a mapping file",
    shapes={"text": "CSV tables (label, kind; source, target, kind)"},
    suffixes=(".csv", ".tsv", ".txt", ".zip"),
    sniff=_sniff,
    read=_read_files,
    exports=(
        Export("csv", "application/zip", ".csv.zip", "nodes.csv and edges.csv in a zip", export),
    ),
)
