"""Loading a workspace into networkx from the store, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation import vocabulary as vocab
from constellation.errors import NotFound
from constellation.graph import RESERVED, build_graph, load_graph


@pytest.fixture
def ws(store):
    with store.repository() as r:
        r.create_workspace("w")
        r.create_workspace("elsewhere")
        r.bulk_upsert(
            "w",
            [
                {
                    "id": "u",
                    "kind": "organization",
                    "label": "UNITE-LA",
                    "properties": {"sector": "business", "staff_capacity": 2},
                    "tags": ["signer"],
                },
                {
                    "id": "old",
                    "kind": "organization",
                    "label": "Old Partner",
                    "valid_to": "2015-12-31",
                },
                {"id": "gone", "kind": "organization", "label": "Archived"},
                {
                    "id": "c",
                    "kind": "constellation",
                    "label": "Data Workgroup",
                    "properties": {"launched": "2012-01-01", "disbanded": "2020-06-30"},
                },
            ],
            [
                {
                    "id": "conv",
                    "kind": "convenes",
                    "source": "u",
                    "target": "c",
                    "properties": {"role": "co", "staff_time": 0.5},
                },
                {"kind": "participates_in", "source": "old", "target": "c"},
                {"kind": "participates_in", "source": "gone", "target": "c"},
                {"kind": "funds", "source": "u", "target": "c", "valid_from": "2019-01-01"},
            ],
        )
        r.archive_node("w", "gone")
        r.bulk_upsert("elsewhere", [{"id": "u", "kind": "goal", "label": "Same id"}])
    return "w"


def test_load_carries_properties_and_follows_dates(store, ws):
    with store.repository() as r:
        g2014 = load_graph(r, ws, dt.date(2014, 6, 1))
        g2019 = load_graph(r, ws, dt.date(2019, 6, 1))
        g2021 = load_graph(r, ws, dt.date(2021, 1, 1))
    assert set(g2014) == {"u", "old", "c"}  # archived node left out
    assert set(g2019) == {"u", "c"}  # old partner's period ended
    assert g2014.nodes["u"]["sector"] == "business"
    assert g2014.nodes["u"]["tags"] == ["signer"]
    assert g2014.nodes["u"]["staff_capacity"] == 2
    assert g2014.edges["u", "c", "conv"] == {"kind": "convenes", "role": "co", "staff_time": 0.5}
    assert g2014.number_of_edges() == 2  # convenes + old partner; no funds yet
    assert {d["kind"] for *_, d in g2019.edges(data=True)} == {"convenes", "funds"}
    assert g2014.nodes["c"]["status"] == "active"
    assert g2021.nodes["c"]["status"] == "disbanded"
    assert g2014.graph["workspace"] == ws and g2014.graph["as_of"] == dt.date(2014, 6, 1)


def test_workspaces_do_not_mix(store, ws):
    with store.repository() as r:
        other = load_graph(r, "elsewhere")
    assert list(other.nodes(data="kind")) == [("u", "goal")]


def test_unknown_workspace(store, ws):
    with pytest.raises(NotFound), store.repository() as r:
        load_graph(r, "nowhere")


def test_revision_is_carried_so_caches_can_key_on_it(store, ws):
    with store.repository() as r:
        before = load_graph(r, ws).graph["revision"]
        r.update_node(ws, "u", {"label": "UNITE-LA!"})
        assert load_graph(r, ws).graph["revision"] == before + 1


def test_build_graph_matches_load_graph(store, ws):
    with store.repository() as r:
        loaded = load_graph(r, ws, dt.date(2019, 6, 1))
        records = [n.model_dump(mode="json") for n in r.query_nodes(ws)]
        links = [e.model_dump(mode="json") for e in r.query_edges(ws)]
    built = build_graph(records, links, as_of=dt.date(2019, 6, 1), workspace=ws)

    def strip(d):
        return {k: v for k, v in d.items() if k not in ("updated_at", "valid_from", "valid_to")}

    assert {n: strip(d) for n, d in built.nodes(data=True)} == {
        n: strip(d) for n, d in loaded.nodes(data=True)
    }
    assert sorted(built.edges(keys=True)) == sorted(loaded.edges(keys=True))


def test_no_property_uses_a_reserved_attribute_name():
    for spec in list(vocab.NODE_KINDS.values()) + list(vocab.EDGE_KINDS.values()):
        assert not set(spec.properties.model_fields) & set(RESERVED), spec.name


def test_every_date_loads_every_live_record_whatever_its_dates(store, ws):
    with store.repository() as r:
        G = load_graph(r, ws, dt.date(2021, 1, 1), every_date=True)
    assert set(G) == {"u", "old", "c"}  # the archived node stays out
    assert G.number_of_edges() == 3  # past and future ties, not the archived
    assert G.graph["every_date"] and G.graph["as_of"] == dt.date(2021, 1, 1)
    assert G.nodes["old"]["valid_to"] == dt.date(2015, 12, 31)
    assert G.nodes["c"]["status"] == "disbanded"  # statuses are still as of the date
