"""GEXF (Gephi, networkx), both ways.

Declared attributes (``<attributes class="node|edge">``) are read with their types and
defaults; an ``<attvalue>`` whose attribute is never declared is kept as text under its
id, and a value that does not parse as its type is kept as text; both are noted with
their lines. A node's ``label`` is its label; an edge's ``label`` or ``kind`` attribute
can carry its type. Entities and external references are refused.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from constellation.io.batching import Batch, NodeIndex
from constellation.io.errors import refuse
from constellation.io.foreign_records import to_networkx
from constellation.io.formats import Export, Format, each_file, xml_root
from constellation.io.graphml import Element, Notes, convert, declared_defaults, finish, walk
from constellation.io.mapping import Resolver
from constellation.io.parsing import parse_xml, xml_local

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = ["FORMAT", "read", "export"]

_SKIP = {"networkx_key"}


def read(name: str, content: bytes, resolver: Resolver, index: NodeIndex) -> Batch:
    root = parse_xml(name, content)
    if xml_local(root.tag) != "gexf":
        raise refuse(
            f"this is not GEXF: its root element is <{xml_local(root.tag)}>, not <gexf>",
            position=name,
        )
    notes = Notes(name)
    declared: dict[tuple[str, str], dict[str, Any]] = {}
    for group in root.iter():
        if xml_local(group.tag) != "attributes":
            continue
        domain = group.get("class", "node")
        for attr in group:
            if xml_local(attr.tag) != "attribute":
                continue
            attr_id = attr.get("id")
            if attr_id is None:
                notes.add("an <attribute> without an id was ignored", attr.sourceline)
                continue
            if (attr_id, domain) in declared:
                notes.add(
                    f"attribute {attr_id!r} is declared twice for {domain}s; the later one is used",
                    attr.sourceline,
                )
            default = next((c.text for c in attr if xml_local(c.tag) == "default"), None)
            declared[(attr_id, domain)] = {
                "name": attr.get("title") or attr_id,
                "type": attr.get("type", "string"),
                "default": default,
            }

    defaults: dict[str, dict[str, Any]] = {}

    def values_of(elem: Element, domain: str) -> dict[str, Any]:
        if domain not in defaults:
            defaults[domain] = declared_defaults(declared, domain, notes)
        found = dict(defaults[domain])
        for child in elem:
            if xml_local(child.tag) != "attvalues":
                continue
            for value in child:
                if xml_local(value.tag) != "attvalue":
                    continue
                key = value.get("for") or value.get("id")
                spec = declared.get((key, domain))
                if spec is None:
                    notes.add(
                        f"<attvalue for={key!r}> names an attribute never declared for "
                        f"{domain}s; its value was kept as text under the name {key!r}",
                        value.sourceline,
                    )
                    spec = {"name": key, "type": "string"}
                if spec["name"] in _SKIP:
                    continue
                text = value.get("value")
                if text is None:
                    continue
                found[spec["name"]] = convert(
                    text, spec["type"], notes, value.sourceline, spec["name"]
                )
        return found

    def node_attrs(elem: Element) -> dict[str, Any]:
        attrs = values_of(elem, "node")
        if elem.get("label") is not None:
            attrs.setdefault("label", elem.get("label"))
        return attrs

    def edge_attrs(elem: Element) -> dict[str, Any]:
        attrs = values_of(elem, "edge")
        for xml_attr in ("kind", "label"):
            if elem.get(xml_attr) is not None:
                attrs.setdefault(xml_attr, elem.get(xml_attr))
        if elem.get("weight") is not None:
            attrs.setdefault(
                "weight", convert(elem.get("weight"), "double", notes, elem.sourceline, "weight")
            )
        return attrs

    nodes, edges = walk(name, root, notes, node_attrs, edge_attrs)
    return finish(name, "GEXF", nodes, edges, resolver, index, notes)


def export(repo: Repository, workspace: str) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(to_networkx(repo, workspace, edge_id_attribute=True), buffer, encoding="utf-8")
    return buffer.getvalue()


# ------------------------------------------------------------------------ the record

FORMAT = Format(
    name="gexf",
    title="GEXF",
    description="GEXF, as Gephi writes it",
    shapes={"xml": "GEXF"},
    suffixes=(".gexf", ".xml"),
    sniff=xml_root("gexf", ".gexf"),
    read=each_file(read),
    exports=(Export("gexf", "application/gexf+xml", ".gexf", "GEXF for Gephi", export),),
)
