"""The formats Constellation reads and writes, in one list, and how a file's format is told.

`FORMATS` lists every format module's record. Its order is the order in which they are
asked whether a file is theirs, the more particular first (a Cytoscape.js document
also has Kumu's ``elements``; a CSV node table also has Kumu's ``Label``), and the order
the command line, ``/api/formats`` and the edit page list them in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from constellation.io import (
    csv_tables,
    cytoscape,
    gexf,
    giving360,
    graphml,
    indicator_values,
    kumu,
    native,
)
from constellation.io.errors import refuse
from constellation.io.formats import (
    Export,
    ExportFormatInfo,
    Format,
    FormatList,
    ImportFormatInfo,
    Match,
    Reader,
    Sample,
)
from constellation.io.mapping import Mapping
from constellation.io.parsing import JsonDocuments

if TYPE_CHECKING:
    from constellation.io.errors import UnreadableFile

__all__ = ["AUTO", "FORMATS", "Registry", "container_of", "is_xlsx"]

AUTO = "auto"
"""The import format that means: tell it from the content."""

_XLSX, _ZIP, _OLE = b"PK\x03\x04", b"PK", b"\xd0\xcf\x11\xe0"


def is_xlsx(content: bytes) -> bool:
    """A zip that is an Excel workbook (not a zip of CSV files)."""
    return (
        content.startswith(_XLSX)
        and b"[Content_Types].xml" in content[:4096]
        or (content.startswith(_XLSX) and b"xl/" in content)
    )


def is_zip(content: bytes) -> bool:
    return content.startswith(_ZIP)


def container_of(name: str, content: bytes) -> str:
    """What a file is underneath its format: json, xml, xlsx, text, or zip (of CSV files).

    An old Excel (.xls) file is refused here, whatever format is asked for.
    """
    sample = Sample(name, content, "")
    if content.startswith(_OLE) or sample.suffix == ".xls":
        raise refuse(
            "this is an old Excel (.xls) file; open it and save it as .xlsx (Excel "
            "Workbook), then import that",
            position=name,
        )
    if is_zip(content):
        return "xlsx" if is_xlsx(content) or sample.suffix == ".xlsx" else "zip"
    if sample.head.startswith(b"<"):
        return "xml"
    if sample.head.startswith((b"{", b"[")) or sample.suffix == ".json":
        return "json"
    return "text"


def _either(items: list[str], word: str = "or") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


class Registry:
    """Formats by name, in the order they are asked about a file."""

    def __init__(self, formats: list[Format]):
        exports = [e.name for f in formats for e in f.exports]
        if len(exports) != len(set(exports)) or len(formats) != len({f.name for f in formats}):
            raise ValueError("two formats, or two exports, share a name")
        self._formats = {f.name: f for f in formats}
        self._exports = {e.name: (f, e) for f in formats for e in f.exports}

    def __iter__(self) -> Iterator[Format]:
        return iter(self._formats.values())

    def __getitem__(self, name: str) -> Format:
        return self._formats[name]

    # ---------------------------------------------------------------- names

    def import_names(self) -> tuple[str, ...]:
        """``auto``, then every format with a reader."""
        return (AUTO, *(f.name for f in self if f.read is not None))

    def exports(self) -> dict[str, Export]:
        """Every file an export can write, by the name ``--format`` gives it."""
        return {name: export for name, (_, export) in self._exports.items()}

    def reader(self, name: str) -> Reader:
        found = self._formats.get(name)
        if found is None or found.read is None:
            raise refuse(
                f"unknown format {name!r}; the formats are: " + ", ".join(self.import_names())
            )
        return found.read

    def export(self, name: str) -> Export:
        if name not in self._exports:
            raise refuse(
                f"unknown export format {name!r}; the formats are: " + ", ".join(self._exports),
                field="format",
            )
        return self._exports[name][1]

    # ---------------------------------------------------------------- recognition

    def detect(
        self,
        name: str,
        content: bytes,
        mapping: Mapping | None = None,
        docs: JsonDocuments | None = None,
    ) -> str:
        """The format of a file: the first format sure of its content, else the first whose
        file names it has; a format that is only written refuses its files with its reason."""
        container = container_of(name, content)
        if container == "zip":
            return "zip"
        sample = Sample(name, content, container, mapping, docs)
        by_name: Format | None = None
        found: Format | None = None
        for fmt in self:
            match = fmt.sniff(sample) if fmt.sniff is not None else Match.NO
            if match == Match.CONTENT:
                found = fmt
                break
            if match == Match.NAME and by_name is None:
                by_name = fmt
        found = found or by_name
        if found is None:
            raise self._unrecognised(sample)
        if found.read is None:
            raise refuse(found.not_read or f"{found.title} files are not read", position=name)
        return found.name

    def _unrecognised(self, sample: Sample) -> UnreadableFile:
        shapes = [
            f.shapes[sample.container]
            for f in self
            if f.read is not None and sample.container in f.shapes
        ]
        if sample.container == "xml" and shapes:
            return refuse(
                f"this XML file is neither {_either(shapes, 'nor')}", position=sample.name
            )
        if sample.container == "json" and shapes:
            return refuse(
                f"this JSON is not a format Constellation reads: it expects {_either(shapes)}",
                position=sample.name,
            )
        return refuse(
            "the format of this file cannot be told from its content; name it with "
            "--format (one of: " + ", ".join(self.import_names()[1:]) + ")",
            position=sample.name,
        )

    # ---------------------------------------------------------------- listing

    def listing(self) -> FormatList:
        """What ``/api/formats`` answers."""
        return FormatList(
            import_=list(self.import_names()),
            export=[
                ExportFormatInfo(
                    name=e.name,
                    media_type=e.media_type,
                    suffix=e.suffix,
                    description=e.description,
                    format=f.name,
                )
                for f, e in self._exports.values()
            ],
            import_formats=[
                ImportFormatInfo(
                    name=f.name,
                    title=f.title,
                    description=f.description,
                    suffixes=list(f.suffixes),
                    shapes=dict(f.shapes),
                )
                for f in self
                if f.read is not None
            ],
        )


FORMATS = Registry(
    [
        native.FORMAT,
        graphml.FORMAT,
        gexf.FORMAT,
        giving360.FORMAT,
        cytoscape.FORMAT,
        indicator_values.FORMAT,
        csv_tables.FORMAT,
        kumu.FORMAT,
    ]
)
"""Every format, the more particular first (see the module's docstring)."""
