"""The store: a database (SQLite file or PostgreSQL) holding workspaces of nodes and edges.

>>> from constellation.store import Store
>>> store = Store("sqlite://")          # in memory; a file path or PostgreSQL URL in real use
>>> with store.repository() as repo:
...     _ = repo.create_workspace("demo")
...     _ = repo.create_node("demo", {"kind": "organization", "label": "UNITE-LA"})
...     repo.get_node("demo", "unite-la").kind
'organization'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from constellation.config import get_settings
from constellation.store.engine import (
    WRITE,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from constellation.store.failures import translate_errors
from constellation.store.repository import Repository

__all__ = ["Store", "Repository"]


class Store:
    """An open database. Brings a fresh or older schema up to date on first use."""

    def __init__(
        self,
        url: str | None = None,
        *,
        auto_upgrade: bool | None = None,
        engine: Engine | None = None,
    ):
        settings = get_settings()
        self.url = url or settings.database_url
        self.engine = translate_errors(
            engine
            or make_engine(
                self.url,
                busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                write_wait_ms=settings.sqlite_write_wait_ms,
                pool_size=settings.db_pool_size,
                max_overflow=settings.db_max_overflow,
            )
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self.engine.execution_options(**{WRITE: True}), expire_on_commit=False
        )
        if settings.auto_upgrade if auto_upgrade is None else auto_upgrade:
            self.upgrade()

    def upgrade(self) -> bool:
        """Run pending migrations; return True if any ran."""
        if current_revision(self.engine) == head_revision():
            return False
        upgrade(self.engine)
        return True

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A SQLAlchemy session, committed at the end of the block and rolled back on any
        error; for the store's own modules and tests (the rest use `repository`). With
        `write`, its transactions take the write lock as they begin (SQLite: BEGIN
        IMMEDIATE), so concurrent writers queue instead of failing each other."""
        with (self._writes if write else self._sessions)() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()  # after an earlier commit() this is the next transaction's

    @contextmanager
    def repository(self, actor: str | None = None, *, write: bool = False) -> Iterator[Repository]:
        """A repository in one transaction: committed on success, rolled back on any error.
        `write` marks a unit of work that writes (see `session`); reads leave it out."""
        with self.session(write=write) as session:
            yield Repository(session, actor=actor)

    def close(self) -> None:
        self.engine.dispose()
