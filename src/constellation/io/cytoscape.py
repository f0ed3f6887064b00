"""Cytoscape.js JSON, for embedding a network in a web page (export only).

The ``elements`` object of Cytoscape.js (also what Cytoscape desktop reads as
``.cyjs``): each node and edge has a ``data`` object with its id, kind, label or
source and target, tags, validity, properties and attributes, plus the colour the
vocabulary gives its kind, and its kind as a ``classes`` name for styling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constellation import vocabulary as vocab
from constellation.io.cells import dumps, validity
from constellation.io.formats import Export, Format, Match, Sample

if TYPE_CHECKING:
    from constellation.records import EdgeOut, NodeOut
    from constellation.store.repository import Repository

__all__ = ["FORMAT", "export_document"]


def export_document(repo: Repository, workspace: str) -> dict[str, Any]:
    ws = repo.get_workspace(workspace)
    nodes = []
    for n in repo.query_nodes(workspace):
        node_kind = vocab.NODE_KINDS[n.kind]
        nodes.append(
            {
                "data": _data(n)
                | {"label": n.label, "color": node_kind.color, "shape": node_kind.shape},
                "classes": n.kind,
            }
        )
    edges = []
    for e in repo.query_edges(workspace):
        edge_kind = vocab.EDGE_KINDS[e.kind]
        edges.append(
            {
                "data": _data(e)
                | {
                    "source": e.source,
                    "target": e.target,
                    "color": edge_kind.color,
                    "dashes": edge_kind.dashes,
                },
                "classes": e.kind,
            }
        )
    return {
        "format_version": "1.0",
        "generated_by": "constellation",
        "target_cytoscapejs_version": "~3",
        "data": {"name": ws.name, "workspace": ws.slug},
        "elements": {"nodes": nodes, "edges": edges},
    }


def _data(record: NodeOut | EdgeOut) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind,
        "tags": list(record.tags),
        "properties": record.properties,
        "attributes": record.attributes,
    } | validity(record)


# ------------------------------------------------------------------------ the record


def _sniff(sample: Sample) -> Match:
    """Cytoscape.js's ``elements`` is an object (Kumu's is a list)."""
    if sample.container != "json":
        return Match.NO
    data = sample.document
    return (
        Match.CONTENT
        if isinstance(data, dict) and isinstance(data.get("elements"), dict)
        else Match.NO
    )


FORMAT = Format(
    name="cytoscape",
    title="Cytoscape.js",
    description="Cytoscape.js JSON, to embed a network in a web page (written, not read)",
    shapes={"json": "Cytoscape.js elements (nodes, edges)"},
    suffixes=(".cyjs", ".json"),
    sniff=_sniff,
    not_read="this looks like Cytoscape.js JSON, which Constellation exports but does not "
    "import; export GraphML from Cytoscape instead",
    exports=(
        Export(
            "cytoscape",
            "application/json",
            ".cyjs",
            "Cytoscape.js JSON for embedding in a web page",
            lambda repo, workspace: dumps(export_document(repo, workspace)),
        ),
    ),
)
