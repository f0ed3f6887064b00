"""Backups: every row of every table as plain JSON, and back into an empty database.

The rows keep their primary keys, so the change log, versions and revisions come back
exactly; on PostgreSQL the key sequences are moved past the highest key restored. Tokens
come back without their secrets' hashes (a backup file should not let anyone sign in): each
restored token is revoked as it is restored, and its owner makes a new one.

SQLite files can also be copied whole while the service runs, with sqlite3's online backup
API, which copies a consistent snapshot page by page under the database's own locks.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import typing
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Table, func, insert, select, text
from sqlalchemy.engine import make_url

from constellation.errors import ConstellationError
from constellation.store import Store
from constellation.store.engine import current_revision, head_revision
from constellation.store.tables import Change, Edge, Node, Token, UTCDateTime, Workspace, utcnow

__all__ = [
    "FORMAT",
    "InvalidBackup",
    "NotEmpty",
    "dump",
    "load",
    "is_empty",
    "copy_sqlite",
    "is_sqlite_file",
]

FORMAT = "constellation-backup/1"
"""What a backup file says it is, in its ``format`` field."""

# In the order they are restored: each refers only to those before it.
TABLES: tuple[Table, ...] = (
    Workspace.__table__,
    Node.__table__,
    Edge.__table__,
    Change.__table__,
    Token.__table__,
)
LEFT_OUT = {"tokens": {"secret_hash"}}
"""Columns a backup does not hold."""
REVOKED = "!"
"""The hash a restored token gets: no SHA-256 digest equals it, so the token never works."""


class InvalidBackup(ConstellationError):
    """A file that is not a backup this version can restore."""


class NotEmpty(ConstellationError):
    """A restore was asked into a database that already holds data."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def dump(store: Store) -> dict[str, Any]:
    """Every row of every table, from one snapshot: PostgreSQL's repeatable read (writers
    go on), or on SQLite a transaction holding the write lock (writers wait the fraction
    of a second the dump takes; the driver would not hold a read transaction open)."""
    data: dict[str, Any] = {"format": FORMAT, "revision": current_revision(store.engine)}
    postgres = store.engine.dialect.name == "postgresql"
    with store.session(write=not postgres) as session:
        if postgres:
            session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in TABLES:
            skip = LEFT_OUT.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skip]
            rows = session.execute(select(*columns).order_by(table.c.pk)).mappings()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
        data["tables"] = tables
    return data


def is_empty(store: Store) -> bool:
    """Whether the database holds no rows in any table (its schema may exist or not)."""
    if current_revision(store.engine) is None:
        return True
    with store.session() as session:
        return all(session.scalar(select(func.count()).select_from(t)) == 0 for t in TABLES)


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row from JSON with its dates and timestamps parsed again."""
    typed = dict(row)
    for column in table.columns:
        value = typed.get(column.name)
        if isinstance(value, str):
            if isinstance(column.type, UTCDateTime):
                typed[column.name] = dt.datetime.fromisoformat(value)
            elif isinstance(column.type, Date):
                typed[column.name] = dt.date.fromisoformat(value)
    return typed


def load(store: Store, data: dict[str, Any]) -> dict[str, int]:
    """Write a `dump` into `store`, which must be empty, in one transaction; return the rows
    restored per table. Brings the schema to head first; refuses (writing nothing) a file
    of another format or revision, or a database that holds data."""
    if data.get("format") != FORMAT:
        raise InvalidBackup(
            f"not a Constellation backup (its format is {data.get('format')!r}, "
            f"expected {FORMAT!r})"
        )
    if data.get("revision") != head_revision():
        raise InvalidBackup(
            f"the backup is of schema revision {data.get('revision')!r} and this version "
            f"restores {head_revision()!r}; restore it with the version that wrote it, then "
            "`constellation db upgrade`"
        )
    if not is_empty(store):
        raise NotEmpty(
            f"the database {store.engine.url.render_as_string()} already holds data; restore "
            "only into a new, empty database (nothing was written)"
        )
    store.upgrade()
    counts: dict[str, int] = {}
    restored_at = utcnow()
    with store.session(write=True) as session:
        for table in TABLES:
            rows = [_typed(table, r) for r in data["tables"].get(table.name, [])]
            if table.name == "tokens":
                for r in rows:
                    r["secret_hash"] = REVOKED
                    r["revoked_at"] = r.get("revoked_at") or restored_at
            if rows:
                session.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if store.engine.dialect.name == "postgresql":
            for table in TABLES:
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'pk'), "
                        f"COALESCE((SELECT max(pk) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return counts


def is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def copy_sqlite(store: Store, target: Path) -> None:
    """Copy the SQLite database to `target` with the online backup API: a consistent copy
    even while the service writes (writers wait for the page copy, never fail)."""
    if store.engine.dialect.name != "sqlite":
        raise ConstellationError(
            "a file copy is only for SQLite databases; use the JSON backup for PostgreSQL"
        )
    source_path = make_url(store.url).database
    if not source_path or source_path == ":memory:":
        raise ConstellationError("an in-memory SQLite database has no file to copy")
    if target.exists():
        target.unlink()
    with store.engine.connect() as conn:
        raw = typing.cast(sqlite3.Connection, conn.connection.dbapi_connection)
        with sqlite3.connect(target) as dest:
            raw.backup(dest)
        dest.close()
