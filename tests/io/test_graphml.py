"""GraphML both ways: files networkx writes, the sloppy files real tools write, hostile XML."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from constellation.errors import InvalidRecords
from constellation.io import UnreadableFile
from tests.helpers.imports import do_export, do_import, line_of, state


def networkx_file(graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()


def compact_graph():
    g = nx.DiGraph()
    g.add_node(
        "unite",
        label="UNITE-LA",
        kind="organization",
        sector="Business",
        staff_capacity=2.5,
        founded=1999,
    )
    g.add_node("data", label="Data Workgroup", type="Constellation", status="active")
    g.add_node("grad", label="All students graduate", kind="goal", number=1)
    g.add_edge("unite", "data", kind="convenes", role="co", weight=0.5)
    g.add_edge("data", "grad", kind="advances")
    return g


def test_networkx_file_imports_with_properties_and_attributes(store, empty):
    report = do_import(store, empty, [("compact.graphml", networkx_file(compact_graph()))])
    assert report.format == "graphml"
    assert report.counts()["nodes"]["created"] == 3 and report.counts()["edges"]["created"] == 2
    with store.repository() as repo:
        unite = repo.get_node(empty, "unite")
        assert unite.properties == {"sector": "business", "staff_capacity": 2.5}
        assert unite.attributes == {"founded": 1999}
        assert repo.get_node(empty, "data").kind == "constellation"
        edge = repo.get_edge(empty, "unite--convenes--data")
        assert edge.properties == {"role": "co"} and edge.attributes == {"weight": 0.5}
    again = do_import(store, empty, [("compact.graphml", networkx_file(compact_graph()))])
    assert again.counts()["nodes"]["unchanged"] == 3
    assert again.counts()["edges"]["unchanged"] == 2


SLOPPY = b"""<?xml version='1.0' encoding='UTF-8'?>
<graphml xmlns='http://graphml.graphdrawing.org/xmlns'
         xmlns:y='http://www.yworks.com/xml/graphml'>
  <key id='d0' for='node' attr.name='kind' attr.type='string'/>
  <key id='d0' for='edge' attr.name='relation' attr.type='string'/>
  <key id='d1' for='node' attr.name='founded' attr.type='int'/>
  <key id='d2' for='node' yfiles.type='nodegraphics'/>
  <graph edgedefault='directed'>
    <node id='n0'>
      <data key='d0'>Organization</data>
      <data key='d1'>nineteen-ninety</data>
      <data key='d2'><y:ShapeNode><y:NodeLabel>UNITE-LA</y:NodeLabel></y:ShapeNode></data>
    </node>
    <node id='n1'>
      <data key='d0'>Organization</data>
      <data key='d9'>undeclared value</data>
      <data key='d2'><y:ShapeNode><y:NodeLabel>LAUSD</y:NodeLabel></y:ShapeNode></data>
    </node>
    <edge source='n0' target='n1'>
      <data key='d0'>collaborates with</data>
    </edge>
  </graph>
</graphml>
"""


def test_sloppy_file_is_read_and_the_rest_reported_precisely(store, empty):
    report = do_import(store, empty, [("yed.graphml", SLOPPY)])
    with store.repository() as repo:
        n0, n1 = repo.get_node(empty, "n0"), repo.get_node(empty, "n1")
        assert (n0.label, n1.label) == ("UNITE-LA", "LAUSD")  # yEd's NodeLabel
        assert n0.attributes == {"founded": "nineteen-ninety"}  # kept as text
        assert n1.attributes == {"d9": "undeclared value"}
        edge = repo.query_edges(empty)[0]
        assert edge.kind == "collaborates_with"  # key d0 read as the edge's own declaration
    notes = {n.message: n.position for n in report.notes}
    undeclared = next(m for m in notes if "never declared" in m)
    assert notes[undeclared] == f"yed.graphml line {line_of(SLOPPY, b'undeclared value')}"
    typed = next(m for m in notes if "declared int" in m)
    assert notes[typed] == f"yed.graphml line {line_of(SLOPPY, b'nineteen-ninety')}"


def test_value_that_does_not_fit_its_property_is_refused_with_its_line(store, empty):
    bad = SLOPPY.replace(
        b"attr.name='founded' attr.type='int'", b"attr.name='staff_capacity' attr.type='double'"
    )
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("yed.graphml", bad)])
    assert len(info.value.problems) == 1  # not also "no node 'n0'" for its edge
    problem = info.value.problems[0]
    assert (
        problem.position == f"yed.graphml line {line_of(bad, b'<node id=' + bytes([39]) + b'n0')}"
        ", column staff_capacity"
    )
    assert problem.field == "properties.staff_capacity" and problem.record == "n0"
    assert state(store, empty) == before


def test_types_that_map_to_nothing_are_refused_with_their_lines(store, empty):
    g = nx.DiGraph()
    g.add_node("a", label="A", kind="Planet")
    g.add_node("b", label="B", kind="Planet")
    g.add_edge("a", "b", kind="orbits")
    content = networkx_file(g)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("space.graphml", content)])
    planet = next(p for p in info.value.problems if p.record == "Planet")
    lines = (line_of(content, b'<node id="a"'), line_of(content, b'<node id="b"'))
    assert planet.position == f"space.graphml lines {lines[0]}, {lines[1]}, column kind"
    orbits = next(p for p in info.value.problems if p.record == "orbits")
    assert orbits.position == f"space.graphml line {line_of(content, b'<edge ')}, column kind"
    report = do_import(
        store,
        empty,
        [("space.graphml", networkx_file(g))],
        mapping={"default_node_kind": "organization", "default_edge_kind": "related_to"},
    )
    with store.repository() as repo:
        assert repo.get_edge(empty, "a--related_to--b").properties == {"relation": "orbits"}
    assert report.counts()["nodes"]["created"] == 2


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>
<node id="a"><data key="label">&lol3;</data></node></graph></graphml>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>
<node id="a"><data key="label">&xxe;</data></node></graph></graphml>
"""


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"]
)
def test_entities_are_refused(store, empty, content):
    before = state(store, empty)
    with pytest.raises(UnreadableFile, match="billion laughs") as info:
        do_import(store, empty, [("evil.graphml", content)])
    assert info.value.problems[0].position == "evil.graphml"
    assert state(store, empty) == before


