"""Bulk upsert: all or nothing, every bad row reported with its position, idempotent."""

from __future__ import annotations

import pytest

from constellation.errors import InvalidRecords
from tests.helpers.store import snapshot

NODES = [
    {"id": "escambia", "kind": "initiative", "label": "Achieve Escambia"},
    {"id": "kr", "kind": "goal", "label": "Kindergarten Readiness", "properties": {"number": 1}},
    {
        "id": "kr-can",
        "kind": "constellation",
        "label": "Kindergarten Readiness CAN",
        "properties": {"constellation_type": "network", "launched": "2016-11-01"},
    },
    {
        "id": "elc",
        "kind": "organization",
        "label": "Early Learning Coalition",
        "properties": {"sector": "early-childhood"},
    },
]
EDGES = [
    {"kind": "pursues", "source": "escambia", "target": "kr"},
    {"kind": "advances", "source": "kr-can", "target": "kr"},
    {"kind": "convenes", "source": "elc", "target": "kr-can"},
]


@pytest.fixture
def ws(store):
    with store.repository() as r:
        r.create_workspace("esc")
    return "esc"


def test_bulk_writes_everything_and_second_run_changes_nothing(store, ws):
    with store.repository() as r:
        first = r.bulk_upsert(ws, NODES, EDGES)
    assert first.counts() == {
        "nodes": {"created": 4, "updated": 0, "unchanged": 0},
        "edges": {"created": 3, "updated": 0, "unchanged": 0},
    }
    before = snapshot(store, ws)
    with store.repository() as r:
        second = r.bulk_upsert(ws, NODES, EDGES)
    assert second.counts() == {
        "nodes": {"created": 0, "updated": 0, "unchanged": 4},
        "edges": {"created": 0, "updated": 0, "unchanged": 3},
    }
    assert snapshot(store, ws) == before


def test_bulk_updates_changed_rows_only_and_logs_them(store, ws):
    with store.repository() as r:
        r.bulk_upsert(ws, NODES, EDGES)
    changed = [dict(n) for n in NODES]
    changed[3] = changed[3] | {"properties": {"sector": "early-childhood", "staff_capacity": 1}}
    with store.repository(actor="import") as r:
        report = r.bulk_upsert(ws, changed, EDGES)
        assert report.nodes_updated == ["elc"]
        assert r.get_node(ws, "elc").version == 2
        log = r.changes(ws, entity_id="elc")
    assert [c.action for c in log] == ["update", "create"]
    assert log[0].after["properties"]["staff_capacity"] == 1
    assert log[0].actor == "import"


def test_one_bad_row_writes_nothing_and_every_problem_is_listed(store, ws):
    before = snapshot(store, ws)
    nodes = NODES + [
        {"id": "x1", "kind": "organisation", "label": "Typo Kind"},
        {
            "id": "x2",
            "kind": "organization",
            "label": "Bad Sector",
            "properties": {"sector": "space"},
        },
        {"id": "kr", "kind": "goal", "label": "Duplicate id"},
    ]
    edges = EDGES + [
        {"kind": "advances", "source": "elc", "target": "kr"},
        {"kind": "funds", "source": "elc", "target": "ghost"},
        {"kind": "convenes", "source": "elc"},
    ]
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.bulk_upsert(ws, nodes, edges)
    found = {(p.position, p.field) for p in info.value.problems}
    assert ("nodes[4]", "kind") in found
    assert ("nodes[5]", "properties.sector") in found
    assert ("nodes[6]", "id") in found
    assert ("edges[3]", "kind") in found
    assert ("edges[4]", "target") in found
    assert ("edges[5]", "target") in found
    assert "nothing was written" in str(info.value)
    assert snapshot(store, ws) == before


def test_positions_can_name_file_rows(store, ws):
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.bulk_upsert(ws, [{"kind": "goal"}], [], positions=(["grants.csv row 2"], []))
    assert info.value.problems[0].position == "grants.csv row 2"
    assert info.value.problems[0].field == "label"


def test_dry_run_reports_without_writing(store, ws):
    before = snapshot(store, ws)
    with store.repository() as r:
        report = r.bulk_upsert(ws, NODES, EDGES, dry_run=True)
    assert report.dry_run and len(report.nodes_created) == 4
    assert snapshot(store, ws) == before


def test_edges_may_point_at_nodes_already_stored(store, ws):
    with store.repository() as r:
        r.bulk_upsert(ws, NODES[:2], [])
        report = r.bulk_upsert(ws, [], [EDGES[0]])
        assert report.edges_created == ["escambia--pursues--kr"]


def test_kind_of_a_stored_node_cannot_change_by_upsert(store, ws):
    with store.repository() as r:
        r.bulk_upsert(ws, NODES, [])
    before = snapshot(store, ws)
    with pytest.raises(InvalidRecords, match="cannot change"), store.repository() as r:
        r.bulk_upsert(ws, [{"id": "kr", "kind": "indicator", "label": "KR"}], [])
    assert snapshot(store, ws) == before


def test_many_rows_in_chunks(store, ws):
    """More rows than one IN (...) chunk holds, to exercise the chunking."""
    nodes = [{"id": f"org-{i}", "kind": "organization", "label": f"Org {i}"} for i in range(6000)]
    edges = [
        {"kind": "collaborates_with", "source": f"org-{i}", "target": f"org-{i + 1}"}
        for i in range(5999)
    ]
    with store.repository() as r:
        report = r.bulk_upsert(ws, nodes, edges)
        assert len(report.nodes_created) == 6000 and len(report.edges_created) == 5999
        assert r.count_edges(ws) == 5999
    with store.repository() as r:
        assert r.bulk_upsert(ws, nodes, edges).counts()["edges"]["unchanged"] == 5999
