"""Backup and restore: what a restored database audits and logs is what the original did.

Each test starts from the demo networks with a few edits of its own on top (so the change
log holds updates and archives, not only creates), backs up, restores into a new database
and compares the audit, the change log and the records, workspace by workspace.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from constellation.analysis.params import AuditParams
from constellation.cli import app
from constellation.services.backup import backup, restore
from constellation.services.network import Network
from constellation.store import Store
from constellation.store.backup import InvalidBackup, NotEmpty

runner = CliRunner()


def snapshot(url: str) -> dict[str, Any]:
    """Per workspace: the workspace, its audit, its whole change log and its records."""
    store = Store(url)
    seen: dict[str, Any] = {}
    with store.repository() as repo:
        for ws in repo.list_workspaces():
            net = Network(repo, ws.slug)
            seen[ws.slug] = {
                "workspace": ws.model_dump(mode="json"),
                "audit": net.audit(None, AuditParams()).model_dump(mode="json"),
                "changes": [
                    c.model_dump(mode="json") for c in repo.changes(ws.slug, limit=1_000_000)
                ],
                "nodes": [
                    n.model_dump(mode="json")
                    for n in repo.query_nodes(ws.slug, include_archived=True)
                ],
            }
    store.close()
    return seen


def demo_with_edits(url: str, demo_databases) -> str:
    """The demo at `url`, with an update, an archive and a token on top."""
    demo_databases.copy_to(url)
    store = Store(url)
    with store.repository(actor="carrie") as repo:
        first, second = [n.id for n in repo.query_nodes("la-compact", limit=2)]
        repo.update_node("la-compact", first, {"label": "Renamed for the backup"})
        repo.archive_node("la-compact", second)
        repo.create_token("editor", "la-compact", "laptop")
    store.close()
    return url


def restored_works(url: str) -> None:
    """A restored database takes new writes (PostgreSQL's key sequences are past the rows)."""
    store = Store(url)
    with store.repository(actor="after") as repo:
        node = repo.create_node("la-compact", {"kind": "organization", "label": "After"})
        assert repo.changes("la-compact", limit=1)[0].entity_id == node.id
    store.close()


def test_sqlite_to_sqlite_keeps_the_audit_and_the_change_log(sqlite_url, tmp_path, demo_databases):
    original = snapshot(demo_with_edits(sqlite_url, demo_databases))
    store = Store(sqlite_url)
    result = backup(store, tmp_path / "backup.json")
    store.close()
    assert result.rows["changes"] > 0
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restore(tmp_path / "backup.json", target)
    assert snapshot(target) == original
    restored_works(target)


def test_a_sqlite_file_copy_restores_into_postgresql(sqlite_url, pg_url, tmp_path, demo_databases):
    original = snapshot(demo_with_edits(sqlite_url, demo_databases))
    copy = tmp_path / "backup.db"
    result = runner.invoke(
        app, ["backup", "--kind", "sqlite", "--out", str(copy), "--db", sqlite_url]
    )
    assert result.exit_code == 0, result.output
    assert copy.read_bytes()[:16] == b"SQLite format 3\x00"
    result = runner.invoke(app, ["restore", str(copy), "--db", pg_url])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout
    assert snapshot(pg_url) == original
    restored_works(pg_url)


def test_sqlite_json_to_postgresql_with_its_schema_already_there(
    sqlite_url, pg_url, tmp_path, demo_databases
):
    original = snapshot(demo_with_edits(sqlite_url, demo_databases))
    Store(pg_url).close()  # the schema exists, empty
    store = Store(sqlite_url)
    backup(store, tmp_path / "backup.json")
    store.close()
    restore(tmp_path / "backup.json", pg_url)
    assert snapshot(pg_url) == original


def test_postgresql_to_sqlite(pg_url, tmp_path, demo_databases):
    original = snapshot(demo_with_edits(pg_url, demo_databases))
    out = tmp_path / "backup.json"
    result = runner.invoke(app, ["backup", "--out", str(out), "--db", pg_url])
    assert result.exit_code == 0, result.output
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    result = runner.invoke(app, ["restore", str(out), "--db", target])
    assert result.exit_code == 0, result.output
    assert snapshot(target) == original
    restored_works(target)


def test_restored_tokens_are_listed_but_revoked_and_hold_no_hash(
    sqlite_url, tmp_path, demo_databases
):
    demo_with_edits(sqlite_url, demo_databases)
    store = Store(sqlite_url)
    backup(store, tmp_path / "backup.json")
    store.close()
    text = (tmp_path / "backup.json").read_text()
    assert "secret_hash" not in text
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restore(tmp_path / "backup.json", target)
    restored = Store(target)
    with restored.repository() as repo:
        tokens = repo.list_tokens()
    restored.close()
    assert [(t.name, t.workspace) for t in tokens] == [("laptop", "la-compact")]
    assert tokens[0].revoked_at is not None


def test_restore_refuses_a_database_that_holds_data_and_writes_nothing(
    sqlite_url, pg_url, tmp_path, demo_databases
):
    demo_with_edits(sqlite_url, demo_databases)
    store = Store(sqlite_url)
    backup(store, tmp_path / "backup.json")
    store.close()
    target = Store(pg_url)
    with target.repository() as repo:
        repo.create_workspace("already-here")
    target.close()
    before = snapshot(pg_url)
    with pytest.raises(NotEmpty, match="already holds data"):
        restore(tmp_path / "backup.json", pg_url)
    result = runner.invoke(app, ["restore", str(tmp_path / "backup.json"), "--db", pg_url])
    assert result.exit_code == 1
    assert "already holds data" in result.stderr
    assert snapshot(pg_url) == before


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_url, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(InvalidBackup, match="not a Constellation backup"):
        restore(bad, sqlite_url)
    assert not (tmp_path / "constellation.db").exists()  # nothing opened, nothing written
