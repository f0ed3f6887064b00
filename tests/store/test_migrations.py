"""Alembic on both engines: up, down, up again, and the models match the migrated schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from constellation.store import Store
from constellation.store.engine import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    upgrade,
)
from constellation.store.tables import Base

TABLES = {"workspaces", "nodes", "edges", "changes"}


def test_upgrade_downgrade_upgrade(db_url):
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert TABLES <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_match_the_migrations(db_url):
    """Autogenerate finds nothing to add: every model change came with a revision."""
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata
        )
    engine.dispose()
    assert diff == []


def test_store_upgrades_a_fresh_database_on_first_use(db_url):
    store = Store(db_url)
    assert current_revision(store.engine) == head_revision()
    assert store.upgrade() is False  # already current
    store.close()


def test_sqlite_pragmas(sqlite_url):
    from sqlalchemy import text

    engine = make_engine(sqlite_url, busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 1234
    engine.dispose()
