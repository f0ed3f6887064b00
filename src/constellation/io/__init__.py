"""Import and export: Kumu, spreadsheets, GraphML, GEXF, Cytoscape.js, 360Giving, native JSON.

Two entry points, called alike by the command line and the HTTP API:

* `import_files` reads uploaded files (``(filename, bytes)`` pairs), maps foreign
  types onto our kinds, checks every row and writes all of them or none;
* `export_workspace` writes a workspace in one of `EXPORT_FORMATS`.

>>> from constellation.store import Store
>>> store = Store("sqlite://")
>>> kumu = b"Label,Type\\nUNITE-LA,Organization\\nData Workgroup,Constellation\\n"
>>> with store.repository() as repo:
...     report = import_files(repo, "demo", [("elements.csv", kumu)])
>>> report.format, report.workspace_created, report.counts()["nodes"]["created"]
('kumu', True, 2)
>>> with store.repository() as repo:
...     again = import_files(repo, "demo", [("elements.csv", kumu)])
>>> again.counts()["nodes"]
{'created': 0, 'updated': 0, 'unchanged': 2}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import PurePath
from typing import Any

from pydantic import Field

from constellation.config import get_settings
from constellation.errors import InvalidRecords, NotFound, Problem
from constellation.io import (
    csv_tables,
    cytoscape,
    gexf,
    giving360,
    graphml,
    kumu,
    native,
)
from constellation.io._common import (
    Batch,
    FileTooLarge,
    NodeIndex,
    UnreadableFile,
    check_zip,
    dumps,
    parse_json,
    refuse,
)
from constellation.io.mapping import Mapping, Resolver, load_mapping
from constellation.records import UpsertReport

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "FileTooLarge",
    "ImportReport",
    "Mapping",
    "UnreadableFile",
    "detect_format",
    "export_workspace",
    "import_files",
    "load_mapping",
]

IMPORT_FORMATS = ("auto", "native", "kumu", "graphml", "gexf", "csv", "360giving")

Progress = Callable[[str, int, int | None], None]
"""progress(stage, done, total): told what the import is doing; total None when unknown."""


class ImportReport(UpsertReport):
    """What an import did (or, on a dry run, would do), and what it left out."""

    format: str
    files: list[str]
    workspace_created: bool = False
    notes: list[Problem] = Field(
        default_factory=list, description="What was read but left out, and why."
    )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB"


def _as_mapping(mapping: Any) -> Mapping | None:
    if mapping is None or isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, tuple):
        return load_mapping(*mapping)
    if isinstance(mapping, dict):
        return load_mapping("mapping", json.dumps(mapping).encode())
    raise TypeError("mapping is a Mapping, a dict, or a (filename, bytes) pair")


# ------------------------------------------------------------------------ detection

_XLSX, _ZIP, _OLE = b"PK\x03\x04", b"PK", b"\xd0\xcf\x11\xe0"


def _is_xlsx(content: bytes) -> bool:
    return (
        content.startswith(_XLSX)
        and b"[Content_Types].xml" in content[:4096]
        or (content.startswith(_XLSX) and b"xl/" in content)
    )


class JsonDocuments:
    """The JSON files of one import, each parsed once: telling the format reads a file's
    document, and the reader then uses that same document.

    Keyed by the identity of the file's bytes, which the import holds until it ends.
    """

    def __init__(self) -> None:
        self._parsed: dict[int, Any] = {}

    def get(self, name: str, content: bytes) -> Any:
        key = id(content)
        if key not in self._parsed:
            self._parsed[key] = parse_json(name, content)
        return self._parsed[key]


def _csv_header(name: str, content: bytes) -> list[str]:
    for _, cells in kumu.csv_rows(
        name, content[:65536].rsplit(b"\n", 1)[0] + b"\n" if len(content) > 65536 else content
    ):
        if any(str(c).strip() for c in cells):
            return [str(c).strip() for c in cells]
    return []


def detect_format(
    name: str, content: bytes, mapping: Mapping | None = None, docs: JsonDocuments | None = None
) -> str:
    """Which format a file is in, from its content first and its name second. A JSON file's
    document is kept in `docs`, when given, for the reader."""
    suffix = PurePath(name).suffix.lower()
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content.startswith(_OLE) or suffix == ".xls":
        raise refuse(
            "this is an old Excel (.xls) file; open it and save it as .xlsx (Excel "
            "Workbook), then import that",
            position=name,
        )
    if content.startswith(_ZIP):
        if _is_xlsx(content) or suffix == ".xlsx":
            return "kumu"
        return "zip"
    if head.startswith(b"<"):
        text = head.decode("utf-8", "replace")
        if re.search(r"<(\w+:)?graphml[\s>]", text):
            return "graphml"
        if re.search(r"<(\w+:)?gexf[\s>]", text):
            return "gexf"
        if suffix in (".graphml", ".gexf"):
            return suffix[1:]
        raise refuse("this XML file is neither GraphML nor GEXF", position=name)
    if head.startswith((b"{", b"[")) or suffix == ".json":
        data = (docs or JsonDocuments()).get(name, content)
        if native.looks_native(data):
            return "native"
        if giving360.looks_360_json(data):
            return "360giving"
        if isinstance(data, dict) and isinstance(data.get("elements"), dict):
            raise refuse(
                "this looks like Cytoscape.js JSON, which Constellation exports but "
                "does not import; export GraphML from Cytoscape instead",
                position=name,
            )
        if kumu.looks_kumu_json(data):
            return "kumu"
        raise refuse(
            "this JSON is not a format Constellation reads: it expects a "
            "Constellation export (nodes, edges), a Kumu blueprint (elements, "
            "connections) or 360Giving grants (grants)",
            position=name,
        )
    header = _csv_header(name, content)
    if giving360.looks_360_csv(header):
        return "360giving"
    if mapping is not None and (
        mapping.columns.nodes != mapping.columns.nodes.__class__()
        or mapping.columns.edges != mapping.columns.edges.__class__()
    ):
        return "csv"
    names = [h.casefold() for h in header]
    if {"kind", "source", "target"} & set(names):
        return "csv"
    if kumu.table_kind(header):
        return "kumu"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    raise refuse(
        "the format of this file cannot be told from its content; name it with "
        "--format (one of: " + ", ".join(IMPORT_FORMATS[1:]) + ")",
        position=name,
    )


def _unzip(name: str, content: bytes) -> list[tuple[str, bytes]]:
    archive = check_zip(name, content, what="zip file")
    out = []
    for member in archive.infolist():
        if member.is_dir() or member.filename.startswith(("__MACOSX/", ".")):
            continue
        if not member.filename.lower().endswith((".csv", ".tsv", ".txt")):
            raise refuse(
                f"this zip holds {member.filename!r}; a zip upload may hold only CSV "
                "files (such as nodes.csv and edges.csv)",
                position=name,
            )
        out.append((f"{name}:{member.filename}", archive.read(member)))
    if not out:
        raise refuse("this zip holds no CSV file", position=name)
    return out


# ------------------------------------------------------------------------ import


def _read(
    fmt: str,
    files: list[tuple[str, bytes]],
    resolver: Resolver,
    index: NodeIndex,
    docs: JsonDocuments,
) -> Batch:
    batch = Batch()
    if fmt == "csv":
        return csv_tables.read(files, resolver, index)
    if fmt == "kumu":
        tables: list[kumu.Table] = []
        for name, content in files:
            if content.startswith(_ZIP):
                tables += kumu.read_xlsx(name, content, batch.notes)
            elif content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
                tables += kumu.read_json(name, docs.get(name, content), batch.notes)
            else:
                tables += kumu.read_csv(name, content)
        batch.extend(kumu.from_tables(tables, resolver, index))
        return batch
    for name, content in files:
        if fmt == "native":
            batch.extend(native.read(name, content, docs.get(name, content)))
        elif fmt == "graphml":
            batch.extend(graphml.read(name, content, resolver, index))
        elif fmt == "gexf":
            batch.extend(gexf.read(name, content, resolver, index))
        elif fmt == "360giving":
            head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if head in (b"{", b"["):
                data = docs.get(name, content)
                if not giving360.looks_360_json(data):
                    raise refuse('360Giving JSON is an object with a "grants" list', position=name)
                batch.extend(giving360.read_json(name, data))
            else:
                batch.extend(giving360.read_csv(name, content))
        else:
            raise refuse(f"unknown format {fmt!r}; the formats are: " + ", ".join(IMPORT_FORMATS))
    return batch


def _with_columns(problems: list[Problem], columns: dict[str, dict[str, str]]) -> list[Problem]:
    """Name the column a problem's field came from: 'people.csv row 7, column Sector'."""
    out = []
    for p in problems:
        parts = (p.field or "").split(".")
        found = columns.get(p.position or "", {})
        column = found.get(p.field or "") or found.get(".".join(parts[:2]))
        if column and ", column " not in (p.position or ""):
            p = Problem(p.message, p.field, p.record, f"{p.position}, column {column}")
        out.append(p)
    return out


