"""Import and export: Kumu, spreadsheets, GraphML, GEXF, Cytoscape.js, 360Giving, native JSON.

Two entry points, called alike by the command line and the HTTP API:

* `import_files` reads uploaded files (``(filename, bytes)`` pairs), maps foreign
  types onto our kinds, checks every row and writes all of them or none;
* `export_workspace` writes a workspace in one of `EXPORT_FORMATS`.

Both go through `FORMATS` (`constellation.io.registry`): each format module declares one
`Format` record (its name, how its files are recognised, its reader, its exports), and
everything that lists formats (``--format``, ``/api/formats``, the edit page) reads it.

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
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from pydantic import Field

from constellation.config import get_settings
from constellation.errors import InvalidRecords, NotFound, Problem
from constellation.io.batching import Batch, NodeIndex
from constellation.io.errors import FileTooLarge, UnreadableFile, refuse
from constellation.io.formats import Export, Format, FormatList, Reading
from constellation.io.mapping import Mapping, Resolver, load_mapping
from constellation.io.matching import Matched, match_existing
from constellation.io.parsing import JsonDocuments, check_zip
from constellation.io.registry import FORMATS, is_xlsx, is_zip
from constellation.records import UpsertReport

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "Export",
    "FileTooLarge",
    "Format",
    "FormatList",
    "ImportReport",
    "Mapping",
    "UnreadableFile",
    "detect_format",
    "export_workspace",
    "import_files",
    "load_mapping",
    "workspace_for",
]

IMPORT_FORMATS: tuple[str, ...] = FORMATS.import_names()
"""``auto``, then every format with a reader, in the order of the registry."""

EXPORT_FORMATS: dict[str, Export] = FORMATS.exports()
"""Every file an export writes, by name: media type, suffix, description and writer."""

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
    matched: list[Matched] = Field(
        default_factory=list,
        description="Records of the file that updated a stored node they matched by "
        "identifier, alias or label, instead of adding a copy.",
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


def detect_format(
    name: str, content: bytes, mapping: Mapping | None = None, docs: JsonDocuments | None = None
) -> str:
    """Which format a file is in, from its content first and its name second (see
    `constellation.io.registry`). A JSON file's document is kept in `docs`, when given,
    for the reader."""
    return FORMATS.detect(name, content, mapping, docs)


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


def workspace_for(repo: Repository, files: list[tuple[str, bytes]]) -> str:
    """The workspace an import goes to when none is named: the one a native file names,
    else the only one there is, else a new one named after the first file."""
    from pathlib import PurePath

    from constellation.io.native import looks_native
    from constellation.store.repository import slugify

    name, content = files[0]
    doc = None
    if content[:1] == b"{":
        try:
            doc = json.loads(content)
        except ValueError:
            doc = None
    if (
        looks_native(doc)
        and isinstance(doc.get("workspace"), dict)
        and doc["workspace"].get("slug")
    ):
        return doc["workspace"]["slug"]
    slugs = [w.slug for w in repo.list_workspaces()]
    return slugs[0] if len(slugs) == 1 else slugify(PurePath(PurePath(name).stem).stem, "imported")


def import_files(
    repo: Repository,
    workspace: str,
    files: list[tuple[str, bytes]],
    format: str = "auto",
    mapping: Mapping | dict[str, Any] | tuple[str, bytes] | None = None,
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
        if is_zip(content) and not is_xlsx(content) and not name.lower().endswith(".xlsx"):
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
    batch = FORMATS.reader(fmt)(expanded, Reading(resolver, index, docs))
    problems = resolver.problems() + batch.problems
    matched: list[Matched] = []
    if fmt != "native":  # a backup names its records exactly as they were
        columns = the_mapping.identifiers if the_mapping else {}
        matched = match_existing(
            repo, workspace, batch, fmt, columns, exists=exists, made=index.made
        )
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
        matched=matched,
    )


# ------------------------------------------------------------------------ export


def export_workspace(repo: Repository, workspace: str, format: str) -> tuple[bytes, str, str]:
    """A workspace in one of `EXPORT_FORMATS`: ``(content, media type, suggested filename)``.

    Foreign formats hold the live network (archived records are left out); ``native``
    holds everything. Text cells that a spreadsheet would run as formulas are escaped
    in CSV and XLSX.
    """
    export = FORMATS.export(format)
    repo.get_workspace(workspace)
    return export.write(repo, workspace), export.media_type, f"{workspace}{export.suffix}"
