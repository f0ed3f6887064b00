"""The store's unit of work and its errors, on both engines: commit, savepoints, the rows a
graph is built from, tokens through the repository, and database errors in the library's
own words."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from constellation.errors import (
    NotFound,
    StoreConflict,
    StoreError,
    StoreUnavailable,
)
from constellation.store import Store
from constellation.store.tables import Workspace


def driver_classes(error: BaseException | None) -> set[str]:
    """The class names of a driver's error (sqlite3's or psycopg's, both DB-API)."""
    return {c.__name__ for c in type(error).__mro__}


def labels(store, workspace="w"):
    with store.repository() as r:
        return sorted(n.label for n in r.query_nodes(workspace))


@pytest.fixture
def ws(store):
    with store.repository() as r:
        r.create_workspace("w")
        r.create_node("w", {"kind": "goal", "label": "Kept"})
    return "w"


def test_commit_keeps_what_came_before_an_error(store, ws):
    with pytest.raises(RuntimeError), store.repository() as r:
        r.create_node(ws, {"kind": "goal", "label": "Committed"})
        r.commit()
        r.create_node(ws, {"kind": "goal", "label": "Rolled back"})
        raise RuntimeError("stop")
    assert labels(store) == ["Committed", "Kept"]


def test_rollback_undoes_since_the_last_commit(store, ws):
    with store.repository() as r:
        r.create_node(ws, {"kind": "goal", "label": "Undone"})
        r.rollback()
        r.create_node(ws, {"kind": "goal", "label": "After"})
    assert labels(store) == ["After", "Kept"]


def test_a_savepoint_without_keep_undoes_only_its_block(store, ws):
    with store.repository() as r:
        r.create_node(ws, {"kind": "goal", "label": "Before"})
        with r.savepoint(keep=False):
            r.create_node(ws, {"kind": "goal", "label": "Trial"})
            assert "Trial" in [n.label for n in r.query_nodes(ws)]
        r.create_node(ws, {"kind": "goal", "label": "After"})
    assert labels(store) == ["After", "Before", "Kept"]


def test_a_savepoint_is_undone_when_its_block_raises_and_kept_otherwise(store, ws):
    with store.repository() as r:
        with pytest.raises(RuntimeError), r.savepoint():
            r.create_node(ws, {"kind": "goal", "label": "Failed"})
            raise RuntimeError("stop")
        with r.savepoint():
            r.create_node(ws, {"kind": "goal", "label": "Saved"})
    assert labels(store) == ["Kept", "Saved"]


def test_graph_rows_are_plain_tuples_valid_on_the_day(store):
    with store.repository() as r:
        r.create_workspace("g")
        r.bulk_upsert(
            "g",
            [
                {"id": "a", "kind": "goal", "label": "A"},
                {"id": "b", "kind": "goal", "label": "B", "valid_from": "2020-01-01"},
                {"id": "i", "kind": "indicator", "label": "I"},
            ],
            [{"id": "m", "kind": "measures", "source": "i", "target": "b"}],
        )
        revision = r.revision("g")
        early = r.graph_rows("g", dt.date(2019, 1, 1))
        early_nodes, early_edges = list(early.nodes), list(early.edges)
        every = r.graph_rows("g", None)
        every_nodes, every_edges = list(every.nodes), list(every.edges)
    assert early.revision == revision
    assert sorted(row[1] for row in early_nodes) == ["a", "i"]
    assert sorted(row[1] for row in every_nodes) == ["a", "b", "i"]
    assert [row[0] for row in every_edges] == ["m"]
    # the edge's validity is its own; its end `b` is left out on the early date by the graph
    assert [row[0] for row in early_edges] == ["m"]
    assert {len(row) for row in every_nodes} == {10} and {len(row) for row in every_edges} == {7}


def test_graph_rows_of_no_workspace_is_not_found(store):
    with pytest.raises(NotFound, match="no workspace 'nowhere'"), store.repository() as r:
        r.graph_rows("nowhere", None)


def test_tokens_through_the_repository(store, ws):
    with store.repository() as r:
        info, secret = r.create_token("editor", ws, "laptop")
    with store.repository() as r:
        caller = r.authenticate(secret)
        assert (caller.name, caller.role.value, caller.workspace) == ("laptop", "editor", ws)
        assert [t.prefix for t in r.list_tokens()] == [info.prefix]
        assert r.revoke_token(info.prefix).revoked_at is not None
    with store.repository() as r:
        assert r.authenticate(secret) is None


def test_a_broken_rule_is_a_store_conflict_with_the_cause_attached(store, ws):
    with pytest.raises(StoreConflict) as info, store.session() as s:
        s.add(Workspace(slug=ws, name="again", revision=0, public_read=False))
        s.flush()
    assert "IntegrityError" in driver_classes(info.value.__cause__)
    assert "conflicts with what is stored" in str(info.value)
    with store.repository() as r:
        assert [w.slug for w in r.list_workspaces()] == [ws]


def test_a_missing_schema_is_store_unavailable(sqlite_url):
    store = Store(sqlite_url)
    with store.session() as s:
        s.execute(text("DROP TABLE workspaces"))
    with pytest.raises(StoreUnavailable) as info, store.repository() as r:
        r.ping()
    store.close()
    assert isinstance(info.value, StoreError)
    assert "OperationalError" in driver_classes(info.value.__cause__)
    assert "no such table: workspaces" in str(info.value)
