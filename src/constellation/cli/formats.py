"""The ``--format`` choices of `import` and `export`, and their help, made from the format
registry (constellation.io).

The registry loads every format, and with them the store; `transfer` reads this module
through `lazy_module`, so only `import` and `export` load it, when they run or show help.
"""

from __future__ import annotations

from enum import StrEnum

from constellation.io import EXPORT_FORMATS, FORMATS, IMPORT_FORMATS
from constellation.io.registry import AUTO

__all__ = ["AUTO", "EXPORT_HELP", "IMPORT_HELP", "ExportFormat", "ImportFormat"]

# mypy cannot see the members of an enum made from data, hence the ignores.
ImportFormat = StrEnum("ImportFormat", {name: name for name in IMPORT_FORMATS})  # type: ignore[misc]
ExportFormat = StrEnum("ExportFormat", {name: name for name in EXPORT_FORMATS})  # type: ignore[misc]
IMPORT_HELP = (
    "What the file is: "
    + ", ".join(f.name for f in FORMATS if f.read is not None)
    + "; auto tells it from the content."
)
EXPORT_HELP = "; ".join(f"{e.name}: {e.description}" for e in EXPORT_FORMATS.values()) + "."
