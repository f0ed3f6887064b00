"""GraphML (Gephi, yEd, Cytoscape desktop, networkx), both ways.

Reading is forgiving of what real tools write: single-quoted attributes, one key id
declared for nodes and again for edges, ``<data>`` whose key is never declared (kept
as text under the key's id), yEd's graphics (its node labels are used as labels),
values that do not parse as their declared type (kept as text). Each such thing is
reported as a note with its lines. Entities and external references are refused.

Nodes take their kind from a ``kind`` or ``type`` attribute and their label from
``label`` or ``name`` (or the attributes the mapping file's ``columns`` names); edges
take theirs from ``kind``, ``type``, ``relation`` or ``label``.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from constellation.errors import Problem
from constellation.io.batching import Batch, NodeIndex
from constellation.io.errors import refuse, row_ranges
from constellation.io.foreign_records import ForeignEdge, ForeignNode, build, to_networkx
from constellation.io.formats import Export, Format, each_file, xml_root
from constellation.io.mapping import Resolver
from constellation.io.parsing import parse_xml, xml_local

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = ["FORMAT", "read", "export"]

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class Notes:
    """Warnings grouped by message, each listing the lines it happened on."""

    def __init__(self, name: str):
        self.name = name
        self._lines: dict[str, list[int]] = defaultdict(list)

    def add(self, message: str, line: int | None) -> None:
        self._lines[message].append(line or 0)

    def problems(self) -> list[Problem]:
        out = []
        for message, lines in self._lines.items():
            real = [x for x in lines if x]
            where = self.name + (
                f" line{'s' if len(set(real)) > 1 else ''} {row_ranges(real)}" if real else ""
            )
            out.append(Problem(message, position=where))
        return out


def convert(value: str, kind: str, notes: Notes, line: int | None, name: str) -> Any:
    """A text value as its declared type; text that does not parse stays text, noted."""
    kind = (kind or "string").lower()
    text = value.strip()
    try:
        if kind == "boolean":
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError(text)
        if kind in ("int", "long", "integer"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
    except ValueError:
        notes.add(f"attribute {name!r} is declared {kind} but holds {value!r}; kept as text", line)
    return value


def declared_defaults(
    specs: dict[tuple[str, str], dict[str, Any]], domain: str, notes: Notes
) -> dict[str, Any]:
    """The declared defaults of one domain's attributes (GraphML keys, GEXF attributes), by
    name and converted to their types: worked out once per file, copied for each element."""
    return {
        s["name"]: convert(s["default"], s["type"], notes, None, s["name"])
        for (_, d), s in specs.items()
        if d == domain and s["default"] is not None
    }


def read(name: str, content: bytes, resolver: Resolver, index: NodeIndex) -> Batch:
    root = parse_xml(name, content)
    if xml_local(root.tag) != "graphml":
        raise refuse(
            f"this is not GraphML: its root element is <{xml_local(root.tag)}>, not <graphml>",
            position=name,
        )
    notes = Notes(name)
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    for key in root.iter():
        if xml_local(key.tag) != "key":
            continue
        key_id = key.get("id")
        domain = key.get("for", "all")
        if not key_id:
            notes.add("a <key> without an id was ignored", key.sourceline)
            continue
        if (key_id, domain) in keys:
            notes.add(
                f"key {key_id!r} is declared twice for {domain}; the later one is used",
                key.sourceline,
            )
        default = next((c.text for c in key if xml_local(c.tag) == "default"), None)
        keys[(key_id, domain)] = {
            "name": key.get("attr.name") or key.get("yfiles.type") or key_id,
            "type": key.get("attr.type", "string"),
            "default": default,
        }

    defaults: dict[str, dict[str, Any]] = {}

    def data_of(elem: Element, domain: str) -> dict[str, Any]:
        if domain not in defaults:
            defaults[domain] = declared_defaults(keys, domain, notes)
        found = dict(defaults[domain])
        for data in elem:
            if xml_local(data.tag) != "data":
                continue
            key_id = data.get("key")
            spec = keys.get((key_id, domain)) or keys.get((key_id, "all"))
            if spec is None:
                notes.add(
                    f"<data key={key_id!r}> uses a key that is never declared for "
                    f"{domain}s; its value was kept as text under the name {key_id!r}",
                    data.sourceline,
                )
                spec = {"name": key_id, "type": "string"}
            if len(data):  # yEd graphics or other nested XML
                label = next(
                    (
                        x.text
                        for x in data.iter()
                        if xml_local(x.tag) in ("NodeLabel", "EdgeLabel")
                        and x.text
                        and x.text.strip()
                    ),
                    None,
                )
                if label is not None:
                    found.setdefault("label", label.strip())
                else:
                    notes.add(
                        f"nested XML in <data key={key_id!r}> (drawing information) was "
                        "not imported",
                        data.sourceline,
                    )
                continue
            found[spec["name"]] = convert(
                data.text or "", spec["type"], notes, data.sourceline, spec["name"]
            )
        return found

    nodes, edges = walk(
        name, root, notes, lambda e: data_of(e, "node"), lambda e: data_of(e, "edge")
    )
    return finish(name, "GraphML", nodes, edges, resolver, index, notes)


Element = Any
"""An element of `parse_xml`'s tree (ElementTree's, with a ``sourceline``)."""


def walk(
    name: str,
    root: Element,
    notes: Notes,
    node_attrs: Callable[[Element], dict[str, Any]],
    edge_attrs: Callable[[Element], dict[str, Any]],
) -> tuple[list[ForeignNode], list[ForeignEdge]]:
    """Every <node> and <edge> in document order (nested graphs too), with the attributes
    `node_attrs(elem)` and `edge_attrs(elem)` read; elements without ids or ends are noted."""
    nodes: list[ForeignNode] = []
    edges: list[ForeignEdge] = []
    for elem in root.iter():
        tag = xml_local(elem.tag)
        if tag == "node":
            if not elem.get("id"):
                notes.add("a <node> without an id was skipped", elem.sourceline)
                continue
            nodes.append(ForeignNode(name, elem.sourceline, elem.get("id"), node_attrs(elem)))
        elif tag == "edge":
            ends = edge_ends(elem, notes)
            if ends:
                edges.append(
                    ForeignEdge(name, elem.sourceline, elem.get("id"), *ends, edge_attrs(elem))
                )
        elif tag in ("hyperedge", "port"):
            notes.add(f"<{tag}> elements are not imported", elem.sourceline)
    return nodes, edges


def edge_ends(elem: Element, notes: Notes) -> tuple[str, str] | None:
    """An <edge>'s source and target, or None (noted) when one is missing."""
    source, target = elem.get("source"), elem.get("target")
    if not source or not target:
        notes.add("an <edge> without a source or target was skipped", elem.sourceline)
        return None
    return source, target


def finish(
    name: str,
    title: str,
    nodes: list[ForeignNode],
    edges: list[ForeignEdge],
    resolver: Resolver,
    index: NodeIndex,
    notes: Notes,
) -> Batch:
    """The batch of a graph file's nodes and edges, with its notes."""
    if not nodes and not edges:
        raise refuse(f"this {title} file holds no nodes and no edges", position=name)
    cols = resolver.mapping.columns
    batch = build(nodes, edges, "line", resolver, index, cols.nodes, cols.edges)
    batch.notes += notes.problems()
    return batch


def export(repo: Repository, workspace: str) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(repo, workspace), buffer, encoding="utf-8")
    return buffer.getvalue()


# ------------------------------------------------------------------------ the record

FORMAT = Format(
    name="graphml",
    title="GraphML",
    description="GraphML, as Gephi, yEd, Cytoscape desktop and networkx write it",
    shapes={"xml": "GraphML"},
    suffixes=(".graphml", ".xml"),
    sniff=xml_root("graphml", ".graphml"),
    read=each_file(read),
    exports=(
        Export(
            "graphml",
            "application/graphml+xml",
            ".graphml",
            "GraphML for Gephi, yEd, Cytoscape desktop",
            export,
        ),
    ),
)
