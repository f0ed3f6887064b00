"""GEXF both ways: files networkx writes, sloppy declarations, hostile XML."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from constellation.errors import InvalidRecords
from constellation.io import UnreadableFile
from tests.helpers.imports import do_export, do_import, line_of, state

from .test_graphml import BILLION_LAUGHS, EXTERNAL, compact_graph


def gexf_file(graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def test_networkx_file_imports(store, empty):
    report = do_import(store, empty, [("compact.gexf", gexf_file(compact_graph()))])
    assert report.format == "gexf"
    with store.repository() as repo:
        unite = repo.get_node(empty, "unite")
        assert unite.label == "UNITE-LA" and unite.kind == "organization"
        assert unite.properties == {"sector": "business", "staff_capacity": 2.5}
        assert unite.attributes == {"founded": 1999}
        edge = repo.query_edges(empty, kind="convenes")[0]
        assert edge.id == "0"  # the file's own edge id is kept
        assert edge.properties == {"role": "co"} and edge.attributes["weight"] == 0.5
    again = do_import(store, empty, [("compact.gexf", gexf_file(compact_graph()))])
    assert again.counts()["nodes"]["unchanged"] == 3 and again.counts()["edges"]["unchanged"] == 2


SLOPPY = b"""<?xml version='1.0' encoding='UTF-8'?>
<gexf xmlns='http://www.gexf.net/1.2draft' version='1.2'>
  <graph defaultedgetype='directed'>
    <attributes class='node'>
      <attribute id='0' title='kind' type='string'/>
      <attribute id='1' title='number' type='integer'/>
    </attributes>
    <attributes class='edge'>
      <attribute id='0' title='kind' type='string'/>
    </attributes>
    <nodes>
      <node id='g1' label='Kindergarten readiness'>
        <attvalues><attvalue for='0' value='goal'/><attvalue for='1' value='one'/>
        </attvalues>
      </node>
      <node id='c1' label='KR Network'>
        <attvalues><attvalue for='0' value='constellation'/><attvalue for='7' value='x'/>
        </attvalues>
      </node>
    </nodes>
    <edges>
      <edge id='e1' source='c1' target='g1'>
        <attvalues><attvalue for='0' value='advances'/></attvalues>
      </edge>
    </edges>
  </graph>
</gexf>
"""


def test_sloppy_gexf_is_read_and_the_rest_reported(store, empty):
    sloppy = SLOPPY.replace(b"title='number'", b"title='rank'")
    report = do_import(store, empty, [("gephi.gexf", sloppy)])
    with store.repository() as repo:
        assert repo.get_node(empty, "g1").attributes == {"rank": "one"}  # kept as text
        assert repo.get_node(empty, "c1").attributes == {"7": "x"}
        assert repo.get_edge(empty, "e1").kind == "advances"  # id '0' read per class
    notes = {n.message: n.position for n in report.notes}
    assert (
        notes[next(m for m in notes if "never declared" in m)]
        == f"gephi.gexf line {line_of(SLOPPY, b'value=' + bytes([39]) + b'x')}"
    )
    assert (
        notes[next(m for m in notes if "declared integer" in m)]
        == f"gephi.gexf line {line_of(SLOPPY, b'one')}"
    )


def test_number_that_is_not_a_number_is_refused(store, empty):
    """'one' stays text where the file declares a number; as a goal's number it is refused."""
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("gephi.gexf", SLOPPY)])
    assert len(info.value.problems) == 1
    line = line_of(SLOPPY, b"<node id='g1'")
    assert info.value.problems[0].position == f"gephi.gexf line {line}, column number"
    assert info.value.problems[0].field == "properties.number"
    assert state(store, empty) == before


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"]
)
def test_entities_are_refused(store, empty, content):
    content = content.replace(b"graphml", b"gexf")
    with pytest.raises(UnreadableFile, match="entities"):
        do_import(store, empty, [("evil.gexf", content)])


def test_export_is_read_by_networkx_and_imports_back_unchanged(store, empty):
    do_import(store, empty, [("compact.gexf", gexf_file(compact_graph()))])
    content, media_type, filename = do_export(store, empty, "gexf")
    assert filename == "ws.gexf"
    graph = nx.read_gexf(io.BytesIO(content))
    assert graph.nodes["unite"]["label"] == "UNITE-LA"
    assert graph.nodes["unite"]["sector"] == "business"
    again = do_import(store, empty, [(filename, content)])
    assert again.counts()["nodes"]["unchanged"] == 3
    assert again.counts()["edges"]["unchanged"] == 2


DEFAULTS = b"""<?xml version='1.0' encoding='UTF-8'?>
<gexf xmlns='http://www.gexf.net/1.2draft' version='1.2'>
  <graph defaultedgetype='directed'>
    <attributes class='node'>
      <attribute id='0' title='kind' type='string'><default>goal</default></attribute>
      <attribute id='1' title='size' type='float'><default>1.5</default></attribute>
      <attribute id='2' title='aliases' type='liststring'><default>x|y</default></attribute>
    </attributes>
    <nodes>
      <node id='a' label='A'><attvalues><attvalue for='1' value='3'/></attvalues></node>
      <node id='b' label='B'/>
    </nodes>
    <edges/>
  </graph>
</gexf>"""


def test_declared_defaults_fill_what_an_element_leaves_out(store, empty):
    do_import(store, empty, [("defaults.gexf", DEFAULTS)])
    with store.repository() as repo:
        nodes = {n.id: n for n in repo.query_nodes(empty)}
    assert {n.kind for n in nodes.values()} == {"goal"}
    assert nodes["a"].attributes == {"size": 3.0, "aliases": "x|y"}
    assert nodes["b"].attributes == {"size": 1.5, "aliases": "x|y"}
