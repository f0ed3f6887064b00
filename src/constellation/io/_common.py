"""What every format shares: the parsed batch, positions, safe XML and zip reading, cell escaping.

An importer turns a file into a `Batch`: plain node and edge dicts (the shape of
`NodeIn` / `EdgeIn`), each with the position it came from ("people.csv row 7"), so
that the store can check every row and name it when something is wrong.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from constellation.config import get_settings
from constellation.errors import InvalidRecords, Problem

__all__ = [
    "Batch",
    "UnreadableFile",
    "FileTooLarge",
    "escape_cell",
    "unescape_cell",
    "row_ranges",
    "jsonable",
    "validity",
    "check_zip",
    "parse_xml",
    "xml_local",
    "split_multi",
    "decode_text",
]


class UnreadableFile(InvalidRecords):
    """A file that cannot be read at all (too large, hostile, corrupt, of an unknown format).

    Nothing was written. Like every `InvalidRecords`, `problems` says where and why.
    """


class FileTooLarge(UnreadableFile):
    """A file over the upload limit (an HTTP API answers 413 Payload Too Large)."""


def refuse(message: str, position: str | None = None, field: str | None = None) -> UnreadableFile:
    return UnreadableFile([Problem(message, field=field, position=position)])


@dataclass
class Batch:
    """Records read from one or more files, ready for `Repository.bulk_upsert`."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    node_positions: list[str] = field(default_factory=list)
    edge_positions: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Rows that cannot be imported: the import is refused if any are found."""
    notes: list[Problem] = field(default_factory=list)
    """What was read but left out, or read in a way the user should know of (warnings)."""
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    """position -> {record field -> the column it came from}, to name columns in problems."""
    workspace: dict[str, Any] | None = None
    """Workspace name and description from the file, used when the import creates it."""
    restore: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Native format: stored state (version, archived_at, timestamps) of records, by id."""

    def add_node(
        self, record: dict[str, Any], position: str, columns: dict[str, str] | None = None
    ) -> None:
        self.nodes.append(record)
        self.node_positions.append(position)
        if columns:
            self.columns[position] = columns

    def add_edge(
        self, record: dict[str, Any], position: str, columns: dict[str, str] | None = None
    ) -> None:
        self.edges.append(record)
        self.edge_positions.append(position)
        if columns:
            self.columns[position] = columns

    def extend(self, other: Batch) -> None:
        self.nodes += other.nodes
        self.edges += other.edges
        self.node_positions += other.node_positions
        self.edge_positions += other.edge_positions
        self.problems += other.problems
        self.notes += other.notes
        self.columns |= other.columns
        self.workspace = self.workspace or other.workspace
        for what, state in other.restore.items():
            self.restore.setdefault(what, {}).update(state)

    @property
    def rows(self) -> int:
        return len(self.nodes) + len(self.edges)


# ------------------------------------------------------------------------ cells

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


