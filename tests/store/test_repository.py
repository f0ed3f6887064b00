"""The repository on both engines: CRUD, validation, versions, the change log, as-of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.errors import AlreadyExists, InUse, InvalidRecords, NotFound, VersionConflict
from tests.helpers.store import snapshot


@pytest.fixture
def ws(store):
    with store.repository() as r:
        r.create_workspace("la", name="L.A. Compact")
        r.create_workspace("other")
        r.create_node(
            "la",
            {
                "kind": "organization",
                "label": "UNITE-LA",
                "properties": {"sector": "business", "staff_capacity": 2},
                "tags": ["signer", "backbone"],
            },
        )
        r.create_node(
            "la",
            {
                "kind": "constellation",
                "label": "Data Workgroup",
                "properties": {"status": "active"},
                "valid_from": "2015-01-01",
            },
        )
        r.create_node(
            "la",
            {"kind": "goal", "label": "All students graduate from high school", "id": "goal-1"},
        )
        r.create_edge(
            "la",
            {
                "kind": "convenes",
                "source": "unite-la",
                "target": "data-workgroup",
                "properties": {"role": "primary"},
            },
        )
        r.create_node(
            "other",
            {"kind": "organization", "label": "Stranger", "properties": {"sector": "health"}},
        )
    return "la"


def test_create_and_get_normalise_kind_and_properties(store, ws):
    with store.repository() as r:
        node = r.create_node(
            ws,
            {
                "kind": "Stewardship Group",
                "label": "Stewardship group",
                "properties": {"has_bylaws": "yes"},
            },
        )
        assert node.kind == "stewardship_group"
        assert node.properties == {"has_bylaws": True}
        assert node.id == "stewardship-group"
        assert node.version == 1
        assert node.created_at.tzinfo is not None
        assert r.get_node(ws, node.id) == node


def test_generated_ids_do_not_collide(store, ws):
    with store.repository() as r:
        again = r.create_node(ws, {"kind": "organization", "label": "UNITE-LA"})
        assert again.id == "unite-la-2"
        edge = r.get_edge(ws, "unite-la--convenes--data-workgroup")
        assert (edge.source, edge.target, edge.kind) == ("unite-la", "data-workgroup", "convenes")


def test_explicit_duplicate_id_is_refused(store, ws):
    before = snapshot(store, ws)
    with pytest.raises(AlreadyExists, match="goal-1"), store.repository() as r:
        r.create_node(ws, {"kind": "goal", "label": "Another", "id": "goal-1"})
    assert snapshot(store, ws) == before


@pytest.mark.parametrize(
    ("record", "field", "words"),
    [
        ({"kind": "organisation", "label": "X"}, "kind", "unknown node kind 'organisation'"),
        (
            {"kind": "organization", "label": "X", "properties": {"staff_capacity": "lots"}},
            "properties.staff_capacity",
            "valid number",
        ),
        (
            {"kind": "organization", "label": "X", "properties": {"sector": "martian"}},
            "properties.sector",
            "education",
        ),
        (
            {"kind": "organization", "label": "X", "properties": {"colour": "red"}},
            "properties.colour",
            "Extra inputs",
        ),
        ({"kind": "organization", "label": ""}, "label", "at least 1"),
        (
            {
                "kind": "organization",
                "label": "X",
                "valid_from": "2020-01-01",
                "valid_to": "2019-01-01",
            },
            "valid_to",
            "before valid_from",
        ),
    ],
)
def test_bad_node_is_refused_naming_the_field(store, ws, record, field, words):
    before = snapshot(store, ws)
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.create_node(ws, record)
    problem = info.value.problems[0]
    assert problem.field == field
    assert words in problem.message
    assert field in str(info.value)
    assert snapshot(store, ws) == before


@pytest.mark.parametrize(
    ("edge", "field", "words"),
    [
        (
            {"kind": "convenes", "source": "data-workgroup", "target": "unite-la"},
            "kind",
            "from organization to constellation, not from constellation to organization",
        ),
        (
            {"kind": "funds", "source": "unite-la", "target": "nowhere"},
            "target",
            "no node 'nowhere'",
        ),
        (
            {
                "kind": "funds",
                "source": "unite-la",
                "target": "data-workgroup",
                "properties": {"amount": "a lot"},
            },
            "properties.amount",
            "valid number",
        ),
        (
            {"kind": "likes", "source": "unite-la", "target": "data-workgroup"},
            "kind",
            "unknown edge kind",
        ),
        (
            {"kind": "related_to", "source": "unite-la", "target": "goal-1"},
            "properties.relation",
            "required",
        ),
    ],
)
def test_bad_edge_is_refused_naming_the_field(store, ws, edge, field, words):
    before = snapshot(store, ws)
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.create_edge(ws, edge)
    assert info.value.problems[0].field == field
    assert words in info.value.problems[0].message
    assert snapshot(store, ws) == before


def test_funds_may_point_at_an_organization_or_a_constellation(store, ws):
    with store.repository() as r:
        r.create_node(
            ws,
            {
                "kind": "organization",
                "label": "Bechtel Foundation",
                "properties": {"sector": "philanthropy"},
            },
        )
        to_group = r.create_edge(
            ws,
            {
                "kind": "funds",
                "source": "bechtel-foundation",
                "target": "data-workgroup",
                "properties": {"amount": 50000, "currency": "USD", "funding_type": "Joint"},
            },
        )
        to_org = r.create_edge(
            ws, {"kind": "funds", "source": "bechtel-foundation", "target": "unite-la"}
        )
        assert to_group.properties["funding_type"] == "joint"
        assert to_org.target == "unite-la"


def test_edge_across_workspaces_is_refused(store, ws):
    before = snapshot(store, "other")
    with pytest.raises(InvalidRecords) as info, store.repository() as r:
        r.create_edge(
            "other", {"kind": "collaborates_with", "source": "stranger", "target": "unite-la"}
        )
    assert info.value.problems[0].field == "target"
    assert "no node 'unite-la' in this workspace" in info.value.problems[0].message
    assert snapshot(store, "other") == before


def test_update_merges_properties_and_bumps_version(store, ws):
    with store.repository() as r:
        updated = r.update_node(
            ws,
            "unite-la",
            {"properties": {"staff_capacity": 3, "sector": None}, "tags": ["signer"]},
            expected_version=1,
        )
    assert updated.version == 2
    assert updated.properties == {"staff_capacity": 3.0}
    assert updated.tags == ["signer"]


def test_stale_version_is_refused_and_changes_nothing(store, ws):
    with store.repository() as r:
        r.update_node(ws, "unite-la", {"label": "UNITE-LA (Chamber)"}, expected_version=1)
    before = snapshot(store, ws)
    with pytest.raises(VersionConflict) as info, store.repository() as r:
        r.update_node(ws, "unite-la", {"label": "Overwritten"}, expected_version=1)
    assert (info.value.expected, info.value.actual) == (1, 2)
    assert "changed since you read it" in str(info.value)
    assert snapshot(store, ws) == before
    with pytest.raises(VersionConflict), store.repository() as r:
        r.delete_edge(ws, "unite-la--convenes--data-workgroup", expected_version=7)
    assert snapshot(store, ws) == before


def test_concurrent_writers_cannot_both_win(store, ws):
    """Two sessions read version 1; the second write to land finds nothing to update."""
    with store.repository() as first, store.repository() as second:
        a = first.get_node(ws, "goal-1")
        b = second.get_node(ws, "goal-1")
        first.update_node(ws, "goal-1", {"label": "First"}, expected_version=a.version)
        first.commit()
        with pytest.raises(VersionConflict):
            second.update_node(ws, "goal-1", {"label": "Second"}, expected_version=b.version)
        second.rollback()
    with store.repository() as r:
        assert r.get_node(ws, "goal-1").label == "First"


def test_kind_and_id_cannot_change(store, ws):
    with pytest.raises(InvalidRecords, match="kind"), store.repository() as r:
        r.update_node(ws, "goal-1", {"kind": "indicator"})


def test_change_log_keeps_every_step(store, ws):
    with store.repository(actor="carrie") as r:
        r.update_node(ws, "goal-1", {"label": "Graduate"})
        r.archive_node(ws, "goal-1")
        r.restore_node(ws, "goal-1")
        r.delete_node(ws, "goal-1")
    with store.repository() as r:
        log = r.changes(ws, entity="node", entity_id="goal-1")
    assert [c.action for c in log] == ["delete", "restore", "archive", "update", "create"]
    assert log[0].after is None and log[0].before["label"] == "Graduate"
    assert log[3].before["label"] == "All students graduate from high school"
    assert log[3].after["label"] == "Graduate"
    assert log[0].actor == "carrie"
    assert [c.version for c in log] == [4, 4, 3, 2, 1]


def test_archive_hides_from_default_queries(store, ws):
    with store.repository() as r:
        archived = r.archive_node(ws, "goal-1")
        assert archived.archived_at is not None
        assert "goal-1" not in [n.id for n in r.query_nodes(ws)]
        assert "goal-1" in [n.id for n in r.query_nodes(ws, include_archived=True)]


def test_delete_refuses_a_node_with_edges_unless_cascading(store, ws):
    before = snapshot(store, ws)
    with pytest.raises(InUse, match="1 edge"), store.repository() as r:
        r.delete_node(ws, "unite-la")
    assert snapshot(store, ws) == before
    with store.repository() as r:
        r.delete_node(ws, "unite-la", cascade=True)
        assert r.count_edges(ws) == 0
        with pytest.raises(NotFound):
            r.get_node(ws, "unite-la")


def test_queries_filter_by_kind_tag_text_property_and_date(store, ws):
    with store.repository() as r:
        r.create_node(
            ws,
            {
                "kind": "constellation",
                "label": "Old Task Force",
                "properties": {"status": "disbanded", "has_charter": True},
                "valid_from": "2010-01-01",
                "valid_to": "2012-12-31",
            },
        )
        ids = lambda rows: sorted(n.id for n in rows)  # noqa: E731
        assert ids(r.query_nodes(ws, kind="constellation")) == ["data-workgroup", "old-task-force"]
        assert ids(r.query_nodes(ws, tag="backbone")) == ["unite-la"]
        assert ids(r.query_nodes(ws, text="workgroup")) == ["data-workgroup"]
        assert ids(r.query_nodes(ws, text="100%")) == []
        assert ids(r.query_nodes(ws, properties={"status": "disbanded"})) == ["old-task-force"]
        assert ids(r.query_nodes(ws, properties={"has_charter": True})) == ["old-task-force"]
        assert ids(r.query_nodes(ws, properties={"staff_capacity": 2})) == ["unite-la"]
        assert ids(r.query_nodes(ws, kind="constellation", as_of=dt.date(2011, 6, 1))) == [
            "old-task-force"
        ]
        # both ends of the period are inclusive
        assert ids(r.query_nodes(ws, kind="constellation", as_of=dt.date(2012, 12, 31))) == [
            "old-task-force"
        ]
        assert ids(r.query_nodes(ws, kind="constellation", as_of=dt.date(2016, 1, 1))) == [
            "data-workgroup"
        ]
        assert r.count_nodes(ws, kind="constellation") == 2
        page = r.query_nodes(ws, limit=2)
        rest = r.query_nodes(ws, after=page[-1].id)
        assert len(page) + len(rest) == r.count_nodes(ws)
        assert [e.id for e in r.query_edges(ws, node="data-workgroup")] == [
            "unite-la--convenes--data-workgroup"
        ]
        assert r.query_edges(ws, kind="funds") == []


def test_find_node_by_id_or_exact_label(store, ws):
    with store.repository() as r:
        assert r.find_node(ws, "unite-la").label == "UNITE-LA"
        assert r.find_node(ws, "data workgroup").id == "data-workgroup"
        with pytest.raises(NotFound, match="Nobody"):
            r.find_node(ws, "Nobody")


def test_workspaces_keep_apart_and_count(store, ws):
    with store.repository() as r:
        listed = {w.slug: (w.nodes, w.edges) for w in r.list_workspaces()}
        assert listed == {"la": (3, 1), "other": (1, 0)}
        with pytest.raises(NotFound):
            r.get_node("other", "unite-la")
        with pytest.raises(AlreadyExists):
            r.create_workspace("la")
        with pytest.raises(InvalidRecords, match="workspace id"):
            r.create_workspace("Bad Name!")
        renamed = r.update_workspace("other", new_slug="elsewhere", public_read=True)
        assert renamed.public_read and renamed.slug == "elsewhere"
        r.delete_workspace("elsewhere")
        assert [w.slug for w in r.list_workspaces()] == ["la"]


def test_every_write_bumps_the_revision(store, ws):
    with store.repository() as r:
        start = r.revision(ws)
        r.update_node(ws, "goal-1", {"label": "G1"})
        r.archive_edge(ws, "unite-la--convenes--data-workgroup")
        assert r.revision(ws) == start + 2


def test_a_second_edge_of_the_same_kind_between_the_same_pair_gets_its_own_id(store, ws):
    """One that follows the first in time (an overlapping one is a duplicate: refused)."""
    with store.repository() as r:
        first = r.get_edge(ws, "unite-la--convenes--data-workgroup")
        r.update_edge(ws, first.id, {"valid_to": "2019-12-31"}, first.version)
        again = r.create_edge(
            ws,
            {
                "kind": "convenes",
                "source": "unite-la",
                "target": "data-workgroup",
                "valid_from": "2020-01-01",
            },
        )
        assert again.id == "unite-la--convenes--data-workgroup-2"
        assert r.count_edges(ws, node="unite-la") == 2


def test_an_update_that_changes_nothing_keeps_the_version(store, ws):
    with store.repository() as r:
        before = r.get_node(ws, "unite-la")
        same = r.update_node(
            ws,
            "unite-la",
            {"label": "UNITE-LA", "properties": {"sector": "business"}},
            expected_version=1,
        )
        assert same.version == before.version == 1
        assert [c.action for c in r.changes(ws, entity_id="unite-la")] == ["create"]
        edge = r.update_edge(
            ws, "unite-la--convenes--data-workgroup", {"properties": {"role": "primary"}}
        )
        assert edge.version == 1


def test_neighbourhood_walks_only_through_live_nodes(store):
    with store.repository() as r:
        r.create_workspace("n")
        r.bulk_upsert(
            "n",
            [
                {"id": "y", "kind": "organization", "label": "Y"},
                {"id": "x", "kind": "organization", "label": "X", "valid_to": "2010-01-01"},
                {"id": "a", "kind": "organization", "label": "A"},
                {"id": "z", "kind": "organization", "label": "Z"},
            ],
            [
                {"kind": "collaborates_with", "source": "x", "target": "y"},
                {"kind": "collaborates_with", "source": "y", "target": "a"},
                {"kind": "collaborates_with", "source": "a", "target": "z"},
            ],
        )
        r.archive_node("n", "a")
        nodes, edges = r.neighbourhood("n", "y", hops=2, as_of=dt.date(2020, 1, 1))
        assert [n.id for n in nodes] == ["y"] and edges == []
        nodes, _ = r.neighbourhood("n", "y", hops=2, as_of=dt.date(2009, 1, 1))
        assert [n.id for n in nodes] == ["x", "y"]