def test_malformed_xml_names_its_line(store, empty):
    with pytest.raises(UnreadableFile) as info:
        do_import(
            store,
            empty,
            [("broken.graphml", b"<graphml>\n<graph>\n<node id='a'>\n</graph></graphml>")],
        )
    assert info.value.problems[0].position == "broken.graphml line 4"
    assert "not well-formed" in info.value.problems[0].message


def test_export_is_read_by_networkx_and_imports_back_unchanged(store, empty):
    do_import(store, empty, [("compact.graphml", networkx_file(compact_graph()))])
    with store.repository() as repo:
        repo.bulk_upsert(
            empty,
            [
                {
                    "id": "x",
                    "kind": "person",
                    "label": "Ana",
                    "tags": ["a", "b"],
                    "valid_from": "2020-01-01",
                    "attributes": {"list": [1, 2]},
                }
            ],
            [
                {
                    "kind": "related_to",
                    "source": "x",
                    "target": "grad",
                    "properties": {"relation": "Champion"},
                },
                {"id": "second", "kind": "convenes", "source": "unite", "target": "data"},
            ],
        )
    content, media_type, filename = do_export(store, empty, "graphml")
    assert filename == "ws.graphml" and media_type == "application/graphml+xml"
    graph = nx.read_graphml(io.BytesIO(content))
    assert graph.nodes["unite"]["label"] == "UNITE-LA"
    assert graph.nodes["unite"]["kind"] == "organization"
    assert graph.nodes["x"]["tags"] == "a|b"
    assert graph.number_of_edges() == 4  # two convenes edges between the same pair
    again = do_import(store, empty, [(filename, content)])
    assert again.counts()["nodes"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert again.counts()["edges"] == {"created": 0, "updated": 0, "unchanged": 4}
    copy = do_import(store, "copy", [(filename, content)])
    assert copy.counts()["edges"]["created"] == 4
    with store.repository() as repo:
        assert repo.get_edge("copy", "x--related_to--grad").properties == {"relation": "Champion"}
        assert repo.get_node("copy", "x").valid_from.isoformat() == "2020-01-01"


DEFAULTS = b"""<?xml version='1.0' encoding='UTF-8'?>
<graphml xmlns='http://graphml.graphdrawing.org/xmlns'>
  <key id='k' for='node' attr.name='kind' attr.type='string'><default>organization</default></key>
  <key id='r' for='node' attr.name='rank' attr.type='int'><default>many</default></key>
  <key id='s' for='node' attr.name='size' attr.type='double'><default>1.5</default></key>
  <key id='w' for='edge' attr.name='weight' attr.type='double'><default>2</default></key>
  <graph edgedefault='directed'>
    <node id='a'><data key='s'>3</data></node>
    <node id='b'/>
    <node id='c'/>
    <edge source='a' target='b'/>
  </graph>
</graphml>"""


def test_declared_defaults_fill_what_an_element_leaves_out(store, empty):
    report = do_import(
        store, empty, [("defaults.graphml", DEFAULTS)], mapping={"default_edge_kind": "related_to"}
    )
    with store.repository() as repo:
        nodes = {n.id: n for n in repo.query_nodes(empty)}
        assert {n.kind for n in nodes.values()} == {"organization"}
        assert nodes["a"].attributes == {"size": 3.0, "rank": "many"}
        assert nodes["b"].attributes == nodes["c"].attributes == {"size": 1.5, "rank": "many"}
        [edge] = repo.query_edges(empty)
        assert edge.attributes == {"weight": 2.0}
    # a default that is not of its type is kept as text and reported once, for the file
    typed = [n for n in report.notes if "'rank' is declared int" in n.message]
    assert len(typed) == 1 and typed[0].position == "defaults.graphml"