def validity(record) -> dict[str, str]:
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


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as a short list of ranges.

    >>> row_ranges([2, 3, 4, 7, 9, 10])
    '2-4, 7, 9-10'
    """
    out: list[str] = []
    for r in sorted(set(rows)):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)


def decode_text(name: str, content: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252 as spreadsheets
    on Windows save it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise refuse(
                "the file is not text in UTF-8 or Windows-1252; save it as UTF-8 and try again",
                position=name,
            ) from None


def parse_json(name: str, content: bytes) -> Any:
    """An uploaded JSON document, or a clear refusal (bad syntax, absurd nesting)."""
    try:
        return json.loads(decode_text(name, content))
    except json.JSONDecodeError as exc:
        raise refuse(
            f"this is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            position=name,
        ) from None
    except RecursionError:
        raise refuse("this JSON nests too deeply to be a network", position=name) from None


# ------------------------------------------------------------------------ zip


def check_zip(name: str, content: bytes, what: str = "file") -> zipfile.ZipFile:
    """Open a zip (an XLSX is one) after checking it cannot unpack into a bomb."""
    settings = get_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise refuse(
            f"this {what} is damaged and cannot be opened ({exc}); open it in "
            "your spreadsheet program, save it again and retry",
            position=name,
        ) from None
    total = 0
    for m in members:
        total += m.file_size
        packed = max(m.compress_size, 1)
        if m.file_size > 1024 * 1024 and m.file_size / packed > settings.max_zip_ratio:
            raise refuse(
                f"refused: {m.filename!r} inside this {what} would unpack from {packed:,} to "
                f"{m.file_size:,} bytes (more than {settings.max_zip_ratio} times its packed "
                "size), which is how zip bombs look; a real spreadsheet does not do that",
                position=name,
            )
        if total > settings.max_unpacked_bytes:
            raise refuse(
                f"refused: this {what} would unpack to more than "
                f"{settings.max_unpacked_bytes:,} bytes (the limit is "
                "CONSTELLATION_MAX_UNPACKED_BYTES); split it into smaller files",
                position=name,
            )
    return archive


# ------------------------------------------------------------------------ XML


def parse_xml(name: str, content: bytes):
    """Parse XML safely (no entities, no external references) keeping each element's line.

    Every element gets a ``sourceline`` attribute. Files with entity declarations
    (billion laughs) or external references are refused with a clear message.
    """
    from xml.etree.ElementTree import Element, ParseError, TreeBuilder

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    class _Element(Element):
        sourceline: int | None = None

    class _Builder(TreeBuilder):
        expat = None

        def start(self, tag, attrs):
            elem = super().start(tag, attrs)
            elem.sourceline = self.expat.CurrentLineNumber if self.expat else None
            return elem

    builder = _Builder(element_factory=_Element)
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.expat = getattr(parser, "parser", None)
    try:
        parser.feed(content)
        return parser.close()
    except DefusedXmlException as exc:
        raise refuse(
            "refused: the file declares XML entities or refers to outside files "
            f'({exc.__class__.__name__}); such files can exhaust memory ("billion laughs") or '
            "read files they should not, so they are never read. Export it again from the "
            "program that made it",
            position=name,
        ) from None
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        where = f"{name} line {line}" if line else name
        raise refuse(f"this is not well-formed XML: {exc}", position=where) from None


def xml_local(tag: Any) -> str:
    """An element's tag without its namespace: '{http://graphml…}node' -> 'node'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


# ------------------------------------------------------------------------ matching


class NodeIndex:
    """What the workspace already holds, for formats that name nodes by label.

    Kumu sheets without an ID column, CSV tables without an id column and grants name
    nodes by label (and type); a second import of the same file must find the nodes the
    first one made instead of duplicating them, so new ids are only made for labels the
    workspace does not hold yet.
    """

    def __init__(self, repo, workspace: str, exists: bool):
        self.repo, self.workspace, self.exists = repo, workspace, exists
        self._by_label: dict[tuple[str, str], list[str]] | None = None
        self._label_any: dict[str, list[str]] = {}
        self._ids: set[str] = set()
        self._kinds: dict[str, str] = {}
        self._absent: set[str] = set()  # ids asked for that the workspace does not hold

    def _load(self) -> None:
        if self._by_label is not None:
            return
        self._by_label = {}
        if not self.exists:
            return
        for n in self.repo.query_nodes(self.workspace, include_archived=True):
            self._by_label.setdefault((n.kind, n.label.casefold()), []).append(n.id)
            self._label_any.setdefault(n.label.casefold(), []).append(n.id)
            self._ids.add(n.id)
            self._kinds[n.id] = n.kind

    def match(self, kind: str, label: str) -> str | None:
        """The stored node of this kind and label (case aside), if exactly one."""
        self._load()
        found = self._by_label.get((kind, label.casefold()), [])
        return found[0] if len(found) == 1 else None

    def by_label(self, label: str) -> list[str]:
        self._load()
        return self._label_any.get(label.casefold(), [])

    def new_id(self, label: str, taken: set[str]) -> str:
        """A readable id from the label that neither the workspace nor this batch uses."""
        from constellation.store.repository import slugify

        self._load()
        base = slugify(label)
        candidate, n = base, 2
        while candidate in taken or candidate in self._ids:
            candidate = f"{base}-{n}"
            n += 1
        taken.add(candidate)
        return candidate

    def kinds(self, ids: Iterable[str]) -> dict[str, str]:
        """Kinds of stored nodes by id (only the ones asked for).

        Asks the database only for ids it has not asked about before, and not at all once
        every stored node is loaded: readers call this once per edge end they cannot find
        in the file, and imports read everything before they write anything.
        """
        if not self.exists:
            return {}
        ids = list(ids)
        if self._by_label is None:
            wanted = [i for i in set(ids) if i not in self._kinds and i not in self._absent]
            for start in range(0, len(wanted), 5000):
                chunk = wanted[start : start + 5000]
                for n in self.repo.query_nodes(self.workspace, ids=chunk, include_archived=True):
                    self._kinds[n.id] = n.kind
            self._absent.update(i for i in wanted if i not in self._kinds)
        return {i: self._kinds[i] for i in ids if i in self._kinds}
