"""Commands that back a database up to one file and restore it into a new database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from constellation.cli.common import DbOption, _fail, app, out
from constellation.cli.lazy import lazy_module
from constellation.errors import ConstellationError

if TYPE_CHECKING:
    from constellation.services import backup as backups
    from constellation.services.backup import BackupResult
else:  # the service imports the store: read when `backup` runs or shows its help
    backups = lazy_module("constellation.services.backup")

JSON_BACKUP = cast("backups.BackupKind", "json")
"""The default --kind, as the member's string (Typer turns it into the member): naming the
member would import the service, and with it the store, at start-up."""


def _summary(result: BackupResult) -> str:
    return ", ".join(f"{n} {table}" for table, n in result.rows.items())


@app.command()
def backup(
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write (default: constellation-<UTC time>)."),
    ] = None,
    kind: Annotated[
        backups.BackupKind,
        typer.Option(
            "--kind",
            help="json: every table as JSON (either engine); sqlite: a copy of the SQLite "
            "file taken with the online backup API.",
        ),
    ] = JSON_BACKUP,
    db: DbOption = None,
) -> None:
    """Back the whole database up to one file, while the service runs.

    Holds every workspace with its change log, and the tokens' names, roles and scopes
    but not their secrets' hashes: restored tokens come back revoked.
    """
    import datetime as dt

    from constellation.config import get_settings
    from constellation.store import Store

    url = db or get_settings().database_url
    suffix = "json" if kind == backups.BackupKind.json else "db"
    target = out_file or Path(f"constellation-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.{suffix}")
    try:
        store = Store(url)
    except Exception as exc:  # a bad URL or an unreachable server
        raise _fail(f"cannot open the database {url!r}: {exc}") from None
    try:
        result = backups.backup(store, target, kind)
    except ConstellationError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()
    out.print(f"Backed up {url} to {result.path} ({_summary(result)}).", highlight=False)


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup: JSON, or a SQLite copy.")],
    db: DbOption = None,
) -> None:
    """Restore a backup into a new, empty database (SQLite or PostgreSQL).

    Refuses, writing nothing, a database that already holds data.
    """
    from constellation.config import get_settings

    url = db or get_settings().database_url
    try:
        result = backups.restore(file, url)
    except ConstellationError as exc:
        raise _fail(str(exc)) from None
    out.print(f"Restored {file} into {url} ({_summary(result)}).", highlight=False)
    out.print("Tokens come back revoked: make new ones with `constellation token create`.")