def _without_echoes(problems: list[Problem], batch: Batch) -> list[Problem]:
    """Leave out "no node 'x'" for edges whose node is in the file but was refused itself:
    the node's own problem says what to fix."""
    echoes = {
        f"no node {n['id']!r} in this workspace"
        for n in batch.nodes
        if isinstance(n.get("id"), str)
    }
    return [p for p in problems if not (p.field in ("source", "target") and p.message in echoes)]


def import_files(
    repo,
    workspace: str,
    files: list[tuple[str, bytes]],
    format: str = "auto",
    mapping: Mapping | dict | tuple[str, bytes] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import files into a workspace (created if missing), all or nothing.

    `files` are ``(filename, content)`` pairs: one file, or for CSV tables the node
    table then the edge table (Kumu's elements and connections CSV files likewise).
    `format` is one of `IMPORT_FORMATS`; ``auto`` tells it from the content. `mapping`
    maps foreign types (see `constellation.io.mapping`). Every row is checked first;
    if anything is wrong, `InvalidRecords` lists every problem with its file, sheet,
    row, column and reason, and nothing is written. With `dry_run`, nothing is written
    either, and the report says what would be created, updated and left alone.
    `progress`, if given, is told each stage with counts.
    """
    settings = get_settings()
    if not files:
        raise refuse("no file to import")
    for name, content in files:
        if len(content) > settings.max_upload_bytes:
            raise FileTooLarge(
                [
                    Problem(
                        f"this file is {_mb(len(content))}; the largest file an import takes is "
                        f"{_mb(settings.max_upload_bytes)} "
                        "(setting CONSTELLATION_MAX_UPLOAD_BYTES). "
                        "Split it, or ask whoever runs Constellation to raise the limit",
                        position=name,
                    )
                ]
            )
    if format not in IMPORT_FORMATS:
        raise refuse(f"unknown format {format!r}; the formats are: " + ", ".join(IMPORT_FORMATS))
    the_mapping = _as_mapping(mapping)
    expanded: list[tuple[str, bytes]] = []
    for name, content in files:
        if (
            content.startswith(_ZIP)
            and not _is_xlsx(content)
            and not name.lower().endswith(".xlsx")
        ):
            expanded += _unzip(name, content)
        else:
            expanded.append((name, content))
    docs = JsonDocuments()
    fmt = format
    if fmt == "auto":
        found = {n: detect_format(n, c, the_mapping, docs) for n, c in expanded}
        kinds = set(found.values())
        if len(kinds) > 1:
            raise refuse(
                "these files are in different formats ("
                + ", ".join(f"{n}: {f}" for n, f in found.items())
                + "); import them one at a time, or "
                "name the format with --format"
            )
        fmt = kinds.pop()
    if progress:
        progress("reading", 0, None)

    try:
        repo.get_workspace(workspace)
        exists = True
    except NotFound:
        exists = False
    resolver = Resolver(the_mapping)
    index = NodeIndex(repo, workspace, exists)
    batch = _read(fmt, expanded, resolver, index, docs)
    problems = resolver.problems() + batch.problems
    if progress:
        progress("checking", 0, batch.rows)

    # a workspace this import creates goes again if nothing is to be kept (a dry run or
    # problems); otherwise the caller's transaction decides, as for an existing workspace
    undo = (problems or dry_run) and not exists
    with repo.savepoint(keep=False) if undo else nullcontext():
        if not exists:
            meta = batch.workspace or {}
            repo.create_workspace(
                workspace,
                name=meta.get("name") or workspace,
                description=meta.get("description"),
                public_read=bool(meta.get("public_read", False)),
            )
        try:
            report = repo.bulk_upsert(
                workspace,
                batch.nodes,
                batch.edges,
                dry_run=dry_run or bool(problems),
                positions=(batch.node_positions, batch.edge_positions),
            )
        except InvalidRecords as exc:
            problems += exc.problems
        if problems:
            raise InvalidRecords(_with_columns(_without_echoes(problems, batch), batch.columns))
        if batch.restore and not dry_run:
            created_nodes = set(report.nodes_created)
            created_edges = set(report.edges_created)
            repo.restore_state(
                workspace,
                nodes={
                    k: v for k, v in batch.restore.get("nodes", {}).items() if k in created_nodes
                },
                edges={
                    k: v for k, v in batch.restore.get("edges", {}).items() if k in created_edges
                },
            )
    if progress:
        progress("done", batch.rows, batch.rows)
    return ImportReport(
        **report.model_dump(),
        format=fmt,
        files=[n for n, _ in files],
        workspace_created=not exists,
        notes=batch.notes,
    )


# ------------------------------------------------------------------------ export


def _native(repo, ws):
    return native.dumps_document(native.export_document(repo, ws))


EXPORT_FORMATS: dict[str, tuple[Callable, str, str, str]] = {
    "native": (
        _native,
        "application/json",
        ".constellation.json",
        "the whole workspace, nothing lost (archived records, versions, timestamps)",
    ),
    "kumu": (
        lambda r, w: dumps(kumu.export_blueprint(r, w)),
        "application/json",
        ".kumu.json",
        "Kumu blueprint JSON (elements, connections)",
    ),
    "kumu-xlsx": (
        kumu.export_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".kumu.xlsx",
        "Kumu spreadsheet: Elements and Connections sheets",
    ),
    "kumu-csv": (
        kumu.export_csv_zip,
        "application/zip",
        ".kumu-csv.zip",
        "Kumu's two CSV files, elements.csv and connections.csv, in a zip",
    ),
    "graphml": (
        graphml.export,
        "application/graphml+xml",
        ".graphml",
        "GraphML for Gephi, yEd, Cytoscape desktop",
    ),
    "gexf": (gexf.export, "application/gexf+xml", ".gexf", "GEXF for Gephi"),
    "cytoscape": (
        lambda r, w: dumps(cytoscape.export_document(r, w)),
        "application/json",
        ".cyjs",
        "Cytoscape.js JSON for embedding in a web page",
    ),
    "csv": (csv_tables.export, "application/zip", ".csv.zip", "nodes.csv and edges.csv in a zip"),
    "360giving": (
        lambda r, w: dumps(giving360.export_document(r, w)),
        "application/json",
        ".360giving.json",
        "the funds edges as 360Giving grants",
    ),
}


def export_workspace(repo, workspace: str, format: str) -> tuple[bytes, str, str]:
    """A workspace in one of `EXPORT_FORMATS`: ``(content, media type, suggested filename)``.

    Foreign formats hold the live network (archived records are left out); ``native``
    holds everything. Text cells that a spreadsheet would run as formulas are escaped
    in CSV and XLSX.
    """
    if format not in EXPORT_FORMATS:
        raise refuse(
            f"unknown export format {format!r}; the formats are: " + ", ".join(EXPORT_FORMATS),
            field="format",
        )
    repo.get_workspace(workspace)
    write, media_type, suffix, _ = EXPORT_FORMATS[format]
    return write(repo, workspace), media_type, f"{workspace}{suffix}"
