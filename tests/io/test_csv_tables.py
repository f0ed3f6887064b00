"""CSV node and edge tables with a column mapping, both ways."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from constellation.errors import InvalidRecords
from tests.helpers.imports import do_export, do_import, state

NODES = """node_id,name,node_type,sector,founded
org-1,UNITE-LA,Company,business,1999
org-2,LAUSD,Company,education,
can-1,Data Workgroup,Workgroup,,
"""
EDGES = """from_id,to_id,edge_type,staff_time
org-1,can-1,lead,0.5
org-2,can-1,member,
org-1,org-2,partner,
"""
MAPPING = (
    "mapping.yaml",
    b"""
node_kinds: {Company: organization, Workgroup: constellation}
edge_kinds: {lead: convenes, member: participates_in}
default_edge_kind: related_to
columns:
  nodes: {id: node_id, label: name, kind: node_type}
  edges: {source: from_id, target: to_id, kind: edge_type}
""",
)


def test_tables_with_a_column_mapping(store, empty):
    report = do_import(
        store,
        empty,
        [("nodes.csv", NODES.encode()), ("edges.csv", EDGES.encode())],
        mapping=MAPPING,
    )
    assert report.format == "csv"
    assert report.counts()["nodes"]["created"] == 3 and report.counts()["edges"]["created"] == 3
    with store.repository() as repo:
        org = repo.get_node(empty, "org-1")
        assert org.kind == "organization" and org.label == "UNITE-LA"
        assert org.properties == {"sector": "business"} and org.attributes == {"founded": "1999"}
        assert repo.get_edge(empty, "org-1--convenes--can-1").properties == {
            "role": "primary",
            "staff_time": 0.5,
        }
        assert repo.get_edge(empty, "org-1--related_to--org-2").properties == {
            "relation": "partner"
        }
    again = do_import(
        store,
        empty,
        [("nodes.csv", NODES.encode()), ("edges.csv", EDGES.encode())],
        mapping=MAPPING,
    )
    assert again.counts()["nodes"]["unchanged"] == 3 and again.counts()["edges"]["unchanged"] == 3


def test_default_columns_need_no_mapping_and_labels_find_nodes_again(store, empty):
    nodes = "label,kind\nUNITE-LA,organization\nData Workgroup,constellation\n"
    edges = "source,target,kind\nUNITE-LA,Data Workgroup,convenes\n"
    files = [("n.csv", nodes.encode()), ("e.csv", edges.encode())]
    first = do_import(store, empty, files)
    assert first.nodes_created == ["unite-la", "data-workgroup"]
    assert first.edges_created == ["unite-la--convenes--data-workgroup"]
    second = do_import(store, empty, files)
    assert second.counts()["nodes"]["unchanged"] == 2  # matched by label and kind


def test_missing_columns_and_bad_cells_are_listed(store, empty):
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("nodes.csv", b"title,category\nA,organization\n")], format="csv")
    assert "needs a 'label' column" in info.value.problems[0].message
    assert "title, category" in info.value.problems[0].message

    nodes = NODES.replace("business", "outer space")
    edges = EDGES + "org-1,,lead,\n"
    with pytest.raises(InvalidRecords) as info:
        do_import(
            store,
            empty,
            [("nodes.csv", nodes.encode()), ("edges.csv", edges.encode())],
            mapping=MAPPING,
        )
    positions = {p.position for p in info.value.problems}
    assert "nodes.csv row 2, column sector" in positions
    assert "edges.csv row 5, column to_id" in positions
    assert state(store, empty) == before


def test_unmapped_types_list_their_rows(store, empty):
    with pytest.raises(InvalidRecords) as info:
        do_import(
            store,
            empty,
            [("nodes.csv", NODES.encode())],
            mapping=("m.yaml", b"columns: {nodes: {id: node_id, label: name, kind: node_type}}"),
        )
    found = {p.record: p.position for p in info.value.problems}
    assert found == {
        "Company": "nodes.csv rows 2-3, column node_type",
        "Workgroup": "nodes.csv row 4, column node_type",
    }


def test_semicolons_and_windows_encoding(store, empty):
    content = "label;kind;description\nÉcole Centrale;organization;Café\n".encode("cp1252")
    do_import(store, empty, [("n.csv", content)], format="csv")
    with store.repository() as repo:
        [node] = repo.query_nodes(empty)
        assert (node.label, node.properties) == ("École Centrale", {"description": "Café"})


def test_export_zip_round_trip_and_formula_escaping(store, empty):
    with store.repository() as repo:
        repo.bulk_upsert(
            empty,
            [
                {
                    "id": "a",
                    "kind": "organization",
                    "label": "+1 Club",
                    "properties": {"sector": "community", "staff_capacity": 1.5},
                    "attributes": {"link": '=HYPERLINK("http://evil","x")', "n": 3},
                    "tags": ["x", "y"],
                },
                {
                    "id": "b",
                    "kind": "constellation",
                    "label": "Data",
                    "properties": {"launched": "2016-11-01"},
                    "valid_to": "2030-01-01",
                },
            ],
            [
                {
                    "kind": "participates_in",
                    "source": "a",
                    "target": "b",
                    "properties": {"since": "2017-01-01"},
                }
            ],
        )
    content, media_type, filename = do_export(store, empty, "csv")
    assert (media_type, filename) == ("application/zip", "ws.csv.zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode())))
    a = next(r for r in nodes if r["id"] == "a")
    assert a["label"] == "'+1 Club" and a["link"].startswith("'=HYPERLINK")
    assert a["tags"] == "x|y" and a["kind"] == "organization"
    assert edges[0]["source"] == "a" and edges[0]["since"] == "2017-01-01"
    again = do_import(store, empty, [(filename, content)])
    assert again.counts()["nodes"]["unchanged"] == 1  # 'a': n comes back as text "3"
    copy = do_import(store, "copy", [(filename, content)])
    with store.repository() as repo:
        a2 = repo.get_node("copy", "a")
        assert a2.label == "+1 Club" and a2.attributes["link"].startswith("=HYPERLINK")
        assert a2.properties == {"sector": "community", "staff_capacity": 1.5}
        assert repo.get_node("copy", "b").valid_to.isoformat() == "2030-01-01"
    assert copy.counts()["edges"]["created"] == 1
