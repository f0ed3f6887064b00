"""Cytoscape.js JSON, for embedding a network in a web page (export only).

The ``elements`` object of Cytoscape.js (also what Cytoscape desktop reads as
``.cyjs``): each node and edge has a ``data`` object with its id, kind, label or
source and target, tags, validity, properties and attributes, plus the colour the
vocabulary gives its kind, and its kind as a ``classes`` name for styling.
"""

from __future__ import annotations

from typing import Any

from constellation import vocabulary as vocab
from constellation.io._common import validity

__all__ = ["export_document"]


def export_document(repo, workspace: str) -> dict[str, Any]:
    ws = repo.get_workspace(workspace)
    nodes = []
    for n in repo.query_nodes(workspace):
        spec = vocab.NODE_KINDS[n.kind]
        nodes.append(
            {
                "data": _data(n) | {"label": n.label, "color": spec.color, "shape": spec.shape},
                "classes": n.kind,
            }
        )
    edges = []
    for e in repo.query_edges(workspace):
        spec = vocab.EDGE_KINDS[e.kind]
        edges.append(
            {
                "data": _data(e)
                | {
                    "source": e.source,
                    "target": e.target,
                    "color": spec.color,
                    "dashes": spec.dashes,
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


def _data(record) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind,
        "tags": list(record.tags),
        "properties": record.properties,
        "attributes": record.attributes,
    } | validity(record)
