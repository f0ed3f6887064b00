"""The command line: one command per job, each a thin layer over the library.

The Typer app lives in ``common``; each module below registers one group of commands on it.
"""

from constellation.cli import (  # noqa: F401 - registers
    admin,
    analysis,
    backup,
    candidates,
    dedupe,
    maps,
    records,
    reports,
    transfer,
)
from constellation.cli.common import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover
    app()
