"""Reading untrusted bytes safely: text encodings, JSON, zip archives and XML.

Uploads come from anyone; each parser refuses what could hurt (zip bombs, XML entities,
absurd nesting) with a message that says what to do instead.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, cast

from constellation.config import get_settings
from constellation.io.errors import refuse

__all__ = ["decode_text", "parse_json", "JsonDocuments", "check_zip", "parse_xml", "xml_local"]


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


def parse_xml(name: str, content: bytes) -> Any:  # the root; iter() types lose sourceline
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

        def start(self, tag: str, attrs: dict[str, str]) -> _Element:
            elem = cast(_Element, super().start(tag, attrs))  # made by element_factory
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
