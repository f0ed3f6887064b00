"""Backup and restore: a whole database to one file, and that file into a new database.

A backup is the native JSON of every table (see `constellation.store.backup`), from either
engine, or for SQLite a page-by-page copy of the file taken while the service runs.
Restore takes either kind into a new, empty database of either engine.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from constellation.errors import ConstellationError
from constellation.store import Store
from constellation.store import backup as rows

__all__ = ["BackupKind", "BackupResult", "backup", "restore"]


class BackupKind(StrEnum):
    json = "json"
    sqlite = "sqlite"


class BackupResult(BaseModel):
    path: str
    kind: BackupKind
    rows: dict[str, int]
    """Rows restored per table (for a restore), or written (for a JSON backup)."""


def backup(store: Store, out: Path, kind: BackupKind = BackupKind.json) -> BackupResult:
    """Write the whole database to `out`."""
    if kind == BackupKind.sqlite:
        rows.copy_sqlite(store, out)
        data = _dump_file(out)
    else:
        data = rows.dump(store)
        temp = out.with_name(out.name + ".partial")
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        temp.replace(out)  # a half-written backup never stands where a whole one should
    counts = {name: len(table) for name, table in data["tables"].items()}
    return BackupResult(path=str(out), kind=kind, rows=counts)


def _dump_file(path: Path) -> dict[str, Any]:
    source = Store(f"sqlite:///{path}", auto_upgrade=False)
    try:
        return rows.dump(source)
    finally:
        source.close()


def _read(path: Path) -> tuple[BackupKind, dict[str, Any]]:
    if not path.is_file():
        raise ConstellationError(f"no backup file at {path}")
    if rows.is_sqlite_file(path):
        return BackupKind.sqlite, _dump_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise rows.InvalidBackup(
            f"{path} is neither a SQLite database nor a JSON backup ({exc})"
        ) from None
    if not isinstance(data, dict):
        raise rows.InvalidBackup(f"{path} is JSON but not a Constellation backup")
    return BackupKind.json, data


def restore(path: Path, url: str) -> BackupResult:
    """Restore the backup at `path` (either kind) into the empty database at `url`."""
    kind, data = _read(path)
    target = Store(url, auto_upgrade=False)
    try:
        counts = rows.load(target, data)
    finally:
        target.close()
    return BackupResult(path=str(path), kind=kind, rows=counts)
