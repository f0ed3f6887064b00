"""Engines for SQLite and PostgreSQL, and the schema migrations that keep them current."""

from __future__ import annotations

import random
import sqlite3
import time
import typing
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from constellation.errors import StoreUnavailable

__all__ = [
    "WRITE",
    "make_engine",
    "normalise_url",
    "migrations_config",
    "upgrade",
    "downgrade",
    "current_revision",
    "head_revision",
]


def normalise_url(url: str) -> str:
    """Map a plain ``postgresql://`` URL to the psycopg 3 driver we ship.

    >>> normalise_url("postgresql://me@localhost/test")
    'postgresql+psycopg://me@localhost/test'
    >>> normalise_url("sqlite:///constellation.db")
    'sqlite:///constellation.db'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


WRITE = "constellation_write"
"""The execution option that marks a write transaction: on SQLite it begins IMMEDIATE."""


def begin_immediate(dbapi_connection: sqlite3.Connection, wait_s: float) -> None:
    """Take SQLite's write lock as the transaction begins (BEGIN IMMEDIATE), before any read:
    a writer then queues for the lock instead of finding, at its first write, that another
    took it, and what it read stays true until it commits. SQLite waits a busy timeout per
    try; a lock still busy after it is asked for again, with a short pause, until `wait_s`
    has passed, and only then answered as unavailable."""
    deadline = time.monotonic() + wait_s
    pause = 0.005
    while True:
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise StoreUnavailable(
                    f"the database is not answering ({exc}); try again in a moment"
                ) from exc
        time.sleep(pause * (0.5 + random.random()))
        pause = min(pause * 2, 0.2)


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 5000,
    write_wait_ms: int = 60_000,
    pool_size: int = 5,
    max_overflow: int = 10,
    echo: bool = False,
) -> Engine:
    """Create an engine; on SQLite turn on foreign keys, WAL and a busy timeout per connection,
    and begin the transactions marked with the `WRITE` option IMMEDIATE (reads stay
    deferred: the driver begins them at their first write, as before)."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # pragma: no cover
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            if conn.get_execution_options().get(WRITE):
                raw = typing.cast(sqlite3.Connection, conn.connection.dbapi_connection)
                begin_immediate(raw, write_wait_ms / 1000)

        return engine
    return create_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow
    )


def _migrations_dir() -> Path:
    """The Alembic folder: shipped inside the wheel, or the repository's ``migrations/``."""
    shipped = resources.files("constellation") / "_migrations"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[3] / "migrations"


def migrations_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_migrations_dir()))
    if engine is not None:
        cfg.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
        # A write: on SQLite its transaction then really begins (BEGIN IMMEDIATE), so a run of
        # migrations that fails half-way is undone whole there too, as on PostgreSQL (the
        # driver alone would leave the DDL before the failure in place).
        cfg.attributes["engine"] = engine.execution_options(**{WRITE: True})
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(migrations_config()).get_current_head()
    if head is None:  # the package ships its migrations: none found means a broken install
        raise RuntimeError(f"no migrations in {_migrations_dir()}; reinstall constellation")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(migrations_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(migrations_config(engine), revision)
