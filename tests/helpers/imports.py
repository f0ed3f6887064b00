"""Imports and exports as the CLI and the API run them, and the files the tests feed them."""

from __future__ import annotations

import io

from constellation.io import export_workspace, import_files
from tests.helpers.store import snapshot


def do_import(store, workspace, files, **kwargs):
    """Import in one transaction, as the CLI and the API do."""
    with store.repository(actor="test") as repo:
        return import_files(repo, workspace, files, **kwargs)


def do_export(store, workspace, fmt):
    with store.repository() as repo:
        return export_workspace(repo, workspace, fmt)


def state(store, workspace):
    """Everything stored for a workspace, or None when it does not exist."""
    with store.repository() as repo:
        if workspace not in {w.slug for w in repo.list_workspaces()}:
            return None
    return snapshot(store, workspace)


def line_of(content: bytes, needle: bytes) -> int:
    """The line (from 1) of the first occurrence of `needle`."""
    return content[: content.index(needle)].count(b"\n") + 1


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook written by openpyxl, one sheet per entry."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
