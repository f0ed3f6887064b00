"""What a format declares about itself: its record (`Format`), and what its parts are handed.

Each format module declares one `Format`: its name, how to recognise one of its files
(`sniff`, and the `shapes` its files take), its reader, its exports (name, media type,
suffix, writer) and a line saying what it is for. `constellation.io.registry` lists the
records; the import and export functions, the command line's ``--format`` choices,
``/api/formats`` and the edit page's buttons are all made from that list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from constellation.io.csv_files import csv_header
from constellation.io.parsing import JsonDocuments

if TYPE_CHECKING:
    from constellation.io.batching import Batch, NodeIndex
    from constellation.io.mapping import Mapping as TypeMapping
    from constellation.io.mapping import Resolver

__all__ = [
    "CONTAINERS",
    "Export",
    "ExportFormatInfo",
    "Format",
    "FormatList",
    "ImportFormatInfo",
    "Match",
    "Reading",
    "Sample",
]

CONTAINERS = ("json", "xml", "xlsx", "text")
"""What a file is underneath its format: the keys of `Format.shapes`."""


class Match(IntEnum):
    """How sure a format is that a file is one of its own."""

    NO = 0
    NAME = 1
    """Only the file's name says so (``x.graphml`` whose XML names no GraphML root)."""
    CONTENT = 2
    """The file's content has the format's shape."""


class Sample:
    """One file being recognised: its name, its bytes, and what lies under them.

    The JSON document and the CSV header are read once, when a format first asks, and the
    JSON document is kept in `docs` for the reader.
    """

    def __init__(
        self,
        name: str,
        content: bytes,
        container: str,
        mapping: TypeMapping | None = None,
        docs: JsonDocuments | None = None,
    ):
        self.name, self.content, self.container, self.mapping = name, content, container, mapping
        self.docs = docs if docs is not None else JsonDocuments()
        self.suffix = PurePath(name).suffix.lower()
        self.head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
        """The start of the file, without a byte-order mark or leading blanks."""

    @cached_property
    def document(self) -> Any:
        """The parsed JSON (only for a ``json`` container)."""
        return self.docs.get(self.name, self.content)

    @cached_property
    def header(self) -> list[str]:
        """The first non-blank row (only for a ``text`` container)."""
        return csv_header(self.name, self.content)

    @property
    def text(self) -> str:
        """The start of the file as text, for a look at an XML root."""
        return self.head.decode("utf-8", "replace")


@dataclass(frozen=True)
class Reading:
    """What a reader is handed besides its files."""

    resolver: Resolver
    """Maps foreign types onto kinds and collects what does not map."""
    index: NodeIndex
    """What the workspace holds already, to find nodes by label."""
    docs: JsonDocuments
    """JSON documents parsed while the files were recognised."""


Reader = Callable[[list[tuple[str, bytes]], Reading], "Batch"]
"""read(files, reading) -> Batch: all the files of one import, in the order given."""

Writer = Callable[[Any, str], bytes]
"""write(repo, workspace) -> the file's bytes."""

FileReader = Callable[[str, bytes, "Resolver", "NodeIndex"], "Batch"]
"""read(name, content, resolver, index) -> Batch: one file on its own."""


def each_file(read: FileReader) -> Reader:
    """A format's reader from one that reads a single file: every file read in turn."""

    def read_files(files: list[tuple[str, bytes]], reading: Reading) -> Batch:
        from constellation.io.batching import Batch

        batch = Batch()
        for name, content in files:
            batch.extend(read(name, content, reading.resolver, reading.index))
        return batch

    return read_files


def xml_root(root: str, suffix: str) -> Callable[[Sample], Match]:
    """A sniffer for an XML format: its root element (any namespace prefix) tells it, its
    suffix alone makes it a guess."""
    pattern = re.compile(rf"<(\w+:)?{root}[\s>]")

    def sniff(sample: Sample) -> Match:
        if sample.container != "xml":
            return Match.NO
        if pattern.search(sample.text):
            return Match.CONTENT
        return Match.NAME if sample.suffix == suffix else Match.NO

    return sniff


@dataclass(frozen=True)
class Export:
    """One file a format writes: its name for ``--format``, media type, suffix and writer."""

    name: str
    media_type: str
    suffix: str
    description: str
    write: Writer = field(repr=False, compare=False)


@dataclass(frozen=True)
class Format:
    """A format's record: everything the import and export need to know about it."""

    name: str
    """What ``--format`` and the API call it."""
    title: str
    """Its name in a sentence ("GraphML", "Kumu")."""
    description: str
    """One line: what it is and who writes it."""
    shapes: Mapping[str, str] = field(default_factory=dict)
    """container -> how its files look in it ("a Kumu blueprint (elements, connections)"),
    for each container it is found in; used in the messages for files nothing recognises."""
    suffixes: tuple[str, ...] = ()
    """The names its files usually end with (for file pickers and the listing)."""
    sniff: Callable[[Sample], Match] | None = field(default=None, repr=False, compare=False)
    """How sure it is that a file is one of its own."""
    read: Reader | None = field(default=None, repr=False, compare=False)
    """Its reader; None for a format that is only written."""
    not_read: str | None = None
    """For a format without a reader: why its files are refused, and what to do instead."""
    exports: tuple[Export, ...] = ()
    """The files it writes (Kumu writes a blueprint, a workbook and a zip of CSV files)."""


# ------------------------------------------------------------------------ the listing


class ExportFormatInfo(BaseModel):
    """A format an export writes, as ``/api/formats`` lists it."""

    name: str = Field(description="The value of `format` for the export.")
    media_type: str
    suffix: str = Field(description="The end of the file name the export suggests.")
    description: str
    format: str = Field(description="The format this file is in (kumu-xlsx is in kumu).")


class ImportFormatInfo(BaseModel):
    """A format an import reads, as ``/api/formats`` lists it."""

    name: str = Field(description="The value of `format` for the import.")
    title: str
    description: str
    suffixes: list[str] = Field(description="The names its files usually end with.")
    shapes: dict[str, str] = Field(
        description="What its files look like, by what they are underneath (json, xml, xlsx, text)."
    )


class FormatList(BaseModel):
    """The formats import and export understand."""

    model_config = ConfigDict(populate_by_name=True)

    import_: list[str] = Field(
        alias="import", description="Import formats; auto tells the format from the content."
    )
    export: list[ExportFormatInfo]
    import_formats: list[ImportFormatInfo] = Field(
        description="The import formats (auto aside), each with what it reads."
    )
