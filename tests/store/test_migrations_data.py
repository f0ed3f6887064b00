"""Migrations on real data: the demo survives a downgrade to the first revision and back,
and a migration that fails half-way leaves the database at the revision it started from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from constellation.store import Store
from constellation.store.engine import (
    _migrations_dir,
    current_revision,
    downgrade,
    head_revision,
    migrations_config,
    upgrade,
)

FIRST = "0001"
FAILING = '''"""A migration that fails after its first step (for the test only)."""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("nodes", sa.Column("half_way", sa.Integer(), nullable=True))
    op.execute("UPDATE nodes SET half_way = 1")
    raise RuntimeError("the second step of this migration failed")


def downgrade() -> None:
    op.drop_column("nodes", "half_way")
'''


def records(store: Store) -> dict[str, object]:
    """Counts per workspace, and a sample: every 10th node and edge, and the change log."""
    seen: dict[str, object] = {}
    with store.repository() as repo:
        for ws in repo.list_workspaces():
            nodes = repo.query_nodes(ws.slug, include_archived=True)
            edges = repo.query_edges(ws.slug, include_archived=True)
            seen[ws.slug] = {
                "counts": (ws.nodes, ws.edges, ws.revision, len(nodes), len(edges)),
                "nodes": [n.model_dump(mode="json") for n in nodes[::10]],
                "edges": [e.model_dump(mode="json") for e in edges[::10]],
                "changes": [c.model_dump(mode="json") for c in repo.changes(ws.slug, limit=10**6)],
            }
    return seen


def test_the_demo_survives_a_downgrade_to_the_first_revision_and_back(demo_store):
    before = records(demo_store)
    assert before  # the demo is there
    downgrade(demo_store.engine, FIRST)
    assert current_revision(demo_store.engine) == FIRST
    assert "tokens" not in inspect(demo_store.engine).get_table_names()
    assert records(demo_store) == before
    upgrade(demo_store.engine)
    assert current_revision(demo_store.engine) == head_revision()
    assert records(demo_store) == before


@pytest.fixture
def failing_migrations(tmp_path: Path) -> Path:
    """The project's migrations with one more on top whose upgrade raises half-way."""
    folder = tmp_path / "migrations"
    shutil.copytree(_migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_fails.py").write_text(FAILING.format(head=head_revision()))
    return folder


def test_a_migration_failing_half_way_leaves_the_old_revision(demo_store, failing_migrations):
    """From the first revision the run is 0002, 0003, then the failing one, in one
    transaction: every step is undone, on PostgreSQL (transactional DDL) and on SQLite (whose DDL is
    transactional too once the migration's transaction is really begun)."""
    downgrade(demo_store.engine, FIRST)
    before = records(demo_store)
    cfg = migrations_config(demo_store.engine)
    cfg.set_main_option("script_location", str(failing_migrations))
    with pytest.raises(RuntimeError, match="second step of this migration failed"):
        command.upgrade(cfg, "heads")
    assert current_revision(demo_store.engine) == FIRST
    tables = inspect(demo_store.engine)
    assert "tokens" not in tables.get_table_names()
    assert "half_way" not in {c["name"] for c in tables.get_columns("nodes")}
    assert records(demo_store) == before
    upgrade(demo_store.engine)  # the real migrations still run after it
    assert current_revision(demo_store.engine) == head_revision()
