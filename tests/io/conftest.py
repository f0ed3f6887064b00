"""Fixtures for the import and export tests: every test runs on SQLite and PostgreSQL.

The helpers (`do_import`, `do_export`, `state`, `line_of`, `xlsx`) are in
`tests.helpers.imports`; they are named here too for the modules that import them from here.
"""

from __future__ import annotations

import pytest

from tests.helpers.imports import do_export, do_import, line_of, state, xlsx  # noqa: F401


@pytest.fixture
def empty(store):
    """An empty workspace 'ws'."""
    with store.repository() as repo:
        repo.create_workspace("ws")
    return "ws"
