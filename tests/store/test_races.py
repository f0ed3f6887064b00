"""A writer that commits between another's version check and its write, made deterministic:
a hook on the engine runs the second writer (its own connection) just before the first
one's statement reaches the database. The first is refused (412), nothing of it written,
and the change log's versions follow the database's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from constellation.errors import VersionConflict
from constellation.store import Repository, Store

WS = "la"
NODE = "unite-la"
EDGE = "unite-la--convenes--data-workgroup"
LONE = "goal-1"  # a node no edge touches: its delete is its first write


@pytest.fixture
def ws(store):
    with store.repository() as r:
        r.create_workspace(WS)
        r.create_node(WS, {"kind": "organization", "label": "UNITE-LA", "id": NODE})
        r.create_node(WS, {"kind": "constellation", "label": "Data Workgroup"})
        r.create_edge(WS, {"kind": "convenes", "source": NODE, "target": "data-workgroup"})
        r.create_node(WS, {"kind": "goal", "label": "Graduate", "id": LONE})
    return WS


@contextmanager
def between_check_and_write(
    store: Store, statement: str, meanwhile: Callable[[Repository], object]
) -> Iterator[list[str]]:
    """Run `meanwhile` in a second store (its own connection, committed) right before the
    first statement that starts with `statement` is sent; yields what the hook saw."""
    other = Store(store.url, auto_upgrade=False)
    seen: list[str] = []

    def hook(conn, cursor, sql, params, context, executemany):
        if not seen and sql.lstrip().upper().startswith(statement.upper()):
            seen.append(sql)
            with other.repository(actor="second") as second:
                meanwhile(second)

    event.listen(store.engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", hook)
        other.close()


def relabel(what: str, ident: str) -> Callable[[Repository], object]:
    def change(second: Repository) -> object:
        return getattr(second, f"update_{what}")(WS, ident, {"tags": ["edited-meanwhile"]}, 1)

    return change


def log(store: Store, what: str, ident: str) -> list[tuple[str, int]]:
    with store.repository() as r:
        return [(c.action, c.version) for c in r.changes(WS, entity=what, entity_id=ident)]


def current(store: Store, what: str, ident: str):
    with store.repository() as r:
        return getattr(r, f"get_{what}")(WS, ident)


@pytest.mark.parametrize("what,ident", [("node", LONE), ("edge", EDGE)])
def test_a_stale_delete_is_refused_and_the_edit_between_survives(store, ws, what, ident):
    table = "nodes" if what == "node" else "edges"
    with (
        between_check_and_write(store, f"DELETE FROM {table}", relabel(what, ident)) as seen,
        pytest.raises(VersionConflict) as info,
        store.repository() as first,
    ):
        if what == "node":
            first.delete_node(WS, ident, expected_version=1)
        else:
            first.delete_edge(WS, ident, expected_version=1)
    assert seen, "the second writer ran between the check and the delete"
    assert (info.value.expected, info.value.actual) == (1, 2)
    record = current(store, what, ident)
    assert (record.version, record.tags) == (2, ["edited-meanwhile"])
    assert log(store, what, ident) == [("update", 2), ("create", 1)]


@pytest.mark.parametrize("action", ["archive", "update"])
@pytest.mark.parametrize("what,ident", [("node", NODE), ("edge", EDGE)])
def test_a_stale_archive_or_update_is_refused_and_the_edit_between_survives(
    store, ws, what, ident, action
):
    table = "nodes" if what == "node" else "edges"
    with (
        between_check_and_write(store, f"UPDATE {table}", relabel(what, ident)) as seen,
        pytest.raises(VersionConflict),
        store.repository() as first,
    ):
        if action == "archive":
            getattr(first, f"archive_{what}")(WS, ident, 1)
        else:
            getattr(first, f"update_{what}")(WS, ident, {"tags": ["stale"]}, 1)
    assert seen
    record = current(store, what, ident)
    assert (record.version, record.tags, record.archived_at) == (2, ["edited-meanwhile"], None)
    assert log(store, what, ident) == [("update", 2), ("create", 1)]


def test_a_stale_restore_is_refused(store, ws):
    with store.repository() as r:
        r.archive_node(WS, NODE, 1)

    def change(second: Repository) -> object:
        return second.update_node(WS, NODE, {"tags": ["edited-meanwhile"]}, 2)

    with (
        between_check_and_write(store, "UPDATE nodes", change) as seen,
        pytest.raises(VersionConflict),
        store.repository() as first,
    ):
        first.restore_node(WS, NODE, 2)
    assert seen
    record = current(store, "node", NODE)
    assert record.version == 3 and record.archived_at is not None
    assert log(store, "node", NODE) == [("update", 3), ("archive", 2), ("create", 1)]
